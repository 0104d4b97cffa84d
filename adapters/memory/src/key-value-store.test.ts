import { ESA_KV_LIMITS, ManualClock, defineLimits, type KeyValueLimits } from "@stowage/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryKeyValueStoreDriver, createMemoryKeyValueStore } from "./key-value-store.js";

const ctx = () => ({ signal: new AbortController().signal });
const bytes = (s: string) => new TextEncoder().encode(s);
const limitsWith = (overrides: Partial<KeyValueLimits>) => defineLimits({ ...ESA_KV_LIMITS, ...overrides });

async function listAll(store: ReturnType<typeof createMemoryKeyValueStore>, options: { prefix?: string; limit?: number } = {}): Promise<string[]> {
  const keys: string[] = [];
  for await (const entry of store.keys(options)) keys.push(entry.key);
  return keys;
}

describe("memory key-value store: values", () => {
  it("get() of a key never written resolves undefined", async () => {
    const kv = createMemoryKeyValueStore();
    await expect(kv.get("absent")).resolves.toBeUndefined();
  });

  it("put() then get() returns every byte value 0..255 exactly", async () => {
    const kv = createMemoryKeyValueStore();
    const value = Uint8Array.from({ length: 256 }, (_, i) => i);
    await kv.put("binary", value);
    expect(await kv.get("binary")).toEqual(value);
  });

  it("put() stores a copy: changing the caller's array afterwards does not change the stored value", async () => {
    const kv = createMemoryKeyValueStore();
    const value = bytes("original");
    await kv.put("k", value);
    value.fill(0);
    expect(await kv.getText("k")).toBe("original");
  });

  it("get() returns a copy: changing the returned array does not change the stored value", async () => {
    const kv = createMemoryKeyValueStore();
    await kv.put("k", "original");
    const first = (await kv.get("k"))!;
    first.fill(0);
    expect(await kv.getText("k")).toBe("original");
  });

  it("delete() resolves true for an existing key and false once it is gone", async () => {
    const kv = createMemoryKeyValueStore();
    await kv.put("k", "v");
    await expect(kv.delete("k")).resolves.toBe(true);
    await expect(kv.delete("k")).resolves.toBe(false);
    await expect(kv.get("k")).resolves.toBeUndefined();
  });

  it("a driver call with an aborted signal rejects Aborted and writes nothing", async () => {
    const driver = new MemoryKeyValueStoreDriver();
    const controller = new AbortController();
    controller.abort();
    await expect(driver.put("k", bytes("v"), {}, { signal: controller.signal })).rejects.toMatchObject({ code: "Aborted" });
    await expect(driver.get("k", ctx())).resolves.toBeUndefined();
  });
});

describe("memory key-value store: expiry on an injected clock", () => {
  it("put() with ttlSeconds keeps the key until the TTL has passed, then get() resolves undefined", async () => {
    const clock = new ManualClock();
    const kv = createMemoryKeyValueStore({ clock });
    await kv.put("session", "x", { ttlSeconds: 60 });
    clock.advance(59_999);
    expect(await kv.getText("session")).toBe("x");
    clock.advance(1);
    await expect(kv.get("session")).resolves.toBeUndefined();
  });

  it("put() with expiresAt expires the key at that instant and getWithMetadata() reports it", async () => {
    const clock = new ManualClock();
    const kv = createMemoryKeyValueStore({ clock });
    const expiresAt = new Date(clock.now() + 5_000);
    await kv.put("k", "v", { expiresAt });
    expect((await kv.getWithMetadata("k"))?.expiresAt).toEqual(expiresAt);
    clock.advance(5_000);
    await expect(kv.getWithMetadata("k")).resolves.toBeUndefined();
  });

  it("put() with expiresAt not after the store's clock rejects InvalidArgument, also when the driver is called directly", async () => {
    const clock = new ManualClock();
    const kv = createMemoryKeyValueStore({ clock });
    await expect(kv.put("k", "v", { expiresAt: new Date(clock.now()) })).rejects.toMatchObject({ code: "InvalidArgument" });
    const driver = new MemoryKeyValueStoreDriver({ clock });
    await expect(driver.put("k", bytes("v"), { expiresAt: new Date(clock.now() - 1) }, ctx())).rejects.toMatchObject({ code: "InvalidArgument" });
    await expect(driver.get("k", ctx())).resolves.toBeUndefined();
  });

  it("list() leaves out expired keys and delete() of an expired key resolves false", async () => {
    const clock = new ManualClock();
    const kv = createMemoryKeyValueStore({ clock });
    await kv.put("a", "1", { ttlSeconds: 1 });
    await kv.put("b", "2");
    await kv.put("c", "3", { ttlSeconds: 10 });
    clock.advance(1_000);
    expect(await listAll(kv)).toEqual(["b", "c"]);
    await expect(kv.delete("a")).resolves.toBe(false);
  });

  it("put() without expiry on an expiring key makes it permanent", async () => {
    const clock = new ManualClock();
    const kv = createMemoryKeyValueStore({ clock });
    await kv.put("k", "1", { ttlSeconds: 1 });
    await kv.put("k", "2");
    clock.advance(3_600_000);
    expect(await kv.getText("k")).toBe("2");
  });

  it("list() reports updatedAt from the clock and expiresAt for expiring keys", async () => {
    const clock = new ManualClock();
    const kv = createMemoryKeyValueStore({ clock });
    await kv.put("k", "v", { ttlSeconds: 30 });
    const page = await kv.list();
    expect(page.keys).toEqual([{ key: "k", updatedAt: new Date(clock.now()), expiresAt: new Date(clock.now() + 30_000) }]);
  });
});

