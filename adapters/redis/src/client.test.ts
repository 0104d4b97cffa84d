/*
 * Script calls keep call order on a server that does not know the scripts yet (client.ts,
 * evalScript): a fresh server, one restarted under a connected store, one whose script cache
 * was flushed before the store reconnected. These tests run on real servers (a standalone one
 * per case and a three-node cluster), all started here.
 */
import { randomUUID } from "node:crypto";
import type { DriverCallContext } from "@stowage/core";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RedisTarget } from "./config.js";
import { createRedisKeyValueStore, type RedisKeyValueStore } from "./key-value-store.js";
import { canStartRedisCluster, redisAvailability, startTestRedisCluster, startTestRedisServer, type TestRedisCluster, type TestRedisServer } from "./local-redis-server.js";
import { eventually } from "./test-store-helpers.js";

const availability = redisAvailability();
const canSpawn = availability.available && availability.via === "spawn";
const serverIt = canSpawn ? it : (name: string) => it(name, (ctx) => ctx.skip("redis-server is not installed; these tests start their own servers"));
const clusterIt = canStartRedisCluster() ? it : (name: string) => it(name, (ctx) => ctx.skip("redis-server and redis-cli are needed to start a cluster"));

/**
 * The driver directly: the facade's own steps decide when each call reaches the driver (a put
 * takes more of them than a get); from the driver on, the server must see the calls in the
 * order they arrived. A context without a signal is what the facade passes a call made without one.
 */
const ctx = {} as DriverCallContext;
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined) => (value === undefined ? undefined : new TextDecoder().decode(value));

/**
 * The two orderings the issue names, on scripts the server has not seen on this connection:
 * a new key's put (a put group) then a get in the same tick, and, for a key put before, a
 * delete then a get in the same tick. Returns what each get saw.
 */
async function issuedTogether(kv: RedisKeyValueStore, tag: string): Promise<{ putThenGet: string | undefined; deleteThenGet: string | undefined; deleted: boolean }> {
  const d = kv.driver;
  const [, got] = await Promise.all([d.put(`new-${tag}`, bytes("v-new"), {}, ctx), d.get(`new-${tag}`, ctx)]);
  const [deleted, gone] = await Promise.all([d.delete(`new-${tag}`, ctx), d.get(`new-${tag}`, ctx)]);
  return { putThenGet: text(got?.value), deleteThenGet: text(gone?.value), deleted };
}

/** `calls` and `failed_calls` of one command, from INFO commandstats. */
async function commandStats(admin: { info(section: string): Promise<unknown> }, command: string): Promise<{ calls: number; failed: number }> {
  const line = new RegExp(`cmdstat_${command}:calls=(\\d+).*?failed_calls=(\\d+)`).exec(String(await admin.info("commandstats")));
  return { calls: Number(line?.[1] ?? 0), failed: Number(line?.[2] ?? 0) };
}

