/*
 * Group commit of puts (put-groups.ts): the puts without expiry issued in one tick go to the
 * server as one call of the put script (scripts.ts). These tests run on real servers: a standalone one and a
 * three-node cluster, both started here.
 */
import { randomUUID } from "node:crypto";
import { isStorageError, type DriverCallContext, type StorageError } from "@stowage/core";
import { createClient, createCluster } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisKeyValueStore, type RedisKeyValueStore } from "./key-value-store.js";
import { canStartRedisCluster, redisAvailability, startTestRedisCluster, startTestRedisServer, type TestRedisCluster, type TestRedisServer } from "./local-redis-server.js";
import { PUT_GROUP_MAX_KEYS } from "./put-groups.js";
import { listAll } from "./test-store-helpers.js";

const availability = redisAvailability();
const canSpawn = availability.available && availability.via === "spawn";
const serverIt = canSpawn ? it : (name: string) => it(name, (ctx) => ctx.skip("redis-server is not installed; these tests start their own server"));
const clusterIt = canStartRedisCluster() ? it : (name: string) => it(name, (ctx) => ctx.skip("redis-server and redis-cli are needed to start a cluster"));

/** The few commands the invariant check needs, on a standalone client or a cluster. */
interface Inspector {
  send(firstKey: string, args: string[]): Promise<unknown>;
}

/**
 * The index invariant for each of `keys`: its value key exists exactly when its index entry
 * does. Returns the keys that break it (none expected).
 */
async function brokenKeys(inspect: Inspector, store: RedisKeyValueStore, keys: readonly string[]): Promise<string[]> {
  const { layout } = store.driver;
  const broken: string[] = [];
  for (const key of keys) {
    const exists = Number(await inspect.send(layout.value(key), ["EXISTS", layout.value(key)])) === 1;
    const listed = (await inspect.send(layout.index, ["ZSCORE", layout.index, key])) !== null;
    if (exists !== listed) broken.push(key);
  }
  return broken;
}

/**
 * Several stores (each its own connection) on one namespace put and delete the same few keys
 * at once, many calls in flight per store, so groups of one store meet deletes and groups of
 * the others on the server. After each round the invariant is checked; returns the keys that
 * broke it in any round (none expected).
 */
async function race(inspect: Inspector, stores: RedisKeyValueStore[], rounds: number): Promise<string[]> {
  const keys = Array.from({ length: 12 }, (_, i) => `race/${i}`);
  // A fixed pseudo-random sequence (no Math.random): the same interleaving requests every run.
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let round = 0; round < rounds; round++) {
    const calls: Promise<unknown>[] = [];
    for (const store of stores) {
      for (let i = 0; i < 24; i++) {
        const key = keys[next() % keys.length]!;
        calls.push(next() % 3 === 0 ? store.delete(key) : store.put(key, `${round}:${i}`));
      }
    }
    await Promise.all(calls);
    const broken = await brokenKeys(inspect, stores[0]!, keys);
    if (broken.length > 0) return broken.map((key) => `${key} (round ${round})`);
  }
  return [];
}

