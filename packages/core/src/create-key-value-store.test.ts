import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { ManualClock } from "./clock.js";
import { createKeyValueStore } from "./create-key-value-store.js";
import { transportSignal } from "./guarded-call.js";
import type { KeyValueStore, KeyValueStoreDriver } from "./key-value-store.js";
import type { KeyValueLayer } from "./layer.js";
import { withRetry } from "./layers/with-retry.js";
import { withTimeout } from "./layers/with-timeout.js";
import { defineLimits } from "./limits.js";
import { StorageError, isStorageError, type StorageErrorCode } from "./storage-error.js";
import { SMALL_KV_LIMITS, fakeKvDriver } from "./test-fake-drivers.js";

const bytes = (...b: number[]) => new Uint8Array(b);
const text = (s: string) => new TextEncoder().encode(s);

async function rejection(p: Promise<unknown>): Promise<StorageError> {
  try {
    await p;
  } catch (err) {
    if (isStorageError(err)) return err;
    throw err;
  }
  throw new Error("expected a rejection");
}

async function codeOf(p: Promise<unknown>): Promise<StorageErrorCode> {
  return (await rejection(p)).code;
}

function setup(overrides: Partial<KeyValueStoreDriver> = {}, limits = SMALL_KV_LIMITS) {
  const fake = fakeKvDriver(limits, overrides);
  const clock = new ManualClock();
  const store = createKeyValueStore(fake.driver, { clock });
  return { ...fake, store, clock };
}

describe("createKeyValueStore: reads and writes", () => {
  it("put() then get() round-trips bytes, strings (as UTF-8) and streams", async () => {
    const { store } = setup();
    await store.put("b", bytes(0, 255, 128));
    await store.put("s", "héllo");
    async function* chunks() {
      yield bytes(1);
      yield bytes(2, 3);
    }
    await store.put("i", chunks());
    expect(await store.get("b")).toEqual(bytes(0, 255, 128));
    expect(await store.get("s")).toEqual(text("héllo"));
    expect(await store.get("i")).toEqual(bytes(1, 2, 3));
  });

  it("get() of a missing key resolves undefined, as do getText(), getJson() and getWithMetadata()", async () => {
    const { store } = setup();
    expect(await store.get("nope")).toBeUndefined();
    expect(await store.getText("nope")).toBeUndefined();
    expect(await store.getJson("nope")).toBeUndefined();
    expect(await store.getWithMetadata("nope")).toBeUndefined();
  });

  it("getText() decodes UTF-8 and rejects invalid UTF-8 with InvalidArgument naming the key", async () => {
    const { store } = setup();
    await store.put("t", "naïve");
    await store.put("bad", bytes(0xff, 0xfe));
    expect(await store.getText("t")).toBe("naïve");
    const err = await rejection(store.getText("bad"));
    expect(err).toMatchObject({ code: "InvalidArgument", operation: "getText", key: "bad" });
  });

  it("getJson() parses JSON and rejects invalid JSON with InvalidArgument", async () => {
    const { store } = setup();
    await store.put("j", '{"a":[1,2]}');
    await store.put("notjson", "{a:");
    expect(await store.getJson<{ a: number[] }>("j")).toEqual({ a: [1, 2] });
    expect(await rejection(store.getJson("notjson"))).toMatchObject({ code: "InvalidArgument", operation: "getJson", key: "notjson" });
  });

  it("getWithMetadata() returns the value with its expiry", async () => {
    const { store, clock } = setup();
    const expiresAt = new Date(clock.now() + 3_600_000);
    await store.put("e", "v", { expiresAt });
    expect(await store.getWithMetadata("e")).toEqual({ key: "e", value: text("v"), expiresAt });
  });

  it("delete() resolves whether the key existed", async () => {
    const { store } = setup();
    await store.put("k", "v");
    expect(await store.delete("k")).toBe(true);
    expect(await store.delete("k")).toBe(false);
  });

  it("put() of a value over putLargeMaxValueBytes rejects ValueTooLarge before any driver call, for bytes and streams", async () => {
    const { store, ops } = setup();
    await store.put("max", new Uint8Array(20));
    expect(await codeOf(store.put("k", new Uint8Array(21)))).toBe("ValueTooLarge");
    async function* big() {
      for (let i = 0; i < 100; i++) yield new Uint8Array(5);
    }
    expect(await codeOf(store.put("k", big()))).toBe("ValueTooLarge");
    expect(ops()).toEqual(["put"]);
  });

  it("put() with ttlSeconds and expiresAt together, a fractional or too-small TTL, or a past expiresAt rejects InvalidArgument", async () => {
    const { store, clock, ops } = setup();
    const future = new Date(clock.now() + 120_000);
    expect(await codeOf(store.put("k", "v", { ttlSeconds: 60, expiresAt: future }))).toBe("InvalidArgument");
    expect(await codeOf(store.put("k", "v", { ttlSeconds: 60.5 }))).toBe("InvalidArgument");
    expect(await codeOf(store.put("k", "v", { ttlSeconds: 59 }))).toBe("InvalidArgument");
    expect(await codeOf(store.put("k", "v", { expiresAt: new Date(clock.now()) }))).toBe("InvalidArgument");
    expect(await codeOf(store.put("k", "v", { expiresAt: new Date(NaN) }))).toBe("InvalidArgument");
    expect(ops()).toEqual([]);
    await store.put("k", "v", { ttlSeconds: 60 });
    expect(ops()).toEqual(["put"]);
  });

  it("put() with ttlSeconds on a store without putWithTtl rejects Unsupported", async () => {
    const { store } = setup({}, defineLimits({ ...SMALL_KV_LIMITS, putWithTtl: false }));
    expect(await codeOf(store.put("k", "v", { ttlSeconds: 60 }))).toBe("Unsupported");
  });

  it("get() with a bad key rejects InvalidKey / KeyTooLong before any driver call, with operation and key set", async () => {
    const { store, ops } = setup();
    expect(await rejection(store.get("a b"))).toMatchObject({ code: "InvalidKey", operation: "get", key: "a b" });
    expect(await codeOf(store.get(""))).toBe("InvalidKey");
    expect(await codeOf(store.get("x".repeat(17)))).toBe("KeyTooLong");
    expect(ops()).toEqual([]);
  });
});

