/**
 * @stowage/adapter-redis: KeyValueStore on Redis or Valkey (standalone or cluster) with ordered
 * listing through a sorted-set index written atomically with each value.
 *
 * @packageDocumentation
 */
export * from "./config.js";
export * from "./limits.js";
export * from "./errors.js";
export * from "./key-value-store.js";
export { KeyLayout } from "./key-layout.js";
export * from "./module.js";
export * from "./local-redis-server.js";
