import type { KeyValueStoreDriver } from "./key-value-store.js";
import type { MultipartObjectStoreDriver } from "./multipart-object-store.js";

/**
 * A cross-cutting wrapper around a key-value driver (validation, retry, timeout, hooks).
 * A layer returns a driver with the same contract, so layers compose in any order; the
 * facade applies them first-is-outermost.
 */
export type KeyValueLayer = (driver: KeyValueStoreDriver) => KeyValueStoreDriver;

/**
 * A cross-cutting wrapper around a multipart object driver (validation, retry, timeout,
 * hooks). A layer returns a driver with the same contract; the facade applies them
 * first-is-outermost.
 */
export type ObjectStoreLayer = (driver: MultipartObjectStoreDriver) => MultipartObjectStoreDriver;
