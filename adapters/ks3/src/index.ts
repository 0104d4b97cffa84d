/**
 * @stowage/adapter-ks3: a `MultipartObjectStore` on Kingsoft Cloud KS3, the KS3 dialect of
 * the S3-family core.
 *
 * @packageDocumentation
 */
export * from "./config.js";
export * from "./dialect.js";
export * from "./errors.js";
export * from "./limits.js";
export * from "./multipart-object-store.js";
export * from "./module.js";