describe("put groups on a standalone server", () => {
  let server: TestRedisServer;
  let inspect: Inspector;
  let raw: ReturnType<typeof createClient>;
  const stores: RedisKeyValueStore[] = [];
  const store = (namespace = `g-${randomUUID()}`) => {
    const s = createRedisKeyValueStore({ url: server.url, namespace });
    stores.push(s);
    return s;
  };
  const calls = async (command: string) => Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(await raw.info("commandstats"))?.[1] ?? 0);
  beforeAll(async () => {
    if (!canSpawn) return;
    server = await startTestRedisServer();
    raw = createClient({ url: server.url });
    await raw.connect();
    inspect = { send: (_key, args) => raw.sendCommand(args) };
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    raw?.destroy();
    await server?.close();
  });

  serverIt("puts issued together go out as one script call, and each value arrives with its index entry", async () => {
    const kv = store();
    const keys = Array.from({ length: 40 }, (_, i) => `k/${String(i).padStart(2, "0")}`);
    await kv.delete("warm-up"); // opens the connection, so the count below is the puts' alone
    const scriptCalls = async () => (await calls("evalsha")) + (await calls("eval"));
    const before = await scriptCalls();
    await Promise.all(keys.map((key) => kv.put(key, `v-${key}`)));
    // One group (40 ≤ PUT_GROUP_MAX_KEYS), so one script call (an EVAL: the connection's first put) rather than one per put.
    expect(await scriptCalls()).toBe(before + 1);
    expect(await listAll(kv)).toEqual(keys);
    expect(await Promise.all(keys.map((key) => kv.getText(key)))).toEqual(keys.map((key) => `v-${key}`));
    expect(await brokenKeys(inspect, kv, keys)).toEqual([]);
  });

  serverIt(`more than ${PUT_GROUP_MAX_KEYS} puts in one tick are split into several groups, all written`, async () => {
    const kv = store();
    const keys = Array.from({ length: PUT_GROUP_MAX_KEYS * 2 + 5 }, (_, i) => `many/${String(i).padStart(3, "0")}`);
    await kv.put("warm-up", "1"); // the script is cached from here on: EVALSHA only
    const before = await calls("evalsha");
    await Promise.all(keys.map((key) => kv.put(key, key)));
    expect(await calls("evalsha")).toBe(before + 3);
    expect(await listAll(kv)).toEqual([...keys, "warm-up"]);
  });

  serverIt("a put, a delete and a get of one key that reach the driver in that order reach the server in that order", async () => {
    const kv = store();
    // The driver directly: the facade's own steps decide when each call reaches the driver,
    // the group must not change the order from there on. A context without a signal is what
    // the facade passes a call made without one (transportSignal: undefined).
    const ctx = {} as DriverCallContext;
    const one = new TextEncoder().encode("1");
    // No warm-up: the scripts' first calls on this connection are part of the order kept (the
    // connection sends each script as EVAL before naming it by SHA1; see client.ts).
    const [, deleted, got] = await Promise.all([kv.driver.put("k", one, {}, ctx), kv.driver.delete("k", ctx), kv.driver.get("k", ctx)]);
    expect(deleted).toBe(true);
    expect(got).toBeUndefined();
    expect(await listAll(kv)).toEqual([]);
    const [, again] = await Promise.all([kv.driver.put("k", one, {}, ctx), kv.driver.get("k", ctx)]);
    expect(again?.value).toEqual(one);
    // Two puts of one key in one group: the later value wins, one index entry.
    await Promise.all([kv.put("twice", "first"), kv.put("twice", "second")]);
    expect(await kv.getText("twice")).toBe("second");
    expect(await listAll(kv)).toEqual(["k", "twice"]);
  });

  serverIt("concurrent puts and deletes from several connections keep each value with its index entry, and only then", async () => {
    const namespace = `race-${randomUUID()}`;
    const racers = [store(namespace), store(namespace), store(namespace), store(namespace)];
    expect(await race(inspect, racers, 40)).toEqual([]);
    const keys = Array.from({ length: 12 }, (_, i) => `race/${i}`);
    // And what is listed is what exists.
    const listed = await listAll(racers[0]!);
    const present = (await Promise.all(keys.map(async (key) => ((await racers[1]!.get(key)) === undefined ? undefined : key)))).filter((k) => k !== undefined);
    expect(listed).toEqual([...present].sort());
  });

  serverIt("a put with its own abort signal is sent alone (its own script call) and is listed like the others", async () => {
    const kv = store();
    await kv.put("warm-up", "0");
    const before = await calls("evalsha");
    await Promise.all([kv.put("a", "1", { signal: new AbortController().signal }), kv.put("b", "2"), kv.put("c", "3")]);
    // "b" and "c" share a call, "a" has its own.
    expect(await calls("evalsha")).toBe(before + 2);
    await kv.delete("warm-up");
    expect(await listAll(kv)).toEqual(["a", "b", "c"]);
  });

  serverIt("a group that fails rejects every put in it, each error naming its own key; nothing is swallowed", async () => {
    const kv = store();
    // Something foreign at the index key: the script's ZADD fails with WRONGTYPE, before any SET.
    await raw.set(kv.driver.layout.index, "not a sorted set");
    const outcomes = await Promise.allSettled(["x", "y", "z"].map((key) => kv.put(key, key)));
    const errors = outcomes.map((o) => (o.status === "rejected" ? (o.reason as StorageError) : undefined));
    expect(errors.every((e) => isStorageError(e))).toBe(true);
    expect(errors.map((e) => [e?.key, e?.operation, e?.providerCode])).toEqual([
      ["x", "put", "WRONGTYPE"],
      ["y", "put", "WRONGTYPE"],
      ["z", "put", "WRONGTYPE"],
    ]);
    expect(await Promise.all(["x", "y", "z"].map((key) => raw.exists(kv.driver.layout.value(key))))).toEqual([0, 0, 0]);
  });

  serverIt("on a full server (-OOM) a group is discarded whole: every put rejects QuotaExceeded and none is written", async () => {
    const own = await startTestRedisServer(["--maxmemory-policy", "noeviction"]);
    const kv = createRedisKeyValueStore({ url: own.url, namespace: "full" });
    const admin = createClient({ url: own.url });
    try {
      await admin.connect();
      await kv.putMany(Array.from({ length: 8 }, (_, i) => ({ key: `fill${i}`, value: new Uint8Array(256 * 1024) })));
      // Now below what the server holds: every write is refused until memory is freed.
      await admin.configSet("maxmemory", "1mb");
      const keys = ["g1", "g2", "g3"];
      const outcomes = await Promise.allSettled(keys.map((key) => kv.put(key, "small")));
      expect(outcomes.map((o) => (o.status === "rejected" ? [(o.reason as StorageError).code, (o.reason as StorageError).key] : "written"))).toEqual(
        keys.map((key) => ["QuotaExceeded", key]),
      );
      expect(await Promise.all(keys.map((key) => kv.get(key)))).toEqual([undefined, undefined, undefined]);
      expect((await listAll(kv)).filter((key) => keys.includes(key))).toEqual([]);
    } finally {
      admin.destroy();
      await kv.close();
      await own.close();
    }
  });
});

