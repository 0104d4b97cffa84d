/**
 * The configured stores for one command: the storage configuration read from the same
 * sources as `createStorageContainer` (`--config FILE`, `STOWAGE_CONFIG_FILE`, `STOWAGE_*`
 * variables) and built with the CLI's built-in adapter modules.
 */
import {
  createStorageContainer,
  isStorageError,
  loadStorageConfig,
  type KeyValueStore,
  type MultipartObjectStore,
  type StorageConfig,
  type StorageContainer,
} from "@stowage/core";
import { BUILTIN_MODULES } from "../builtin-modules.js";
import { UsageError } from "./exit-codes.js";

/** One configured store as the commands see it: an object store, or else a key-value namespace. */
export type StoreRef =
  | { readonly name: string; readonly provider: string; readonly type: "objects"; readonly store: MultipartObjectStore }
  | { readonly name: string; readonly provider: string; readonly type: "kv"; readonly store: KeyValueStore };

/** The stores of a storage configuration, opened once per command. */
export class StorageSession {
  readonly #config: StorageConfig;
  readonly #container: StorageContainer;
  readonly #owned: boolean;

  /**
   * Wraps an already built container (`owned: false` leaves closing it to the caller, as a
   * test does that runs several commands on one memory store).
   */
  constructor(config: StorageConfig, container: StorageContainer, options: { owned: boolean }) {
    this.#config = config;
    this.#container = container;
    this.#owned = options.owned;
  }

  /** Reads the configuration and builds every store; any configuration problem is a {@link UsageError}. */
  static async open(options: { file?: string; env: NodeJS.ProcessEnv }): Promise<StorageSession> {
    try {
      const config = await loadStorageConfig({ ...(options.file === undefined ? {} : { file: options.file }), env: options.env });
      const container = await createStorageContainer(config, { modules: BUILTIN_MODULES });
      return new StorageSession(config, container, { owned: true });
    } catch (err) {
      if (isStorageError(err, "InvalidArgument")) throw new UsageError(err.message);
      throw err;
    }
  }

  /** The configured store names, in configuration order. */
  get names(): string[] {
    return Object.keys(this.#config.stores);
  }

  /** The provider id configured for `name`. */
  provider(name: string): string {
    return this.#config.stores[name]?.provider ?? "";
  }

  /**
   * The store named `name`. A provider offering both contracts without a `kind` (memory, fs)
   * is used as an object store; set `"kind": "kv"` in the configuration to use its namespace.
   */
  store(name: string): StoreRef {
    if (!Object.hasOwn(this.#config.stores, name)) {
      throw new UsageError(`no store named "${name}" in the storage configuration; configured: ${this.names.join(", ")}`);
    }
    const provider = this.provider(name);
    const objects = this.objectStore(name);
    if (objects) return { name, provider, type: "objects", store: objects };
    return { name, provider, type: "kv", store: this.#container.getKeyValueStore(name) };
  }

  /** The object store named `name`, or undefined when the store is a key-value namespace. */
  objectStore(name: string): MultipartObjectStore | undefined {
    return tryGet(() => this.#container.getObjectStore(name));
  }

  /** The key-value namespace named `name`, or undefined when the store holds objects only. */
  keyValueStore(name: string): KeyValueStore | undefined {
    return tryGet(() => this.#container.getKeyValueStore(name));
  }

  /** Closes the stores when this session built them. */
  async close(): Promise<void> {
    if (this.#owned) await this.#container.close();
  }
}

/** The container answers `InvalidArgument` for a store it did not build with that contract. */
function tryGet<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch (err) {
    if (isStorageError(err, "InvalidArgument")) return undefined;
    throw err;
  }
}
