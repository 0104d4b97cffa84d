/**
 * @stowage/adapter-esa-kv: a `KeyValueStore` on Alibaba Cloud ESA Edge KV (API 2024-09-10),
 * with the high-capacity path for values up to 25 MB and namespace management.
 *
 * @packageDocumentation
 */
export * from "./config.js";
export * from "./signer.js";
export * from "./errors.js";
export * from "./limits.js";
export * from "./client.js";
export * from "./key-value-store.js";
export * from "./module.js";
