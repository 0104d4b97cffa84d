import { randomUUID } from "node:crypto";
import type { KeyValueLimits, KeyValueStore } from "@stowage/core";
import { redactCredentials, type ConformanceTarget } from "@stowage/conformance";
import { REDIS_KV_LIMITS, createRedisKeyValueStore, redisAvailability, startTestRedisServer, type RedisKeyValueStore, type TestRedisServer } from "@stowage/adapter-redis";

/**
 * The Redis adapter on a real server: the one `STOWAGE_REDIS_URL` names, else a throwaway
 * `redis-server` started for the run on an ephemeral 127.0.0.1 port. Without either the target
 * runs no case and says why in its notes (a skip, not a pass). Every case gets a fresh random
 * namespace, deleted again afterwards through the contract.
 */
export function redisTarget(): ConformanceTarget {
  const availability = redisAvailability();
  if (!availability.available) {
    return { id: "redis", details: { provider: "redis adapter", notes: [`skipped: ${availability.reason}`] } };
  }
  const given = process.env.STOWAGE_REDIS_URL;
  let server: TestRedisServer | undefined;
  const url = (): string => given ?? server?.url ?? "redis://127.0.0.1:0";
  const make = (limits?: KeyValueLimits, namespace = `conformance-${randomUUID()}`): RedisKeyValueStore =>
    createRedisKeyValueStore({ url: url(), namespace, ...(limits ? { limits } : {}) });
  // The case may have closed its store or narrowed its list window: purge through a sibling.
  const cleanup = async (store: KeyValueStore): Promise<void> => {
    const sibling = make(undefined, (store as RedisKeyValueStore).driver.namespace);
    try {
      const keys: string[] = [];
      for await (const entry of sibling.keys({ limit: 1000 })) keys.push(entry.key);
      for (let i = 0; i < keys.length; i += 1000) await sibling.deleteMany(keys.slice(i, i + 1000));
    } finally {
      await sibling.close();
      await store.close();
    }
  };
  return {
    id: "redis",
    details: {
      provider: given !== undefined ? "redis adapter on the server named by STOWAGE_REDIS_URL" : "redis adapter on a redis-server started for the run (127.0.0.1, ephemeral port, no persistence)",
      ...(given !== undefined ? { endpoint: redactCredentials(given) } : {}),
      notes: ["real time: the TTL cases wait for Redis's own expiry", "no per-namespace capacity or namespace deletion on Redis: those cases are skipped"],
    },
    setup: async () => {
      if (given === undefined) server = await startTestRedisServer();
    },
    teardown: async () => {
      await server?.close();
    },
    kv: {
      create: async () => make(),
      cleanup,
      createWithClock: async () => ({
        store: make(),
        clock: { now: () => Date.now(), advance: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)) },
      }),
      createWithListWindow: async (keys) => make({ ...REDIS_KV_LIMITS, listMaxKeys: keys }),
    },
  };
}
