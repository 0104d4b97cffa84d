/**
 * A key-prefix view of a key-value driver (abstract-level's sublevel): every key is stored
 * under `prefix` in a driver that other views share. The view's manifest gives up the
 * prefix's bytes of `keyMaxBytes`, so the suite's limit cases land exactly on the inner
 * store's limit; listings neither leak nor lose keys across views.
 *
 * `stowage conformance --config` runs each case in a view of its own, so cases sharing one
 * configured namespace never see, and never delete, each other's keys or anyone else's.
 */
import type { DriverCallContext, KeyValueStoreDriver, KvBatchResult, KvDriverEntry, KvEntry, KvExpiry, KvListPage } from "@stowage/core";

/** Returns a driver that stores every key under `prefix` in `inner`; closing it leaves `inner` open. */
export function keyPrefixDriver(inner: KeyValueStoreDriver, prefix: string): KeyValueStoreDriver {
  const strip = (key: string): string => key.slice(prefix.length);
  const stripResult = (result: KvBatchResult): KvBatchResult => ({
    succeeded: result.succeeded.map(strip),
    failed: result.failed.map((f) => ({ key: strip(f.key), error: f.error })),
  });
  return {
    limits: { ...inner.limits, keyMaxBytes: inner.limits.keyMaxBytes - Buffer.byteLength(prefix, "utf8") },
    async get(key: string, ctx: DriverCallContext): Promise<KvEntry | undefined> {
      const entry = await inner.get(prefix + key, ctx);
      return entry && { ...entry, key };
    },
    put: (key: string, value: Uint8Array, expiry: KvExpiry, ctx: DriverCallContext) => inner.put(prefix + key, value, expiry, ctx),
    delete: (key: string, ctx: DriverCallContext) => inner.delete(prefix + key, ctx),
    async list(request, ctx): Promise<KvListPage> {
      const page = await inner.list({ ...request, prefix: prefix + (request.prefix ?? "") }, ctx);
      return { ...page, keys: page.keys.map((e) => ({ ...e, key: strip(e.key) })) };
    },
    async putMany(entries: KvDriverEntry[], ctx: DriverCallContext) {
      return stripResult(await inner.putMany(entries.map((e) => ({ ...e, key: prefix + e.key })), ctx));
    },
    async deleteMany(keys: string[], ctx: DriverCallContext) {
      return stripResult(await inner.deleteMany(keys.map((k) => prefix + k), ctx));
    },
  };
}