describe("createKeyValueStore: argument types", () => {
  const calls: Array<[string, (s: KeyValueStore) => Promise<unknown>]> = [
    ["get(42)", (s) => s.get(42 as unknown as string)],
    ["get(undefined)", (s) => (s.get as (k?: string) => Promise<unknown>)()],
    ["get('k', 'opts')", (s) => s.get("k", "opts" as never)],
    ["get('k', { signal: {} })", (s) => s.get("k", { signal: {} as AbortSignal })],
    ["put('k', 42)", (s) => s.put("k", 42 as never)],
    ["put('k', null)", (s) => s.put("k", null as never)],
    ["put('k', 'v', { ttlSeconds: '60' })", (s) => s.put("k", "v", { ttlSeconds: "60" as never })],
    ["put('k', 'v', { expiresAt: 123 })", (s) => s.put("k", "v", { expiresAt: 123 as never })],
    ["delete({})", (s) => s.delete({} as never)],
    ["list({ limit: '2' })", (s) => s.list({ limit: "2" as never })],
    ["list({ prefix: 1 })", (s) => s.list({ prefix: 1 as never })],
    ["putMany('x')", (s) => s.putMany("x" as never)],
    ["putMany([{ key: 1, value: 'v' }])", (s) => s.putMany([{ key: 1 as never, value: "v" }])],
    ["putMany([{ key: 'k', value: 5 }])", (s) => s.putMany([{ key: "k", value: 5 as never }])],
    ["putMany([null])", (s) => s.putMany([null as never])],
    ["deleteMany([1])", (s) => s.deleteMany([1 as never])],
  ];

  it.each(calls)("%s rejects InvalidArgument without calling the driver", async (_name, call) => {
    const { store, ops } = setup();
    const err = await rejection(call(store));
    expect(err.code).toBe("InvalidArgument");
    expect(err.operation).toBeDefined();
    expect(ops()).toEqual([]);
  });

  it("createKeyValueStore() without a driver or with non-function layers throws InvalidArgument", () => {
    expect(() => createKeyValueStore(undefined as never)).toThrow(StorageError);
    expect(() => createKeyValueStore(fakeKvDriver().driver, { layers: [42 as never] })).toThrow(StorageError);
  });

  it("createKeyValueStore() over a driver whose manifest no call could satisfy throws InvalidArgument at once", () => {
    // A plain object, not through defineLimits: a third-party driver's manifest is checked too.
    const driver = fakeKvDriver({ ...SMALL_KV_LIMITS, listMaxPageSize: 0 }).driver;
    expect(() => createKeyValueStore(driver)).toThrow(expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining("listMaxPageSize") }));
  });
});