describe("put groups on a three-node cluster", () => {
  let cluster: TestRedisCluster | undefined;
  let client: ReturnType<typeof createCluster> | undefined;
  beforeAll(async () => {
    if (!canStartRedisCluster()) return;
    cluster = await startTestRedisCluster();
    client = createCluster({ rootNodes: cluster.rootNodes.map((url) => ({ url })) });
    await client.connect();
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await cluster?.close();
  });

  clusterIt("puts issued together are one script call in the namespace's slot; concurrent deletes keep the index invariant", async () => {
    const namespace = `cg-${randomUUID()}`;
    const stores = [0, 1, 2].map(() => createRedisKeyValueStore({ cluster: { rootNodes: [...cluster!.rootNodes] }, namespace }));
    try {
      const inspect: Inspector = { send: (key, args) => client!.sendCommand(key, false, args) };
      const keys = Array.from({ length: 30 }, (_, i) => `c/${String(i).padStart(2, "0")}`);
      await Promise.all(keys.map((key) => stores[0]!.put(key, key)));
      expect(await listAll(stores[0]!)).toEqual(keys);
      expect(await brokenKeys(inspect, stores[0]!, keys)).toEqual([]);
      expect(await race(inspect, stores, 25)).toEqual([]);
      expect(await brokenKeys(inspect, stores[0]!, keys)).toEqual([]);
      expect(await stores[1]!.getText("c/07")).toBe("c/07");
    } finally {
      for (const s of stores) await s.close();
    }
  });
});
