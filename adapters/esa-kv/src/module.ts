/** The DI registration of ESA Edge KV: selectable by configuration `{ provider: "esa-kv", namespace, endpoint, … }`. */
import { providerModule, type StorageProvider } from "@stowage/core";
import { parseEsaKvConfig } from "./config.js";
import { EsaKvDriver } from "./key-value-store.js";

/** The `esa-kv` provider: a KeyValueStore on one ESA Edge KV namespace. */
export const esaKvProvider: StorageProvider = {
  id: "esa-kv",
  description: "Alibaba Cloud ESA Edge KV (KeyValueStore on one namespace)",
  createKeyValueStoreDriver: (config) => new EsaKvDriver(parseEsaKvConfig(config)),
};

/** The inversify module that registers {@link esaKvProvider}. */
export const esaKvModule = providerModule(esaKvProvider);
