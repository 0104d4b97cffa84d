/**
 * @stowage/adapter-memory: both contracts in process memory, keeping the limits of ESA Edge KV
 * and KS3 by default. The embedded default, and the reference the conformance suite runs first.
 *
 * @packageDocumentation
 */
export * from "./config.js";
export * from "./limits.js";
export * from "./key-value-store.js";
export * from "./multipart-object-store.js";
export * from "./module.js";
