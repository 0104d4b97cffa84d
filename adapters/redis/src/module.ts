/**
 * The Redis provider as the DI registry sees it: configuration
 * `{ "provider": "redis", "url": "redis://…", "namespace": "…" }` (or `"cluster": { "rootNodes": [ … ] }`)
 * gives a key-value store; Redis has no object contract here.
 */
import { providerModule, type StorageProvider } from "@stowage/core";
import { parseRedisConfig } from "./config.js";
import { RedisKeyValueStoreDriver } from "./key-value-store.js";

/** The Redis provider (id `redis`), key-value only. */
export const redisProvider: StorageProvider = {
  id: "redis",
  description: "Redis or Valkey (standalone or cluster): KeyValueStore with ordered listing; one namespace = one hash slot",
  createKeyValueStoreDriver(config) {
    return new RedisKeyValueStoreDriver(parseRedisConfig(config));
  },
};

/** The DI module contributing {@link redisProvider}. */
export const redisModule: ReturnType<typeof providerModule> = providerModule(redisProvider);