describe("script calls on a standalone server", () => {
  let server: TestRedisServer | undefined;
  let admin: ReturnType<typeof createClient> | undefined;
  const stores: RedisKeyValueStore[] = [];
  const store = (target: RedisTarget) => {
    const s = createRedisKeyValueStore({ ...target, namespace: `s-${randomUUID()}` });
    stores.push(s);
    return s;
  };
  // One server per case: each starts on a script cache nothing has filled yet.
  beforeAll(async () => {
    if (!canSpawn) return;
    server = await startTestRedisServer();
    admin = createClient({ url: server.url });
    await admin.connect();
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    admin?.destroy();
    await server?.close();
  });

  serverIt("on a fresh server, a delete then a get issued together after an awaited put see the delete, and a put then a get see the put", async () => {
    const own = await startTestRedisServer();
    try {
      const kv = store({ url: own.url });
      await kv.put("k", "v1");
      const d = kv.driver;
      const [deleted, got] = await Promise.all([d.delete("k", ctx), d.get("k", ctx)]);
      expect(deleted).toBe(true);
      expect(got).toBeUndefined();
      const [, again] = await Promise.all([d.put("fresh", bytes("v2"), {}, ctx), d.get("fresh", ctx)]);
      expect(text(again?.value)).toBe("v2");
    } finally {
      await own.close();
    }
  });

  serverIt("a put group and a get issued together are the first calls on a fresh server: the get sees the put", async () => {
    const own = await startTestRedisServer();
    try {
      const kv = store({ url: own.url });
      expect(await issuedTogether(kv, "first")).toEqual({ putThenGet: "v-new", deleteThenGet: undefined, deleted: true });
    } finally {
      await own.close();
    }
  });

  serverIt("each script goes as EVAL once per connection, then as EVALSHA, and no call is answered NOSCRIPT", async () => {
    const own = await startTestRedisServer();
    const ownAdmin = createClient({ url: own.url });
    try {
      await ownAdmin.connect();
      const kv = store({ url: own.url });
      for (let i = 0; i < 5; i++) {
        await kv.put(`k${i}`, "v");
        await kv.delete(`k${i}`);
      }
      // Two scripts (put, delete), ten calls: one EVAL each, EVALSHA for the other eight.
      expect(await commandStats(ownAdmin, "eval")).toEqual({ calls: 2, failed: 0 });
      expect(await commandStats(ownAdmin, "evalsha")).toEqual({ calls: 8, failed: 0 });
    } finally {
      ownAdmin.destroy();
      await own.close();
    }
  });

  serverIt("after SCRIPT FLUSH and a forced reconnect (CLIENT KILL), the first calls are sent as EVAL again and keep call order", async () => {
    const kv = store({ url: server!.url });
    // Both scripts used on this connection first, so the store has sent them before.
    expect(await issuedTogether(kv, "before")).toEqual({ putThenGet: "v-new", deleteThenGet: undefined, deleted: true });
    await admin!.scriptFlush();
    // Drops every connection but the admin's own: the store reconnects in the background.
    await admin!.sendCommand(["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"]);
    await eventually(() => kv.get("probe"));
    const evalBefore = (await commandStats(admin!, "eval")).calls;
    expect(await issuedTogether(kv, "after")).toEqual({ putThenGet: "v-new", deleteThenGet: undefined, deleted: true });
    expect((await commandStats(admin!, "eval")).calls).toBe(evalBefore + 2);
  });

  serverIt("after a server restart under a connected store, the first calls re-send the scripts and keep call order", async () => {
    const own = await startTestRedisServer();
    try {
      const kv = store({ url: own.url });
      expect(await issuedTogether(kv, "before")).toEqual({ putThenGet: "v-new", deleteThenGet: undefined, deleted: true });
      await kv.put("kept", "x");
      await own.process.stop();
      await own.process.restart();
      // The server starts empty (no persistence), its script cache too.
      await eventually(() => kv.get("probe"));
      expect(await issuedTogether(kv, "after")).toEqual({ putThenGet: "v-new", deleteThenGet: undefined, deleted: true });
      await kv.put("k", "v1");
      const [deleted, got] = await Promise.all([kv.driver.delete("k", ctx), kv.driver.get("k", ctx)]);
      expect([deleted, got]).toEqual([true, undefined]);
      expect(await kv.get("kept")).toBeUndefined();
    } finally {
      await own.close();
    }
  });

  serverIt("SCRIPT FLUSH without a reconnect still works: EVALSHA answered NOSCRIPT is re-sent as EVAL", async () => {
    const kv = store({ url: server!.url });
    await kv.put("a", "1");
    await admin!.scriptFlush();
    const failedBefore = (await commandStats(admin!, "evalsha")).failed;
    await kv.put("b", "2");
    // The fallback ran: one EVALSHA failed (NOSCRIPT), the put went through as EVAL.
    expect((await commandStats(admin!, "evalsha")).failed).toBe(failedBefore + 1);
    expect(await kv.getText("b")).toBe("2");
    expect((await kv.list()).keys.map((e) => e.key)).toEqual(["a", "b"]);
  });
});

describe("script calls on a three-node cluster", () => {
  let cluster: TestRedisCluster | undefined;
  beforeAll(async () => {
    if (canStartRedisCluster()) cluster = await startTestRedisCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
  });

  /** SCRIPT FLUSH on every node, then CLIENT KILL of every other connection (the stores' and the cluster client's). */
  async function flushAndDisconnect(): Promise<void> {
    for (const url of cluster!.rootNodes) {
      const node = createClient({ url });
      await node.connect();
      try {
        await node.scriptFlush();
        await node.sendCommand(["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"]);
      } finally {
        node.destroy();
      }
    }
  }

  clusterIt("on fresh nodes and after SCRIPT FLUSH plus reconnect, calls issued together reach the slot's node in call order", async () => {
    const kv = createRedisKeyValueStore({ cluster: { rootNodes: [...cluster!.rootNodes] }, namespace: `c-${randomUUID()}` });
    try {
      await kv.put("k", "v1");
      const [deleted, got] = await Promise.all([kv.driver.delete("k", ctx), kv.driver.get("k", ctx)]);
      expect([deleted, got]).toEqual([true, undefined]);
      expect(await issuedTogether(kv, "fresh")).toEqual({ putThenGet: "v-new", deleteThenGet: undefined, deleted: true });
      await flushAndDisconnect();
      await eventually(() => kv.get("probe"));
      expect(await issuedTogether(kv, "reconnected")).toEqual({ putThenGet: "v-new", deleteThenGet: undefined, deleted: true });
    } finally {
      await kv.close();
    }
  });
});
