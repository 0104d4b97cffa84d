/**
 * @stowage/adapter-s3: MultipartObjectStore on AWS S3 and S3-compatible engines (Ceph RGW profile).
 *
 * @packageDocumentation
 */
export {};
