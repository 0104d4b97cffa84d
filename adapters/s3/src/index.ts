/**
 * @stowage/adapter-s3: a `MultipartObjectStore` on AWS S3 and S3-compatible engines (named
 * profiles, Ceph RGW 16 first), the S3 dialect of the S3-family core.
 *
 * @packageDocumentation
 */
export * from "./config.js";
export * from "./dialect.js";
export * from "./errors.js";
export * from "./limits.js";
export * from "./multipart-object-store.js";
export * from "./module.js";
export * from "./ceph-rgw-server.js";