describe("memory key-value store: listing", () => {
  it("list() orders keys by UTF-8 bytes, not UTF-16 code units (U+E000 before U+1F600)", async () => {
    const kv = createMemoryKeyValueStore();
    const keys = ["\u{1F600}", "\uE000", "z", "a", "\u00E9", "A"];
    for (const key of keys) await kv.put(key, "v");
    const expected = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(expected.indexOf("\uE000")).toBeLessThan(expected.indexOf("\u{1F600}"));
    expect(await listAll(kv)).toEqual(expected);
  });

  it("list() with a prefix returns only the keys under it, paged by limit with a cursor", async () => {
    const kv = createMemoryKeyValueStore();
    for (const key of ["a", "p-1", "p-2", "p-3", "p-4", "p-5", "q"]) await kv.put(key, "v");
    const first = await kv.list({ prefix: "p-", limit: 2 });
    expect(first.keys.map((k) => k.key)).toEqual(["p-1", "p-2"]);
    const second = await kv.list({ prefix: "p-", limit: 2, cursor: first.cursor! });
    expect(second.keys.map((k) => k.key)).toEqual(["p-3", "p-4"]);
    const third = await kv.list({ prefix: "p-", limit: 2, cursor: second.cursor! });
    expect(third.keys.map((k) => k.key)).toEqual(["p-5"]);
    expect(third.cursor).toBeUndefined();
  });

  it("list() whose page ends exactly at the last key returns no cursor", async () => {
    const kv = createMemoryKeyValueStore();
    for (const key of ["a", "b"]) await kv.put(key, "v");
    const page = await kv.list({ limit: 2 });
    expect(page.keys).toHaveLength(2);
    expect(page.cursor).toBeUndefined();
  });

  it("list() without limit pages by ESA's default page size of 50", async () => {
    const kv = createMemoryKeyValueStore();
    for (let i = 0; i < 51; i++) await kv.put(`k${String(i).padStart(2, "0")}`, "v");
    const page = await kv.list();
    expect(page.keys).toHaveLength(50);
    expect(page.cursor).toBeDefined();
  });

  it("list() whose page would reach past listMaxKeys keys into the listing rejects InvalidArgument, as ESA's PageNumber × PageSize rule", async () => {
    const kv = createMemoryKeyValueStore({ limits: limitsWith({ listMaxKeys: 4 }) });
    for (const key of ["a", "b", "c", "d", "e", "f"]) await kv.put(key, "v");
    const first = await kv.list({ limit: 2 });
    const second = await kv.list({ limit: 2, cursor: first.cursor! });
    expect(second.keys.map((k) => k.key)).toEqual(["c", "d"]);
    await expect(kv.list({ limit: 2, cursor: second.cursor! })).rejects.toMatchObject({ code: "InvalidArgument" });
    await expect(kv.list({ limit: 5 })).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  it("the driver's list() with limit 0 still returns a page of one key and a cursor, so paging ends", async () => {
    const driver = new MemoryKeyValueStoreDriver();
    await driver.put("a", bytes("1"), {}, ctx());
    await driver.put("b", bytes("2"), {}, ctx());
    const page = await driver.list({ limit: 0 }, ctx());
    expect(page.keys.map((k) => k.key)).toEqual(["a"]);
    const next = await driver.list({ limit: 0, cursor: page.cursor! }, ctx());
    expect(next).toMatchObject({ keys: [{ key: "b" }] });
    expect(next.cursor).toBeUndefined();
  });

  it("list() with a cursor it did not issue rejects InvalidArgument", async () => {
    const kv = createMemoryKeyValueStore();
    await kv.put("a", "v");
    await expect(kv.list({ cursor: "not-a-cursor" })).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  it("list() with a cursor issued for another prefix rejects InvalidArgument", async () => {
    const kv = createMemoryKeyValueStore();
    for (const key of ["a1", "a2", "b1"]) await kv.put(key, "v");
    const page = await kv.list({ prefix: "a", limit: 1 });
    await expect(kv.list({ prefix: "b", cursor: page.cursor! })).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  it("list() resumes after the cursor's key even when that key was deleted between pages", async () => {
    const kv = createMemoryKeyValueStore();
    for (const key of ["a", "b", "c", "d"]) await kv.put(key, "v");
    const first = await kv.list({ limit: 2 });
    await kv.delete("b");
    await kv.put("bb", "v");
    const second = await kv.list({ limit: 2, cursor: first.cursor! });
    expect(second.keys.map((k) => k.key)).toEqual(["bb", "c"]);
  });

  it("paging with list() under concurrent writes returns every key that existed throughout exactly once, in order", async () => {
    const keyArb = fc.string({ unit: fc.constantFrom("a", "b", "c", "\u00E9", "\uE000", "\u{1F600}"), minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(keyArb, { maxLength: 25 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.record({ key: keyArb, op: fc.constantFrom("put", "delete") }), { maxLength: 40 }),
        async (stable, pageSize, churn) => {
          const kv = createMemoryKeyValueStore();
          for (const key of stable) await kv.put(key, "stable");
          const stableSet = new Set(stable);
          const seen: string[] = [];
          let cursor: string | undefined;
          let step = 0;
          do {
            const page = await kv.list({ limit: pageSize, ...(cursor === undefined ? {} : { cursor }) });
            seen.push(...page.keys.map((k) => k.key));
            cursor = page.cursor;
            // Between pages, other writers add and remove keys that are not stable.
            for (const change of churn.slice(step, step + 3)) {
              if (stableSet.has(change.key)) continue;
              if (change.op === "put") await kv.put(change.key, "churn");
              else await kv.delete(change.key);
            }
            step += 3;
          } while (cursor !== undefined);
          expect(new Set(seen).size).toBe(seen.length);
          for (const key of stable) expect(seen).toContain(key);
          const sorted = [...seen].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
          expect(seen).toEqual(sorted);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("memory key-value store: namespace capacity", () => {
  it("put() past namespaceMaxBytes rejects QuotaExceeded and leaves neither the key nor its bytes behind", async () => {
    const kv = createMemoryKeyValueStore({ limits: limitsWith({ namespaceMaxBytes: 20 }) });
    await kv.put("a", new Uint8Array(10)); // 1 + 10
    await expect(kv.put("b", new Uint8Array(10))).rejects.toMatchObject({ code: "QuotaExceeded", httpStatus: 403, key: "b" });
    await expect(kv.get("b")).resolves.toBeUndefined();
    expect(kv.driver.usedBytes).toBe(11);
    await kv.put("b", new Uint8Array(8)); // 1 + 8 → exactly 20
    expect(kv.driver.usedBytes).toBe(20);
  });

  it("capacity counts keys in UTF-8 bytes: a 2-byte key with a 9-byte value does not fit in 10", async () => {
    const kv = createMemoryKeyValueStore({ limits: limitsWith({ namespaceMaxBytes: 10 }) });
    await expect(kv.put("\u00E9", new Uint8Array(9))).rejects.toMatchObject({ code: "QuotaExceeded" });
    await kv.put("e", new Uint8Array(9));
    expect(kv.driver.usedBytes).toBe(10);
  });

  it("overwriting a key at full capacity with a value of the same size succeeds and failing to grow it keeps the old value", async () => {
    const kv = createMemoryKeyValueStore({ limits: limitsWith({ namespaceMaxBytes: 11 }) });
    await kv.put("k", "0123456789");
    await kv.put("k", "abcdefghij");
    await expect(kv.put("k", "abcdefghijk")).rejects.toMatchObject({ code: "QuotaExceeded" });
    expect(await kv.getText("k")).toBe("abcdefghij");
  });

  it("expired keys stop counting against the capacity", async () => {
    const clock = new ManualClock();
    const kv = createMemoryKeyValueStore({ clock, limits: limitsWith({ namespaceMaxBytes: 12 }) });
    await kv.put("a", new Uint8Array(10), { ttlSeconds: 1 });
    await expect(kv.put("b", new Uint8Array(10))).rejects.toMatchObject({ code: "QuotaExceeded" });
    clock.advance(1_000);
    await kv.put("b", new Uint8Array(10));
    expect(kv.driver.usedBytes).toBe(11);
  });

  it("delete() gives the bytes back", async () => {
    const kv = createMemoryKeyValueStore({ limits: limitsWith({ namespaceMaxBytes: 11 }) });
    await kv.put("a", new Uint8Array(10));
    await kv.delete("a");
    expect(kv.driver.usedBytes).toBe(0);
    await kv.put("b", new Uint8Array(10));
  });
});

describe("memory key-value store: batches", () => {
  it("putMany() writes what fits and reports the entry past the capacity in failed with QuotaExceeded", async () => {
    const kv = createMemoryKeyValueStore({ limits: limitsWith({ namespaceMaxBytes: 21 }) });
    const result = await kv.putMany([
      { key: "a", value: new Uint8Array(10) },
      { key: "b", value: new Uint8Array(10) },
      { key: "c", value: new Uint8Array(3) },
    ]);
    expect(result.succeeded).toEqual(["a", "c"]);
    expect(result.failed.map((f) => [f.key, f.error.code])).toEqual([["b", "QuotaExceeded"]]);
    await expect(kv.get("b")).resolves.toBeUndefined();
    expect(await listAll(kv)).toEqual(["a", "c"]);
  });

  it("putMany() applies expiry per entry", async () => {
    const clock = new ManualClock();
    const kv = createMemoryKeyValueStore({ clock });
    await kv.putMany([
      { key: "short", value: "1", ttlSeconds: 1 },
      { key: "long", value: "2", expiresAt: new Date(clock.now() + 60_000) },
      { key: "forever", value: "3" },
    ]);
    clock.advance(1_000);
    expect(await listAll(kv)).toEqual(["forever", "long"]);
  });

  it("deleteMany() removes the keys and reports absent keys as succeeded too", async () => {
    const kv = createMemoryKeyValueStore();
    await kv.put("a", "1");
    await kv.put("b", "2");
    const result = await kv.deleteMany(["a", "missing"]);
    expect(result).toEqual({ succeeded: ["a", "missing"], failed: [] });
    expect(await listAll(kv)).toEqual(["b"]);
  });
});

describe("memory key-value store: a deleted namespace", () => {
  it("after dropNamespace() every call rejects NamespaceNotFound", async () => {
    const kv = createMemoryKeyValueStore({ namespace: "sessions" });
    await kv.put("k", "v");
    kv.driver.dropNamespace();
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["get", () => kv.get("k")],
      ["put", () => kv.put("k", "v")],
      ["delete", () => kv.delete("k")],
      ["list", () => kv.list()],
      ["putMany", () => kv.driver.putMany([{ key: "k", value: bytes("v") }], ctx())],
      ["deleteMany", () => kv.driver.deleteMany(["k"], ctx())],
    ];
    for (const [operation, call] of calls) {
      await expect(call(), operation).rejects.toMatchObject({ code: "NamespaceNotFound", httpStatus: 404, providerCode: "InvalidNameSpace.NotFound" });
    }
  });
});

describe("memory KV keeps a private copy of caller Buffers", () => {
  it("put() of a Buffer the caller changes afterwards keeps the bytes as sent", async () => {
    const kv = createMemoryKeyValueStore();
    const buffer = Buffer.from("original");
    await kv.put("k", buffer);
    buffer.fill(0x78);
    expect(await kv.getText("k")).toBe("original");
  });
});