describe("createKeyValueStore: listing", () => {
  it("list() returns pages and keys() iterates every key across pages in order", async () => {
    const { store } = setup();
    for (const k of ["c", "a", "e", "b", "d"]) await store.put(k, "v");
    const first = await store.list({ limit: 2 });
    expect(first.keys.map((k) => k.key)).toEqual(["a", "b"]);
    expect(first.cursor).toBeDefined();
    const seen: string[] = [];
    for await (const entry of store.keys({ limit: 2 })) seen.push(entry.key);
    expect(seen).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("keys() with a prefix yields only matching keys", async () => {
    const { store } = setup();
    for (const k of ["x1", "y1", "x2", "x3"]) await store.put(k, "v");
    const seen: string[] = [];
    for await (const entry of store.keys({ prefix: "x" })) seen.push(entry.key);
    expect(seen).toEqual(["x1", "x2", "x3"]);
  });

  it.each([0, 3, 1.5, -1])("list({ limit: %s }) outside 1..listMaxPageSize rejects InvalidArgument", async (limit) => {
    const { store, ops } = setup();
    expect(await codeOf(store.list({ limit }))).toBe("InvalidArgument");
    expect(ops()).toEqual([]);
  });
});

describe("createKeyValueStore: batches", () => {
  it("putMany() splits entries into requests of at most putManyMaxBytes value bytes and merges the results in order", async () => {
    const { store, calls } = setup();
    const entries = [4, 4, 4, 6, 10, 1].map((n, i) => ({ key: `k${i}`, value: new Uint8Array(n) }));
    const result = await store.putMany(entries);
    expect(result).toEqual({ succeeded: ["k0", "k1", "k2", "k3", "k4", "k5"], failed: [] });
    const sent = calls.filter((c) => c.operation === "putMany").map((c) => (c.args[0] as Array<{ key: string; value: Uint8Array }>).map((e) => e.key));
    expect(sent).toEqual([["k0", "k1"], ["k2", "k3"], ["k4"], ["k5"]]);
    for (const batch of calls.filter((c) => c.operation === "putMany")) {
      const total = (batch.args[0] as Array<{ value: Uint8Array }>).reduce((n, e) => n + e.value.byteLength, 0);
      expect(total).toBeLessThanOrEqual(SMALL_KV_LIMITS.putManyMaxBytes);
    }
  });

  it("putMany() reports entries failing validation in failed and still writes the others", async () => {
    const { store, data, clock } = setup();
    const result = await store.putMany([
      { key: "ok", value: "v" },
      { key: "bad key", value: "v" },
      { key: "big", value: new Uint8Array(11) },
      { key: "ttl", value: "v", ttlSeconds: 1 },
      { key: "past", value: "v", expiresAt: new Date(clock.now() - 1) },
      { key: "surrogate", value: "\uD800" },
      { key: "ok2", value: bytes(1) },
    ]);
    expect(result.succeeded).toEqual(["ok", "ok2"]);
    expect(Object.fromEntries(result.failed.map((f) => [f.key, f.error.code]))).toEqual({
      "bad key": "InvalidKey",
      big: "ValueTooLarge",
      ttl: "InvalidArgument",
      past: "InvalidArgument",
      surrogate: "InvalidArgument",
    });
    for (const f of result.failed) expect(f.error).toMatchObject({ operation: "putMany", key: f.key });
    expect([...data.keys()].sort()).toEqual(["ok", "ok2"]);
  });

  it("putMany() marks every key of a request that fails as a whole as failed, and still sends the other requests", async () => {
    let n = 0;
    const { store } = setup({
      async putMany(entries) {
        n++;
        if (n === 1) throw new StorageError({ code: "ServiceUnavailable", message: "503" });
        return { succeeded: entries.map((e) => e.key), failed: [] };
      },
    });
    const result = await store.putMany([
      { key: "a", value: new Uint8Array(6) },
      { key: "b", value: new Uint8Array(6) },
    ]);
    expect(result.succeeded).toEqual(["b"]);
    expect(result.failed.map((f) => [f.key, f.error.code])).toEqual([["a", "ServiceUnavailable"]]);
  });

  it("putMany() and deleteMany() on a store without batch support reject Unsupported, even for an empty list", async () => {
    const { store, ops } = setup({}, defineLimits({ ...SMALL_KV_LIMITS, putMany: false, deleteMany: false }));
    expect(await codeOf(store.putMany([{ key: "k", value: "v" }]))).toBe("Unsupported");
    expect(await codeOf(store.putMany([]))).toBe("Unsupported");
    expect(await codeOf(store.deleteMany(["k"]))).toBe("Unsupported");
    expect(await codeOf(store.deleteMany([]))).toBe("Unsupported");
    expect(ops()).toEqual([]);
  });

  it("putMany([]) resolves empty without a driver call", async () => {
    const { store, ops } = setup();
    expect(await store.putMany([])).toEqual({ succeeded: [], failed: [] });
    expect(ops()).toEqual([]);
  });

  it("deleteMany() splits keys into requests of at most deleteManyMaxKeys and reports invalid keys in failed", async () => {
    const { store, calls } = setup();
    const keys = ["a", "b", "c", "d", "bad key", "e", "f"];
    const result = await store.deleteMany(keys);
    expect(result.succeeded).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(result.failed.map((f) => [f.key, f.error.code])).toEqual([["bad key", "InvalidKey"]]);
    const sent = calls.filter((c) => c.operation === "deleteMany").map((c) => c.args[0]);
    expect(sent).toEqual([["a", "b", "c"], ["d", "e"], ["f"]]);
  });
});

describe("createKeyValueStore: abort, errors and close", () => {
  it("get() with an already aborted signal rejects Aborted without calling the driver", async () => {
    const { store, ops } = setup();
    const ac = new AbortController();
    ac.abort();
    expect(await rejection(store.get("k", { signal: ac.signal }))).toMatchObject({ code: "Aborted", operation: "get", key: "k" });
    expect(ops()).toEqual([]);
  });

  it("get() rejects Aborted as soon as the signal fires, even if the driver never answers", async () => {
    const { store } = setup({ get: () => new Promise(() => undefined) });
    const ac = new AbortController();
    const pending = store.get("k", { signal: ac.signal });
    setTimeout(() => ac.abort(new Error("user gave up")), 5);
    expect(await codeOf(pending)).toBe("Aborted");
  });

  it("put() with a stalled stream rejects Aborted when the signal fires", async () => {
    const { store } = setup();
    const ac = new AbortController();
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes(1));
      },
    });
    const pending = store.put("k", stalled, { signal: ac.signal });
    setTimeout(() => ac.abort(), 5);
    expect(await codeOf(pending)).toBe("Aborted");
  });

  it("the driver receives the caller's signal, or a signal that never fires when none was given", async () => {
    const { store, calls } = setup();
    const ac = new AbortController();
    await store.get("k", { signal: ac.signal });
    await store.get("k");
    expect(calls[0]!.signal).toBe(ac.signal);
    expect(calls[1]!.signal).toBeInstanceOf(AbortSignal);
    expect(calls[1]!.signal.aborted).toBe(false);
  });

  it("transportSignal() of the never-firing signal a driver gets without a caller signal is undefined, and of a caller's signal is that signal", async () => {
    const { store, calls } = setup();
    const ac = new AbortController();
    await store.get("k", { signal: ac.signal });
    await store.get("k");
    expect(transportSignal(calls[0]!.signal)).toBe(ac.signal);
    expect(transportSignal(calls[1]!.signal)).toBeUndefined();
    expect(transportSignal(undefined)).toBeUndefined();
  });

  it("put() of a stream without a signal reads it with no abort listener on the never-firing signal", async () => {
    const { store, calls } = setup();
    await store.get("k");
    const never = calls[0]!.signal;
    const listening: number[] = [];
    async function* chunks() {
      for (const b of [1, 2]) {
        await new Promise((resolve) => setImmediate(resolve));
        listening.push(getEventListeners(never, "abort").length);
        yield bytes(b);
      }
    }
    await store.put("s", chunks());
    expect(await store.get("s")).toEqual(bytes(1, 2));
    expect(listening).toEqual([0, 0]);
  });

  it("get() without a signal through withTimeout() adds no abort listener to the never-firing signal and still times out", async () => {
    const { store, calls } = setup();
    await store.get("k");
    const never = calls[0]!.signal;
    const listening: number[] = [];
    const timed = setup({
      async get(_key, ctx) {
        listening.push(getEventListeners(never, "abort").length);
        return new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true }));
      },
    });
    const withTimeoutStore = createKeyValueStore(timed.driver, { layers: [withTimeout({ ms: 5 })] });
    expect(await codeOf(withTimeoutStore.get("k"))).toBe("Timeout");
    expect(listening).toEqual([0]);
  });

  it("get() without a signal through withRetry() sleeps before its second attempt with no abort listener on the never-firing signal", async () => {
    const { store, calls } = setup();
    await store.get("k");
    const never = calls[0]!.signal;
    const listening: number[] = [];
    let attempts = 0;
    const flaky = setup({
      async get() {
        attempts += 1;
        if (attempts > 1) return undefined;
        // Fires during the ~50 ms backoff sleep, which starts right after this rejection.
        setTimeout(() => listening.push(getEventListeners(never, "abort").length), 1);
        throw new StorageError({ code: "ServiceUnavailable", message: "busy", retryable: true });
      },
    });
    const retrying = createKeyValueStore(flaky.driver, { layers: [withRetry({ baseDelayMs: 50, random: () => 0.99 })] });
    expect(await retrying.get("k")).toBeUndefined();
    expect(attempts).toBe(2);
    expect(listening).toEqual([0]);
  });

  it("putMany() aborted between requests rejects Aborted instead of reporting keys failed", async () => {
    const ac = new AbortController();
    const { store } = setup({
      async putMany(entries) {
        ac.abort();
        return { succeeded: entries.map((e) => e.key), failed: [] };
      },
    });
    const entries = [6, 6].map((n, i) => ({ key: `k${i}`, value: new Uint8Array(n) }));
    expect(await codeOf(store.putMany(entries, { signal: ac.signal }))).toBe("Aborted");
  });

  it("a driver throwing a TypeError surfaces as StorageError Internal with the operation and key, the original as cause", async () => {
    const boom = new TypeError("cannot read properties of undefined");
    const { store } = setup({
      async get() {
        throw boom;
      },
    });
    const err = await rejection(store.get("k"));
    expect(err).toMatchObject({ code: "Internal", operation: "get", key: "k" });
    expect(err.cause).toBe(boom);
  });

  it("a driver StorageError without operation or key gets them; one with them keeps its fields, its words in detail", async () => {
    const bare = new StorageError({ code: "NamespaceNotFound", message: "gone", providerCode: "InvalidNameSpace.NotFound", httpStatus: 404 });
    const full = new StorageError({ code: "QuotaExceeded", message: "full", operation: "put", key: "k" });
    const { store } = setup({
      async get() {
        throw bare;
      },
      async put() {
        throw full;
      },
    });
    expect(await rejection(store.get("k"))).toMatchObject({
      code: "NamespaceNotFound",
      operation: "get",
      key: "k",
      providerCode: "InvalidNameSpace.NotFound",
      httpStatus: 404,
    });
    expect(await rejection(store.put("k", "v"))).toMatchObject({ code: "QuotaExceeded", operation: "put", key: "k", detail: "full", message: "put k: QuotaExceeded: full" });
  });

  it("calls after close() reject InvalidArgument, close() closes the driver once and is idempotent", async () => {
    const { store, closeCount, ops } = setup();
    await store.close();
    await store.close();
    expect(closeCount()).toBe(1);
    const err = await rejection(store.get("k"));
    expect(err.code).toBe("InvalidArgument");
    expect(err.message).toMatch(/closed/);
    expect(await codeOf(store.putMany([]))).toBe("InvalidArgument");
    const it = store.keys()[Symbol.asyncIterator]();
    expect(await codeOf(it.next())).toBe("InvalidArgument");
    expect(ops()).toEqual([]);
  });

  it("close() of a store whose driver fails to close rejects with operation close, and a foreign error becomes Internal", async () => {
    const failing = setup({
      async close() {
        throw new StorageError({ code: "Network", message: "socket gone" });
      },
    });
    expect(await rejection(failing.store.close())).toMatchObject({ code: "Network", operation: "close" });
    const foreign = setup({
      async close() {
        throw new TypeError("boom");
      },
    });
    expect(await rejection(foreign.store.close())).toMatchObject({ code: "Internal", operation: "close" });
    expect(await codeOf(foreign.store.get("k"))).toBe("InvalidArgument");
  });
});

describe("createKeyValueStore: layers", () => {
  it("layers run in array order (first = outer) below validation: invalid calls never reach them", async () => {
    const trace: string[] = [];
    const tracing =
      (name: string): KeyValueLayer =>
      (inner) => ({
        ...inner,
        get: async (key, ctx) => {
          trace.push(`${name}>`);
          const r = await inner.get(key, ctx);
          trace.push(`<${name}`);
          return r;
        },
      });
    const fake = fakeKvDriver();
    const store = createKeyValueStore(fake.driver, { layers: [tracing("outer"), tracing("inner")] });
    await store.get("k");
    expect(trace).toEqual(["outer>", "inner>", "<inner", "<outer"]);
    trace.length = 0;
    expect(await codeOf(store.get("bad key"))).toBe("InvalidKey");
    expect(trace).toEqual([]);
  });
});
