import { randomUUID } from "node:crypto";
import { isStorageError, type StorageError } from "@stowage/core";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RedisKeyValueStoreOptions } from "./config.js";
import { createRedisKeyValueStore } from "./key-value-store.js";
import { canStartRedisCluster, redisAvailability, startTestRedisCluster, startTestRedisServer, type TestRedisCluster, type TestRedisServer } from "./local-redis-server.js";

// These tests start their own servers (they stop, pause and misconfigure them), so they need
// redis-server; without it each says so as a visible skip.
const availability = redisAvailability();
const canSpawn = (availability.available && availability.via === "spawn") || canStartRedisCluster();
const SKIP_REASON = "redis-server is not installed (Debian: apt-get install redis-server); these tests start and stop their own servers";
const serverIt = canSpawn ? it : (name: string) => it(name, (ctx) => ctx.skip(SKIP_REASON));

async function rejection(promise: Promise<unknown>): Promise<StorageError> {
  try {
    await promise;
  } catch (err) {
    if (isStorageError(err)) return err;
    throw err;
  }
  throw new Error("expected a rejection");
}

async function listAll(store: ReturnType<typeof createRedisKeyValueStore>, options: { prefix?: string; limit?: number } = {}): Promise<string[]> {
  const keys: string[] = [];
  for await (const entry of store.keys(options)) keys.push(entry.key);
  return keys;
}

