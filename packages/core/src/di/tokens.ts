/**
 * The service identifiers an application asks the container for. `Symbol.for` keys, so two
 * copies of `@stowage/core` in one process still agree on them.
 */
import type { ServiceIdentifier } from "inversify";
import type { KeyValueStore } from "../key-value-store.js";
import type { MultipartObjectStore } from "../multipart-object-store.js";
import type { StorageProvider } from "../storage-provider.js";

/**
 * A {@link KeyValueStore}: `container.get(KeyValueStoreToken)` is the default store,
 * `container.get(KeyValueStoreToken, { name: "cache" })` the store configured as `cache`.
 */
export const KeyValueStoreToken: ServiceIdentifier<KeyValueStore> = Symbol.for("@stowage/core:KeyValueStore");

/** A {@link MultipartObjectStore}; default and named bindings as for {@link KeyValueStoreToken}. */
export const MultipartObjectStoreToken: ServiceIdentifier<MultipartObjectStore> = Symbol.for("@stowage/core:MultipartObjectStore");

/** Every {@link StorageProvider} a loaded module contributes (a multi-binding: use `getAll`). */
export const StorageProviderToken: ServiceIdentifier<StorageProvider> = Symbol.for("@stowage/core:StorageProvider");
