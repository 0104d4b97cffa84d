/**
 * @stowage/adapter-fs: both contracts on a local directory, the durable embedded default.
 * Every write is temp file → fsync → rename → fsync directory; any Unicode key maps to a safe
 * path inside the root; listings are in UTF-8 byte order.
 *
 * @packageDocumentation
 */
export * from "./config.js";
export * from "./limits.js";
export * from "./key-value-store.js";
export * from "./multipart-object-store.js";
export * from "./module.js";
export { keyLocation, type KeyLocation } from "./key-path.js";