/** Retries `attempt` until it resolves, at most `rounds` times 100 ms apart (the reconnect is in the background). */
async function eventually<T>(attempt: () => Promise<T>, rounds = 100): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (i >= rounds) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe("redis key-value store on a standalone server", () => {
  let server: TestRedisServer;
  const stores: Array<{ close(): Promise<void> }> = [];
  const store = (options: Partial<RedisKeyValueStoreOptions> = {}) => {
    const s = createRedisKeyValueStore({ url: server.url, namespace: `t-${randomUUID()}`, ...options } as RedisKeyValueStoreOptions);
    stores.push(s);
    return s;
  };
  beforeAll(async () => {
    if (canSpawn) server = await startTestRedisServer();
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await server?.close();
  });

  serverIt("put() then get() returns every byte value 0..255 exactly, and a 1 MiB random value", async () => {
    const kv = store();
    const value = Uint8Array.from({ length: 256 }, (_, i) => i);
    await kv.put("binary", value);
    expect(await kv.get("binary")).toEqual(value);
    const big = Uint8Array.from({ length: 1 << 20 }, () => Math.floor(Math.random() * 256));
    await kv.put("big", big);
    expect(Buffer.compare(Buffer.from((await kv.get("big"))!), Buffer.from(big))).toBe(0);
  });

  serverIt("keys live under the namespace's hash tag: value key, index and expiry index", async () => {
    const kv = store({ namespace: "layout-ns" });
    await kv.put("a/b", "v", { expiresAt: new Date(Date.now() + 3_600_000) });
    const raw = createClient({ url: server.url });
    await raw.connect();
    try {
      expect((await raw.keys("stowage:{layout-ns}:*")).sort()).toEqual(["stowage:{layout-ns}:expiry", "stowage:{layout-ns}:index", "stowage:{layout-ns}:v:a/b"]);
      expect(await raw.zRange("stowage:{layout-ns}:index", 0, -1)).toEqual(["a/b"]);
      await kv.delete("a/b");
      // Both indexes empty: Redis removes an empty sorted set, so nothing of the namespace remains.
      expect(await raw.keys("stowage:{layout-ns}:*")).toEqual([]);
    } finally {
      raw.destroy();
    }
  });

  serverIt("getWithMetadata() reports the expiresAt given to put() to the millisecond", async () => {
    const kv = store();
    const at = new Date(Date.now() + 3_600_000);
    await kv.put("k", "v", { expiresAt: at });
    expect((await kv.getWithMetadata("k"))?.expiresAt?.getTime()).toBe(at.getTime());
    await kv.put("k", "v");
    expect((await kv.getWithMetadata("k"))?.expiresAt).toBeUndefined();
  });

  serverIt("list() purges the index entries of expired keys as it passes them", async () => {
    const kv = store();
    await kv.putMany([
      { key: "a", value: "1", expiresAt: new Date(Date.now() + 200) },
      { key: "b", value: "2" },
      { key: "c", value: "3", expiresAt: new Date(Date.now() + 200) },
    ]);
    // Bounded wait for Redis's own expiry (PXAT), observed through get().
    await eventually(async () => {
      if ((await kv.get("a")) !== undefined || (await kv.get("c")) !== undefined) throw new Error("not expired yet");
    });
    expect(await listAll(kv)).toEqual(["b"]);
    const raw = createClient({ url: server.url });
    await raw.connect();
    try {
      expect(await raw.zRange(kv.driver.layout.index, 0, -1)).toEqual(["b"]);
      expect(await raw.exists(kv.driver.layout.expiry)).toBe(0);
    } finally {
      raw.destroy();
    }
  });

  serverIt("a cursor is an exclusive member: keys written and deleted between pages neither repeat nor skip the others", async () => {
    const kv = store();
    await kv.putMany(["k1", "k3", "k5", "k7"].map((key) => ({ key, value: "v" })));
    const first = await kv.list({ limit: 2 });
    expect(first.keys.map((e) => e.key)).toEqual(["k1", "k3"]);
    await kv.put("k2", "v"); // behind the cursor: not listed
    await kv.put("k4", "v"); // ahead of it: listed
    await kv.delete("k3"); // the cursor's own key: the next page still starts after it
    const rest = await kv.list({ limit: 10, cursor: first.cursor! });
    expect(rest.keys.map((e) => e.key)).toEqual(["k4", "k5", "k7"]);
    expect(rest.cursor).toBeUndefined();
  });

  serverIt("putMany() and deleteMany() of 500 keys report every key once, and deleteMany() removes them", async () => {
    const kv = store();
    const keys = Array.from({ length: 500 }, (_, i) => `key-${String(i).padStart(4, "0")}`);
    const put = await kv.putMany(keys.map((key) => ({ key, value: key })));
    expect(put).toEqual({ succeeded: keys, failed: [] });
    expect(await listAll(kv, { limit: 1000 })).toEqual(keys);
    expect(await kv.getText("key-0123")).toBe("key-0123");
    expect(await kv.deleteMany(keys)).toEqual({ succeeded: keys, failed: [] });
    expect(await listAll(kv)).toEqual([]);
  });

  serverIt("a server stopped mid-run makes calls reject promptly with a retryable Network error, and the store works again once it is back", async () => {
    const own = await startTestRedisServer();
    try {
      const kv = createRedisKeyValueStore({ url: own.url, namespace: "outage" });
      try {
        await kv.put("k", "before");
        await own.process.stop();
        for (const call of [kv.get("k"), kv.put("k", "during"), kv.list(), kv.delete("k")]) {
          const err = await rejection(call);
          expect(err.code).toBe("Network");
          expect(err.retryable).toBe(true);
        }
        // Batches report each key's outcome: every key failed, with the same retryable Network.
        const batch = await kv.putMany([{ key: "x", value: "y" }, { key: "z", value: "w" }]);
        expect(batch.succeeded).toEqual([]);
        expect(batch.failed.map((f) => [f.key, f.error.code, f.error.retryable])).toEqual([["x", "Network", true], ["z", "Network", true]]);
        await own.process.restart();
        // The server starts empty (no persistence); the client reconnects in the background.
        await eventually(() => kv.put("k", "after"));
        expect(await kv.getText("k")).toBe("after");
        expect(await listAll(kv)).toEqual(["k"]);
      } finally {
        await kv.close();
      }
    } finally {
      await own.close();
    }
  });

  serverIt("a store whose server is not running rejects with Network, not a hang or a miss, and connects once it runs", async () => {
    const own = await startTestRedisServer();
    await own.process.stop();
    const kv = createRedisKeyValueStore({ url: own.url, namespace: "never-up" });
    try {
      const err = await rejection(kv.get("k"));
      expect(err.code).toBe("Network");
      expect(err.providerCode).toBe("ECONNREFUSED");
      await own.process.restart();
      await eventually(() => kv.put("k", "v"));
      expect(await kv.getText("k")).toBe("v");
    } finally {
      await kv.close();
      await own.close();
    }
  });

  serverIt("a server that stops answering (SIGSTOP) makes a call reject with Timeout after commandTimeoutMs", async () => {
    const own = await startTestRedisServer();
    const kv = createRedisKeyValueStore({ url: own.url, namespace: "paused", commandTimeoutMs: 300 });
    try {
      await kv.put("k", "v");
      own.process.pause();
      const err = await rejection(kv.get("k"));
      expect(err.code).toBe("Timeout");
      expect(err.retryable).toBe(true);
      own.process.resume();
      await eventually(() => kv.getText("k"));
      expect(await kv.getText("k")).toBe("v");
    } finally {
      own.process.resume();
      await kv.close();
      await own.close();
    }
  });

  serverIt("missing or wrong credentials reject Unauthorized (NOAUTH / WRONGPASS) without printing the password", async () => {
    const own = await startTestRedisServer(["--requirepass", "s3cret-pass"]);
    const noAuth = createRedisKeyValueStore({ url: own.url, namespace: "auth" });
    const wrong = createRedisKeyValueStore({ url: own.url.replace("redis://", "redis://default:wrong-pass@"), namespace: "auth" });
    const right = createRedisKeyValueStore({ url: own.url, password: "s3cret-pass", namespace: "auth" });
    try {
      const a = await rejection(noAuth.get("k"));
      expect([a.code, a.providerCode, a.retryable]).toEqual(["Unauthorized", "NOAUTH", false]);
      const b = await rejection(wrong.put("k", "v"));
      expect([b.code, b.providerCode, b.retryable]).toEqual(["Unauthorized", "WRONGPASS", false]);
      expect(JSON.stringify(b.toJSON()) + b.message + String(b.stack)).not.toContain("wrong-pass");
      await right.put("k", "v");
      expect(await right.getText("k")).toBe("v");
    } finally {
      for (const s of [noAuth, wrong, right]) await s.close();
      await own.close();
    }
  });

  serverIt("a full server (maxmemory, noeviction) rejects put() with QuotaExceeded (-OOM) and still serves get, list and delete", async () => {
    const own = await startTestRedisServer(["--maxmemory", "2mb", "--maxmemory-policy", "noeviction"]);
    const kv = createRedisKeyValueStore({ url: own.url, namespace: "full" });
    try {
      const chunk = new Uint8Array(256 * 1024);
      let err: StorageError | undefined;
      for (let i = 0; i < 64 && err === undefined; i++) {
        err = await kv.put(`k${i}`, chunk).then(() => undefined, (e: StorageError) => e);
      }
      expect([err?.code, err?.providerCode, err?.retryable]).toEqual(["QuotaExceeded", "OOM", false]);
      expect(await kv.get("k0")).toEqual(chunk);
      const listed = await listAll(kv);
      expect(listed.length).toBeGreaterThan(0);
      expect(await kv.delete("k0")).toBe(true);
    } finally {
      await kv.close();
      await own.close();
    }
  });

  serverIt("a write to a read-only replica rejects ServiceUnavailable (READONLY), retryable", async () => {
    const replica = await startTestRedisServer(["--replicaof", "127.0.0.1", String(server.process.port)]);
    const kv = createRedisKeyValueStore({ url: replica.url, namespace: "replica" });
    try {
      const err = await rejection(kv.put("k", "v"));
      expect([err.code, err.providerCode, err.retryable]).toEqual(["ServiceUnavailable", "READONLY", true]);
    } finally {
      await kv.close();
      await replica.close();
    }
  });

  serverIt("a cluster node that serves no slot rejects ServiceUnavailable (CLUSTERDOWN), retryable", async () => {
    const node = await startTestRedisServer(["--cluster-enabled", "yes"]);
    // Addressed as a standalone server, the node answers every keyed command itself.
    const kv = createRedisKeyValueStore({ url: node.url, namespace: "down" });
    try {
      const err = await rejection(kv.get("k"));
      expect([err.code, err.providerCode, err.retryable]).toEqual(["ServiceUnavailable", "CLUSTERDOWN", true]);
    } finally {
      await kv.close();
      await node.close();
    }
  });
});

