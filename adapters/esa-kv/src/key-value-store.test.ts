import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ManualClock, createStorageContainer, isStorageError, KeyValueStoreToken, type KeyValueStore } from "@stowage/core";
import { startEsaKvEmulator, type EsaKvEmulatorOptions } from "@stowage/emulator-esa-kv";
import { afterEach, describe, expect, it } from "vitest";
import { EsaKvClient } from "./client.js";
import { EsaKvCredentials } from "./config.js";
import { createEsaKvStore, EsaKvDriver, type CreateEsaKvStoreOptions, type EsaKvStore } from "./key-value-store.js";
import { esaKvModule } from "./module.js";

const NS = "stowage_test";
const cleanup: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function setup(
  emulatorOptions: EsaKvEmulatorOptions = {},
  storeOptions: Partial<CreateEsaKvStoreOptions> = {},
): Promise<{ store: EsaKvStore; emulator: Awaited<ReturnType<typeof startEsaKvEmulator>> }> {
  const emulator = await startEsaKvEmulator({ namespaces: [NS], ...emulatorOptions });
  cleanup.push(() => emulator.close());
  const store = createEsaKvStore({
    namespace: NS,
    endpoint: emulator.endpoint,
    openPlatformEndpoint: emulator.openPlatformEndpoint,
    ossEndpoint: emulator.ossEndpoint,
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: emulator.accessKeySecret,
    retry: false,
    ...storeOptions,
  });
  cleanup.push(() => store.close());
  return { store, emulator };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

/** An endpoint nothing listens on: any request to it fails with `Network`, so reaching the wire shows. */
async function deadEndpoint(): Promise<string> {
  const dead = createServer();
  await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
  const port = (dead.address() as AddressInfo).port;
  await new Promise<void>((resolve) => dead.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const allBytes = new Uint8Array(256).map((_, i) => i);

describe("EsaKvStore against the emulator", () => {
  it("put() then get() round-trips every byte value exactly", async () => {
    const { store } = await setup();
    await store.put("binary", allBytes);
    expect(await store.get("binary")).toEqual(allBytes);
  });

  it("put() of a string then getText() returns the same text, including non-ASCII", async () => {
    const { store } = await setup();
    await store.put("text", "héllo wörld ✓ 𝄞");
    expect(await store.getText("text")).toBe("héllo wörld ✓ 𝄞");
  });

  it("put() of an empty value then get() returns an empty array, not undefined", async () => {
    const { store } = await setup();
    await store.put("empty", new Uint8Array(0));
    expect(await store.get("empty")).toEqual(new Uint8Array(0));
  });

  it("get() of a missing key resolves undefined", async () => {
    const { store } = await setup();
    expect(await store.get("absent")).toBeUndefined();
  });

  it("delete() resolves true for an existing key and false for a missing one", async () => {
    const { store } = await setup();
    await store.put("k", "v");
    expect(await store.delete("k")).toBe(true);
    expect(await store.get("k")).toBeUndefined();
    expect(await store.delete("k")).toBe(false);
  });

  it("put() with ttlSeconds expires the key once the emulator clock passes it", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { store } = await setup({ clock }, { clock });
    await store.put("ttl", "v", { ttlSeconds: 60 });
    clock.advance(59_000);
    expect(await store.getText("ttl")).toBe("v");
    clock.advance(2_000);
    expect(await store.get("ttl")).toBeUndefined();
  });

  it("put() with expiresAt expires the key at that instant", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { store } = await setup({ clock }, { clock });
    await store.put("abs", "v", { expiresAt: new Date(clock.now() + 30_000) });
    clock.advance(29_000);
    expect(await store.getText("abs")).toBe("v");
    clock.advance(1_000);
    expect(await store.get("abs")).toBeUndefined();
  });

  it("getWithMetadata() reports expiresAt from GetKvDetail for a key with a TTL and none for a key without", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { store } = await setup({ clock }, { clock });
    await store.put("ttl", allBytes, { ttlSeconds: 3600 });
    await store.put("forever", "v");
    const entry = await store.getWithMetadata("ttl");
    expect(entry?.value).toEqual(allBytes);
    expect(entry?.expiresAt?.getTime()).toBe(clock.now() + 3600_000);
    const plain = await store.getWithMetadata("forever");
    expect(plain).toEqual({ key: "forever", value: new TextEncoder().encode("v") });
    expect(await store.getWithMetadata("absent")).toBeUndefined();
  });

  it("put() with expiresAt at the latest Date (8.64e15 ms) reads back a valid Date, not Invalid Date", async () => {
    const { store } = await setup();
    await store.put("far", "v", { expiresAt: new Date(8.64e15) });
    const entry = await store.getWithMetadata("far");
    expect(Number.isNaN(entry?.expiresAt?.getTime())).toBe(false);
    expect(entry?.expiresAt?.getTime()).toBeLessThanOrEqual(8.64e15);
    expect(entry?.expiresAt?.getTime()).toBeGreaterThan(8.64e15 - 86_400_000);
  });

  it("getWithMetadata() of a key another client wrote with ExpirationTtl=9007199254740991 reports the latest Date", async () => {
    const { store, emulator } = await setup();
    const client = new EsaKvClient({
      endpoint: emulator.endpoint,
      openPlatformEndpoint: emulator.openPlatformEndpoint,
      credentials: new EsaKvCredentials(emulator.accessKeyId, emulator.accessKeySecret),
      clock: { now: () => Date.now() },
      connections: 1,
      idleTimeoutMs: 5000,
    });
    cleanup.push(() => client.close());
    await client.putKv({ Namespace: NS, Key: "huge", Value: "v", ExpirationTtl: Number.MAX_SAFE_INTEGER });
    const entry = await store.getWithMetadata("huge");
    expect(entry?.expiresAt?.getTime()).toBe(8.64e15);
  });

  it("put() with an expiry past limits.putMaxExpiresAtSeconds rejects InvalidArgument before any request", async () => {
    const { store } = await setup({}, { endpoint: await deadEndpoint(), limits: { putMaxExpiresAtSeconds: 4_102_444_800 } });
    expect(store.limits.putMaxExpiresAtSeconds).toBe(4_102_444_800);
    await expect(store.put("k", "v", { expiresAt: new Date(4_102_444_801_000) })).rejects.toMatchObject({ code: "InvalidArgument", operation: "put" });
    await expect(store.put("k", "v", { ttlSeconds: 4_102_444_800 })).rejects.toMatchObject({ code: "InvalidArgument", operation: "put" });
  });

  it("get() makes no GetKvDetail request; only getWithMetadata() does", async () => {
    // GetKvDetail is throttled to zero requests, so any call of it fails RateLimited.
    const { store } = await setup({ rateLimits: { perAction: { GetKvDetail: 0 } } });
    await store.put("k", "v");
    expect(await store.getText("k")).toBe("v");
    expect(await rejection(store.getWithMetadata("k"))).toMatchObject({ code: "RateLimited" });
  });

  it("list() pages with opaque cursors and keys() iterates every key under a prefix in order", async () => {
    const { store } = await setup();
    const keys = Array.from({ length: 7 }, (_, i) => `p_${i}`);
    for (const key of keys) await store.put(key, key);
    await store.put("other", "x");
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.list({ prefix: "p_", limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.keys.map((k) => k.key));
      expect(page.keys.every((k) => k.updatedAt instanceof Date)).toBe(true);
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(keys);
    expect(pages).toBe(3);
    const iterated: string[] = [];
    for await (const entry of store.keys({ prefix: "p_", limit: 2 })) iterated.push(entry.key);
    expect(iterated).toEqual(keys);
  });

  it("list() paging does not skip a key when earlier keys are deleted between pages", async () => {
    const { store } = await setup();
    for (const key of ["a", "b", "c", "d", "e", "f"]) await store.put(key, key);
    const first = await store.list({ limit: 3 });
    expect(first.keys.map((k) => k.key)).toEqual(["a", "b", "c"]);
    await store.delete("a");
    await store.delete("b");
    const seen = [...first.keys.map((k) => k.key)];
    let cursor = first.cursor;
    while (cursor) {
      const page = await store.list({ limit: 3, cursor });
      seen.push(...page.keys.map((k) => k.key));
      cursor = page.cursor;
    }
    expect(seen).toEqual(["a", "b", "c", "d", "e", "f"]);
  });

  it("list() paging does not repeat a key when keys are inserted before the position", async () => {
    const { store } = await setup();
    for (const key of ["c", "d", "e", "f"]) await store.put(key, key);
    const first = await store.list({ limit: 2 });
    await store.put("a", "a");
    await store.put("b", "b");
    const rest = await store.list({ limit: 2, cursor: first.cursor! });
    expect([...first.keys, ...rest.keys].map((k) => k.key)).toEqual(["c", "d", "e", "f"]);
  });

  it("list() with a cursor from another prefix or a forged cursor rejects InvalidArgument", async () => {
    const { store } = await setup();
    for (const key of ["a1", "a2", "a3"]) await store.put(key, key);
    const page = await store.list({ prefix: "a", limit: 1 });
    expect(page.cursor).toBeDefined();
    expect(await rejection(store.list({ prefix: "b", cursor: page.cursor! }))).toMatchObject({ code: "InvalidArgument" });
    expect(await rejection(store.list({ cursor: "not-a-cursor" }))).toMatchObject({ code: "InvalidArgument" });
  });

  it("putMany() writes text and binary entries and reports each key as succeeded", async () => {
    const { store } = await setup();
    const result = await store.putMany([
      { key: "t1", value: "one" },
      { key: "b1", value: allBytes },
      { key: "t2", value: new TextEncoder().encode("two"), ttlSeconds: 3600 },
    ]);
    expect(result).toEqual({ succeeded: ["t1", "b1", "t2"], failed: [] });
    expect(await store.getText("t1")).toBe("one");
    expect(await store.get("b1")).toEqual(allBytes);
    expect(await store.getText("t2")).toBe("two");
  });

  it("putMany() splits a batch larger than putManyMaxBytes into several BatchPutKv requests", async () => {
    const { store } = await setup({}, { limits: { putManyMaxBytes: 100 } });
    const entries = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: "x".repeat(40) }));
    const result = await store.putMany(entries);
    expect(result.succeeded).toEqual(entries.map((e) => e.key));
    expect(result.failed).toEqual([]);
    for (const e of entries) expect(await store.getText(e.key)).toBe(e.value);
  });

  it("putMany() with an invalid key reports it failed with InvalidKey and writes the others", async () => {
    const { store } = await setup();
    const result = await store.putMany([
      { key: "good", value: "g" },
      { key: "has space", value: "bad" },
    ]);
    expect(result.succeeded).toEqual(["good"]);
    expect(result.failed.map((f) => [f.key, f.error.code])).toEqual([["has space", "InvalidKey"]]);
  });

  it("putMany() reports a key the service lists in FailKeys as failed with providerCode FailKeys", async () => {
    const { store } = await setup({ limits: { namespaceCapacityBytes: 40 } });
    const result = await store.putMany([
      { key: "small", value: "x" },
      { key: "big", value: "y".repeat(100) },
    ]);
    expect(result.succeeded).toEqual(["small"]);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]).toMatchObject({ key: "big", error: { providerCode: "FailKeys", key: "big" } });
  });

  it("deleteMany() removes the keys and reports each one", async () => {
    const { store } = await setup({}, { limits: { deleteManyMaxKeys: 2 } });
    for (const key of ["d1", "d2", "d3"]) await store.put(key, key);
    const result = await store.deleteMany(["d1", "d2", "d3"]);
    expect(result).toEqual({ succeeded: ["d1", "d2", "d3"], failed: [] });
    for (const key of ["d1", "d2", "d3"]) expect(await store.get(key)).toBeUndefined();
  });

  it("put() of a value over putMaxValueBytes goes through AuthorizeFileUpload, OSS POST and PutKvWithHighCapacity", async () => {
    const { store } = await setup({ limits: { valueMaxBytes: 1000 } }, { limits: { putMaxValueBytes: 1000 } });
    const value = new Uint8Array(5000).map((_, i) => (i * 7) % 256);
    await store.put("large", value, { ttlSeconds: 3600 });
    expect(await store.get("large")).toEqual(value);
  });

  it("put() of a value over 2,000,000 bytes with only `endpoint` configured goes through the emulator, not Alibaba Cloud's hosts", async () => {
    const emulator = await startEsaKvEmulator({ namespaces: [NS] });
    cleanup.push(() => emulator.close());
    // As the README and examples configure it: no openPlatformEndpoint, no ossEndpoint.
    const store = createEsaKvStore({ namespace: NS, endpoint: emulator.endpoint, accessKeyId: emulator.accessKeyId, accessKeySecret: emulator.accessKeySecret, retry: false });
    cleanup.push(() => store.close());
    const value = new Uint8Array(2_000_001).map((_, i) => i % 251);
    await store.put("large", value);
    const read = await store.get("large");
    // Compared as one buffer: a deep equal over two million elements is slow to print on failure.
    expect(read !== undefined && Buffer.compare(read, value) === 0).toBe(true);
  });

  it("put() on the high-capacity path keeps the TTL: the value expires when the TTL runs out, not before", async () => {
    const clock = new ManualClock(Date.now());
    const { store } = await setup({ clock, limits: { valueMaxBytes: 1000 } }, { clock, limits: { putMaxValueBytes: 1000 } });
    const value = new Uint8Array(5000).fill(9);
    await store.put("large", value, { ttlSeconds: 120 });
    clock.advance(119_000);
    expect(await store.get("large")).toEqual(value);
    clock.advance(2_000);
    expect(await store.get("large")).toBeUndefined();
  });

  it("put() of a value over putLargeMaxValueBytes rejects ValueTooLarge before any request", async () => {
    const url = await deadEndpoint();
    const driver = new EsaKvDriver({
      namespace: NS,
      endpoint: url,
      openPlatformEndpoint: url,
      ossEndpoint: url,
      accessKeyId: "a",
      accessKeySecret: "b",
      limits: { putMaxValueBytes: 10, putLargeMaxValueBytes: 100 },
    });
    cleanup.push(() => driver.close());
    const err = await rejection(driver.put("k", new Uint8Array(101), {}, { signal: new AbortController().signal }));
    expect(err).toMatchObject({ code: "ValueTooLarge", key: "k" });
  });

  it("createEsaKvStore() refuses 25,000,001 bytes (over 25 MB) with ValueTooLarge before any request; 25,000,000 bytes goes to the network", async () => {
    const url = await deadEndpoint();
    const store = createEsaKvStore({ namespace: NS, endpoint: url, openPlatformEndpoint: url, ossEndpoint: url, accessKeyId: "a", accessKeySecret: "b", retry: false });
    cleanup.push(() => store.close());
    expect(await rejection(store.put("k", new Uint8Array(25_000_001)))).toMatchObject({ code: "ValueTooLarge", key: "k" });
    expect(await rejection(store.put("k", new Uint8Array(25_000_000)))).toMatchObject({ code: "Network" });
  });

  it("a wrong secret rejects an Unauthorized-class code with the provider's code", async () => {
    const { emulator } = await setup();
    const store = createEsaKvStore({ namespace: NS, endpoint: emulator.endpoint, accessKeyId: emulator.accessKeyId, accessKeySecret: "wrong-secret", retry: false });
    cleanup.push(() => store.close());
    const err = await rejection(store.get("k"));
    expect(isStorageError(err, "Unauthorized")).toBe(true);
    expect(err).toMatchObject({ providerCode: "SignatureDoesNotMatch", operation: "get", key: "k" });
    expect(JSON.stringify(err)).not.toContain("wrong-secret");
    expect(String((err as Error).message)).not.toContain("wrong-secret");
  });

  it("an unknown AccessKey ID rejects Unauthorized", async () => {
    const { emulator } = await setup();
    const store = createEsaKvStore({ namespace: NS, endpoint: emulator.endpoint, accessKeyId: "nobody", accessKeySecret: "x", retry: false });
    cleanup.push(() => store.close());
    expect(await rejection(store.put("k", "v"))).toMatchObject({ code: "Unauthorized" });
  });

  it("calls on a namespace that does not exist reject NamespaceNotFound", async () => {
    const { emulator } = await setup();
    const store = createEsaKvStore({ namespace: "missing_ns", endpoint: emulator.endpoint, accessKeyId: emulator.accessKeyId, accessKeySecret: emulator.accessKeySecret, retry: false });
    cleanup.push(() => store.close());
    for (const call of [store.get("k"), store.put("k", "v"), store.delete("k"), store.list()]) {
      expect(await rejection(call)).toMatchObject({ code: "NamespaceNotFound", providerCode: "InvalidNameSpace.NotFound", httpStatus: 404 });
    }
  });

  it("the driver's get() of a 513-byte key maps the service's InvalidKey.ExceedsMaximum to KeyTooLong", async () => {
    const { emulator } = await setup();
    const driver = new EsaKvDriver({ namespace: NS, endpoint: emulator.endpoint, accessKeyId: emulator.accessKeyId, accessKeySecret: emulator.accessKeySecret });
    cleanup.push(() => driver.close());
    const err = await rejection(driver.get("k".repeat(513), { signal: new AbortController().signal }));
    expect(err).toMatchObject({ code: "KeyTooLong", providerCode: "InvalidKey.ExceedsMaximum" });
  });

  it("putKv() of a value over the service's limit maps InvalidValue.ExceedsMaximum to ValueTooLarge", async () => {
    const { emulator } = await setup({ limits: { valueMaxBytes: 10 } });
    const client = new EsaKvClient({
      endpoint: emulator.endpoint,
      openPlatformEndpoint: emulator.openPlatformEndpoint,
      credentials: new EsaKvCredentials(emulator.accessKeyId, emulator.accessKeySecret),
      clock: { now: () => Date.now() },
      connections: 1,
      idleTimeoutMs: 5000,
    });
    cleanup.push(() => client.close());
    const err = await rejection(client.putKv({ Namespace: NS, Key: "k", Value: "x".repeat(11) }));
    expect(err).toMatchObject({ code: "ValueTooLarge", providerCode: "InvalidValue.ExceedsMaximum", httpStatus: 400, operation: "PutKv" });
  });

  it("put() past the namespace capacity rejects QuotaExceeded", async () => {
    const { store } = await setup({ limits: { namespaceCapacityBytes: 50 } });
    expect(await rejection(store.put("k", "v".repeat(100)))).toMatchObject({ code: "QuotaExceeded", providerCode: "InvalidKey.ExceedsCapacity" });
  });

  it("throttling rejects RateLimited with retryAfterSeconds from x-acs-retry-after", async () => {
    const { store } = await setup({ rateLimits: { perAction: { PutKv: 1 }, retryAfterMs: 2000 } });
    await store.put("a", "1");
    const err = await rejection(store.put("b", "2"));
    expect(err).toMatchObject({ code: "RateLimited", retryable: true, httpStatus: 429, providerCode: "TooQuickRequests" });
    // The emulator sends x-acs-retry-after: 2000 (milliseconds, as the SDK reads it).
    expect((err as { retryAfterSeconds?: number }).retryAfterSeconds).toBe(2);
  });

  it("with the retry layer, an injected 503 on every GetKv rejects ServiceUnavailable after the retries", async () => {
    const { store } = await setup({ faults: { errorRate: { GetKv: 1 } } }, { retry: { maxAttempts: 2, baseDelayMs: 1 } });
    expect(await rejection(store.get("k"))).toMatchObject({ code: "ServiceUnavailable", retryable: true });
  });

  it("with the retry layer, a dropped connection on the first attempt is retried and the call succeeds", async () => {
    let calls = 0;
    const random = () => (calls++ === 0 ? 0 : 1);
    const { store } = await setup({ faults: { dropConnectionRate: 0.5, random } }, { retry: { maxAttempts: 3, baseDelayMs: 1 } });
    await store.put("k", "v");
    expect(await store.getText("k")).toBe("v");
  });

  it("an already-aborted signal rejects Aborted", async () => {
    const { store } = await setup();
    const controller = new AbortController();
    controller.abort();
    expect(await rejection(store.get("k", { signal: controller.signal }))).toMatchObject({ code: "Aborted" });
  });

  it("aborting a call in flight rejects Aborted promptly", async () => {
    const { store } = await setup({ faults: { latencyMs: 2000 } });
    const controller = new AbortController();
    const pending = store.put("k", "v", { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await rejection(pending)).toMatchObject({ code: "Aborted" });
  });

  it("namespace management: createNamespace, getNamespace, getAccount and deleteNamespace", async () => {
    const { emulator } = await setup();
    const store = createEsaKvStore({ namespace: "fresh_ns", endpoint: emulator.endpoint, accessKeyId: emulator.accessKeyId, accessKeySecret: emulator.accessKeySecret, retry: false });
    cleanup.push(() => store.close());
    const created = await store.createNamespace({ description: "made by a test" });
    expect(created).toMatchObject({ namespace: "fresh_ns", description: "made by a test", status: "online" });
    expect(created.namespaceId).toMatch(/^\d+$/);
    await store.put("k", "value");
    const info = await store.getNamespace();
    expect(info).toMatchObject({ namespace: "fresh_ns", namespaceId: created.namespaceId });
    expect(info.usedBytes).toBeGreaterThan(0);
    const account = await store.getAccount();
    expect(account.namespaces.map((n) => n.namespace).sort()).toEqual(["fresh_ns", NS].sort());
    expect(account.namespaceQuota).toBe(10);
    expect(await rejection(store.createNamespace())).toMatchObject({ code: "AlreadyExists", providerCode: "InvalidNameSpace.Duplicate" });
    await store.deleteNamespace();
    expect(await rejection(store.getNamespace())).toMatchObject({ code: "NamespaceNotFound" });
  });

  it("createNamespace() past the account's namespace quota rejects QuotaExceeded", async () => {
    const { emulator } = await setup({ limits: { namespaceQuota: 1 } });
    const store = createEsaKvStore({ namespace: "second", endpoint: emulator.endpoint, accessKeyId: emulator.accessKeyId, accessKeySecret: emulator.accessKeySecret, retry: false });
    cleanup.push(() => store.close());
    expect(await rejection(store.createNamespace())).toMatchObject({ code: "QuotaExceeded", providerCode: "InvalidNameSpace.QuotaFull" });
  });

  it("createStorageContainer() with { provider: 'esa-kv' } binds a working KeyValueStore", async () => {
    const emulator = await startEsaKvEmulator({ namespaces: [NS] });
    cleanup.push(() => emulator.close());
    const storage = await createStorageContainer(
      { provider: "esa-kv", namespace: NS, endpoint: emulator.endpoint, accessKeyId: emulator.accessKeyId, accessKeySecret: emulator.accessKeySecret },
      { modules: [esaKvModule] },
    );
    cleanup.push(() => storage.close());
    const kv: KeyValueStore = storage.container.get(KeyValueStoreToken);
    await kv.put("di", allBytes);
    expect(await kv.get("di")).toEqual(allBytes);
  });
});
