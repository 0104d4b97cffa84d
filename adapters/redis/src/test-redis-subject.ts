/**
 * The conformance subject of the Redis adapter: every case gets a fresh random namespace on a
 * shared server (or cluster), the real clock (a case "advancing" time waits, since Redis
 * expires keys by its own clock), and a small list window on request. Cleanup deletes the
 * namespace's keys through the contract itself, so nothing is left on a server given by
 * `STOWAGE_REDIS_URL`.
 */
import { randomUUID } from "node:crypto";
import type { KeyValueLimits, KeyValueStore } from "@stowage/core";
import type { KeyValueStoreSubject } from "@stowage/conformance";
import { REDIS_KV_LIMITS, createRedisKeyValueStore, type RedisKeyValueStore, type RedisTarget } from "./index.js";

/**
 * Deletes every key of `store`'s namespace through a sibling store on the same namespace with
 * the default manifest (the case may have closed its store or narrowed its list window), then
 * closes both.
 */
async function purgeAndClose(store: KeyValueStore, target: RedisTarget): Promise<void> {
  const { namespace } = (store as RedisKeyValueStore).driver;
  const sibling = createRedisKeyValueStore({ ...target, namespace });
  try {
    const keys: string[] = [];
    for await (const entry of sibling.keys({ limit: 1000 })) keys.push(entry.key);
    for (let i = 0; i < keys.length; i += 1000) await sibling.deleteMany(keys.slice(i, i + 1000));
  } finally {
    await sibling.close();
    await store.close();
  }
}

/** A subject over `target`, one random namespace per store. */
export function redisKeyValueSubject(target: () => RedisTarget): KeyValueStoreSubject {
  const make = (limits?: KeyValueLimits) => createRedisKeyValueStore({ ...target(), namespace: `conformance-${randomUUID()}`, ...(limits ? { limits } : {}) });
  return {
    create: async () => make(),
    cleanup: (store) => purgeAndClose(store, target()),
    createWithClock: async () => ({
      store: make(),
      clock: { now: () => Date.now(), advance: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)) },
    }),
    createWithListWindow: async (keys) => make({ ...REDIS_KV_LIMITS, listMaxKeys: keys }),
  };
}
