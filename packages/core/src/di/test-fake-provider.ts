/** Test helper: a provider backed by a Map, with switches to make its drivers fail or hang. */
import { abortedError } from "../abort.js";
import type { KeyValueStoreDriver, KvEntry } from "../key-value-store.js";
import { ESA_KV_LIMITS } from "../limits.js";
import { scriptedObjectDriver } from "../layers/test-scripted-driver.js";
import { StorageError } from "../storage-error.js";
import type { StorageProvider } from "../storage-provider.js";

export interface FakeProvider extends StorageProvider {
  /** The provider fields each driver was created with, in order. */
  readonly created: Array<{ kind: "kv" | "objects"; config: Readonly<Record<string, unknown>> }>;
  /** How many drivers have been closed. */
  closed(): number;
  /** How many times each kv driver's `get` was called. */
  readonly getCalls: number[];
}

/**
 * `fakeProvider("fake")` offers both contracts; `kinds` restricts them. Config fields the kv
 * driver reads: `failGets: n` (the first n gets raise ServiceUnavailable), `hangGets: n`
 * (the first n gets wait for their signal), `reject: true` (creating the driver raises
 * InvalidArgument mentioning the field `secretKey`).
 */
export function fakeProvider(id = "fake", kinds: ReadonlyArray<"kv" | "objects"> = ["kv", "objects"]): FakeProvider {
  const created: FakeProvider["created"] = [];
  const getCalls: number[] = [];
  let closed = 0;
  const kvDriver = (config: Readonly<Record<string, unknown>>): KeyValueStoreDriver => {
    if (config.reject === true) throw new StorageError({ code: "InvalidArgument", message: `"secretKey" is required` });
    const data = new Map<string, Uint8Array>();
    const index = getCalls.push(0) - 1;
    const failGets = Number(config.failGets ?? 0);
    const hangGets = Number(config.hangGets ?? 0);
    return {
      limits: ESA_KV_LIMITS,
      async get(key, ctx): Promise<KvEntry | undefined> {
        const n = ++getCalls[index]!;
        if (n <= failGets) throw new StorageError({ code: "ServiceUnavailable", message: "injected" });
        if (n <= hangGets) {
          await new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(abortedError(ctx.signal)), { once: true }));
        }
        const value = data.get(key);
        return value && { key, value };
      },
      async put(key, value) {
        data.set(key, value);
      },
      async delete(key) {
        return data.delete(key);
      },
      async list() {
        return { keys: [...data.keys()].sort().map((key) => ({ key })) };
      },
      async putMany(entries) {
        for (const e of entries) data.set(e.key, e.value);
        return { succeeded: entries.map((e) => e.key), failed: [] };
      },
      async deleteMany(keys) {
        for (const k of keys) data.delete(k);
        return { succeeded: keys, failed: [] };
      },
      async close() {
        closed++;
      },
    };
  };
  const provider: FakeProvider = {
    id,
    description: "test double",
    created,
    getCalls,
    closed: () => closed,
  };
  const writable = provider as { -readonly [K in keyof StorageProvider]: StorageProvider[K] };
  if (kinds.includes("kv")) {
    writable.createKeyValueStoreDriver = (config) => {
      created.push({ kind: "kv", config });
      return kvDriver(config);
    };
  }
  if (kinds.includes("objects")) {
    writable.createMultipartObjectStoreDriver = (config) => {
      created.push({ kind: "objects", config });
      const { driver } = scriptedObjectDriver(() => undefined);
      const close = driver.close?.bind(driver);
      return Object.assign(driver, {
        async close() {
          await close?.();
          closed++;
        },
      });
    };
  }
  return provider;
}
