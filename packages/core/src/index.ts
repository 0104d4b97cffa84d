/**
 * @stowage/core: the contracts (`KeyValueStore`, `MultipartObjectStore`), the one
 * `StorageError`, limits manifests, byte ranges, preconditions, bodies, layers and DI.
 *
 * @packageDocumentation
 */
export * from "./storage-error.js";
export * from "./limits.js";
export * from "./key-value-store.js";
export * from "./multipart-object-store.js";
export * from "./multipart-etag.js";
export * from "./range.js";
export * from "./preconditions.js";
export * from "./body.js";
export * from "./abort.js";
export * from "./clock.js";
export * from "./storage-provider.js";
export * from "./layer.js";
export * from "./key-rules.js";
export * from "./metadata-rules.js";
export * from "./key-order.js";
export * from "./list-cursor.js";
export * from "./layers/with-validation.js";
export * from "./layers/with-object-validation.js";
export * from "./create-key-value-store.js";
export * from "./create-multipart-object-store.js";
export * from "./error-context.js";
export * from "./emulated-errors.js";
export * from "./emulated-multipart.js";
export * from "./layers/intercept-driver.js";
export * from "./layers/with-retry.js";
export * from "./retry-loop.js";
export * from "./layers/with-timeout.js";
export * from "./di/index.js";
export { transportSignal } from "./guarded-call.js";
export * from "./provider-config.js";
export * from "./access-key-pair.js";
export * from "./durable-file.js";
