/**
 * The fs provider as the DI registry sees it: `{ "provider": "fs", "kind": "kv" | "objects",
 * "root": "<dir>" }` opens a durable store of either kind on that directory.
 */
import { providerModule, type StorageProvider } from "@stowage/core";
import { parseFsConfig } from "./config.js";
import { FsKeyValueStoreDriver } from "./key-value-store.js";
import { FsObjectStoreDriver } from "./multipart-object-store.js";

/** The fs provider (id `fs`), both contracts on a local directory. */
export const fsProvider: StorageProvider = {
  id: "fs",
  description: "A local directory: both contracts, durable (fsync + rename), any Unicode key",
  createKeyValueStoreDriver(config) {
    return FsKeyValueStoreDriver.open(parseFsConfig(config).keyValue);
  },
  createMultipartObjectStoreDriver(config) {
    return FsObjectStoreDriver.open(parseFsConfig(config).objects);
  },
};

/** The DI module contributing {@link fsProvider}. */
export const fsModule: ReturnType<typeof providerModule> = providerModule(fsProvider);
