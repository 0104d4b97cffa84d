import type { KeyValueStoreDriver } from "./key-value-store.js";
import type { MultipartObjectStoreDriver } from "./multipart-object-store.js";

/**
 * A storage provider as the DI registry knows it: built-in and third-party adapters register
 * exactly this. `config` is the plain configuration object of one named store (JSON-compatible
 * values, minus the `provider` field); a provider validates it and raises `InvalidArgument`
 * naming the bad field (never echoing a secret).
 */
export interface StorageProvider {
  /** The id used in configuration: `{ "provider": "<id>" }`, e.g. `memory`, `esa-kv`, `ks3`. */
  readonly id: string;
  /** One line for `stowage --help` and reports. */
  readonly description: string;
  /** Creates a KeyValueStore driver; absent when the provider has no key-value contract. */
  createKeyValueStoreDriver?(config: Readonly<Record<string, unknown>>): KeyValueStoreDriver | Promise<KeyValueStoreDriver>;
  /** Creates a MultipartObjectStore driver; absent when the provider has no object contract. */
  createMultipartObjectStoreDriver?(config: Readonly<Record<string, unknown>>): MultipartObjectStoreDriver | Promise<MultipartObjectStoreDriver>;
}
