import { randomUUID } from "node:crypto";
import { isStorageError, type StorageError } from "@stowage/core";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RedisKeyValueStoreOptions } from "./config.js";
import { createRedisKeyValueStore } from "./key-value-store.js";
import { canStartRedisCluster, redisAvailability, startTestRedisCluster, startTestRedisServer, type TestRedisCluster, type TestRedisServer } from "./local-redis-server.js";
import { eventually, listAll } from "./test-store-helpers.js";

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

  serverIt("a put without expiry after an expiring put: the key stays listed, with no expiresAt, past the old instant", async () => {
    const kv = store();
    // The put without expiry leaves the expiry-index entries in place (fewer script calls);
    // the listing must see through them, for an instant still ahead and for one gone by.
    await kv.put("later", "1", { expiresAt: new Date(Date.now() + 3_600_000) });
    await kv.put("soon", "1", { expiresAt: new Date(Date.now() + 150) });
    await kv.put("gone", "1", { expiresAt: new Date(Date.now() + 150) });
    await kv.put("later", "2");
    await kv.put("soon", "2");
    expect(await kv.list()).toEqual({ keys: [{ key: "gone", expiresAt: expect.any(Date) }, { key: "later" }, { key: "soon" }] });
    await eventually(async () => {
      if ((await kv.get("gone")) !== undefined) throw new Error("not expired yet");
    });
    expect(await kv.list()).toEqual({ keys: [{ key: "later" }, { key: "soon" }] });
    expect(await kv.getText("soon")).toBe("2");
    expect((await kv.getWithMetadata("later"))?.expiresAt).toBeUndefined();
    const raw = createClient({ url: server.url });
    await raw.connect();
    try {
      // The stale entries were dropped as the listings passed them; the index kept both keys.
      expect(await raw.exists(kv.driver.layout.expiry)).toBe(0);
      expect(await raw.zRange(kv.driver.layout.index, 0, -1)).toEqual(["later", "soon"]);
    } finally {
      raw.destroy();
    }
  });

  serverIt("overwrites, re-puts after delete and after expiry keep exactly one index entry per live key", async () => {
    const kv = store();
    await kv.put("a", "1");
    await kv.put("a", "2"); // an overwrite: SET XX only
    await kv.put("b", "1", { ttlSeconds: 60 });
    await kv.put("b", "2"); // an overwrite of an expiring key: no expiry left
    await kv.put("c", "1", { expiresAt: new Date(Date.now() + 150) });
    await eventually(async () => {
      if ((await kv.get("c")) !== undefined) throw new Error("not expired yet");
    });
    await kv.put("c", "2"); // the value expired, its index entry was still there
    await kv.delete("a");
    expect(await listAll(kv)).toEqual(["b", "c"]);
    await kv.put("a", "3"); // a new key again
    expect(await kv.list()).toEqual({ keys: [{ key: "a" }, { key: "b" }, { key: "c" }] });
    expect([await kv.getText("a"), await kv.getText("b"), await kv.getText("c")]).toEqual(["3", "2", "2"]);
    expect((await kv.getWithMetadata("b"))?.expiresAt).toBeUndefined();
  });

  serverIt("a store whose puts are overwrites sends them as SET XX, and keeps value, index and expiry exact on that path", async () => {
    const kv = store();
    const raw = createClient({ url: server.url });
    await raw.connect();
    // The calls that write an index entry: a put's script (EVALSHA) or a put group's transaction (EXEC).
    const evalCalls = async () => {
      const stats = await raw.info("commandstats");
      return Number(/cmdstat_evalsha:calls=(\d+)/.exec(stats)?.[1] ?? 0) + Number(/cmdstat_exec:calls=(\d+)/.exec(stats)?.[1] ?? 0);
    };
    try {
      await kv.put("hot", "0");
      const before = await evalCalls();
      for (let i = 1; i <= 40; i++) await kv.put("hot", String(i));
      // The first overwrites go through the script; once the store has seen enough of them, SET XX.
      expect(await evalCalls()).toBeLessThan(before + 40);
      expect(await kv.getText("hot")).toBe("40");
      // On the fast path: a new key still gets its index entry, an overwrite clears an expiry.
      await kv.put("fresh", "1");
      await kv.put("ttl", "1", { ttlSeconds: 3600 });
      await kv.put("ttl", "2");
      expect(await kv.list()).toEqual({ keys: [{ key: "fresh" }, { key: "hot" }, { key: "ttl" }] });
      expect((await kv.getWithMetadata("ttl"))?.expiresAt).toBeUndefined();
      expect(await raw.pTTL(kv.driver.layout.value("ttl"))).toBe(-1);
      await kv.delete("hot");
      await kv.put("hot", "again"); // deleted, so a new key: it must be listed again
      expect(await listAll(kv)).toEqual(["fresh", "hot", "ttl"]);
      expect(await kv.getText("hot")).toBe("again");
    } finally {
      raw.destroy();
    }
  });

  serverIt("after SCRIPT FLUSH (as after a restart or failover) put, list and delete fall back from EVALSHA to EVAL and work", async () => {
    const kv = store();
    await kv.put("a", "1");
    const raw = createClient({ url: server.url });
    await raw.connect();
    try {
      await raw.scriptFlush();
      await kv.put("b", "2");
      await raw.scriptFlush();
      await kv.put("c", "3", { ttlSeconds: 60 });
      await raw.scriptFlush();
      expect(await listAll(kv)).toEqual(["a", "b", "c"]);
      await raw.scriptFlush();
      expect(await kv.delete("a")).toBe(true);
      expect(await listAll(kv)).toEqual(["b", "c"]);
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

  clusterIt("on a cluster, overwrites past the fast-path threshold (SET XX), new keys and expired entries list right", async () => {
    const kv = createRedisKeyValueStore({ cluster: { rootNodes: [...cluster!.rootNodes] }, namespace: `fast-${randomUUID()}` });
    try {
      for (let i = 0; i < 40; i++) await kv.put("hot", String(i));
      await kv.put("new", "1");
      await kv.put("soon", "1", { expiresAt: new Date(Date.now() + 150) });
      await kv.put("was-expiring", "1", { ttlSeconds: 3600 });
      await kv.put("was-expiring", "2");
      await eventually(async () => {
        if ((await kv.get("soon")) !== undefined) throw new Error("not expired yet");
      });
      expect(await kv.list()).toEqual({ keys: [{ key: "hot" }, { key: "new" }, { key: "was-expiring" }] });
      expect(await kv.getText("hot")).toBe("39");
      await kv.deleteMany(["hot", "new", "was-expiring"]);
    } finally {
      await kv.close();
    }
  });
});