describe("redis key-value store on a three-node cluster", () => {
  const clusterIt = canStartRedisCluster() ? it : (name: string) => it(name, (ctx) => ctx.skip("redis-server and redis-cli are needed to start a cluster"));
  let cluster: TestRedisCluster | undefined;
  beforeAll(async () => {
    if (canStartRedisCluster()) cluster = await startTestRedisCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
  });

  clusterIt("each namespace lives whole in one hash slot (its own) and lists in byte order through the cluster client", async () => {
    const raw = createClient({ url: cluster!.rootNodes[0]! });
    await raw.connect();
    try {
      const namespaces = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];
      const slots = new Set<number>();
      for (const namespace of namespaces) {
        const kv = createRedisKeyValueStore({ cluster: { rootNodes: [...cluster!.rootNodes] }, namespace });
        try {
          await kv.putMany(["b", "a", "\u00e9", "\u{1f600}", "\uff01"].map((key) => ({ key, value: key })));
          expect(await listAll(kv, { limit: 2 })).toEqual(["a", "b", "\u00e9", "\uff01", "\u{1f600}"]);
          const own = new Set([kv.driver.layout.index, kv.driver.layout.value("a"), kv.driver.layout.value("\u{1f600}")].map((k) => raw.clusterKeySlot(k)));
          const resolved = await Promise.all(own);
          expect(new Set(resolved).size).toBe(1);
          slots.add(resolved[0]!);
          await kv.deleteMany(["a", "b", "\u00e9", "\u{1f600}", "\uff01"]);
        } finally {
          await kv.close();
        }
      }
      expect(slots.size).toBe(namespaces.length);
    } finally {
      raw.destroy();
    }
  });
});
