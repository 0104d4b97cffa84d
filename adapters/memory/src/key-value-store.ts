/**
 * The memory key-value namespace: ESA Edge KV's semantics (limits, expiry, capacity, per-key
 * batch results) without the network, for tests and for embedding.
 */
import {
  StorageError,
  createKeyValueStore,
  listWindowExceeded,
  systemClock,
  throwIfAborted,
  type Clock,
  type DriverCallContext,
  type KeyValueLimits,
  type KeyValueStore,
  type KeyValueStoreDriver,
  type KvBatchResult,
  type KvDriverEntry,
  type KvEntry,
  type KvExpiry,
  type KvListEntry,
  type KvListPage,
  type StoreTarget,
  decodeListCursor,
  encodeListCursor,
  listPageSize,
} from "@stowage/core";
import type { MemoryKeyValueStoreOptions } from "./config.js";
import { invalidArgument, namespaceFull, namespaceNotFound } from "./errors.js";
import { SortedKeys } from "./key-order.js";
import { MEMORY_KV_DEFAULT_PAGE_SIZE, MEMORY_KV_LIMITS } from "./limits.js";

/** One stored key. Values are never handed out or taken in by reference. */
interface KvRecord {
  value: Uint8Array;
  /** What the key costs against the namespace capacity: UTF-8 key bytes + value bytes. */
  cost: number;
  updatedAt: number;
  /** Epoch milliseconds; absent for a key that never expires. */
  expiresAt: number | undefined;
}

/**
 * A {@link KeyValueStoreDriver} over a sorted in-memory map.
 *
 * - Expiry runs on the injected {@link Clock}: a key whose expiry has passed is absent from
 *   `get`, `list` and `delete` (which then resolves `false`) and stops counting against the
 *   capacity.
 * - Capacity: the sum of UTF-8 key bytes and value bytes of live keys may not pass
 *   `limits.namespaceMaxBytes`; a write that would pass it raises `QuotaExceeded` (ESA:
 *   `403 InvalidKey.ExceedsCapacity`) and changes nothing.
 * - `list` pages in ascending UTF-8 byte order with a cursor naming the last key returned, and
 *   reaches no further than `limits.listMaxKeys` keys into a listing, as ESA ListKvs.
 * - {@link dropNamespace} models a deleted namespace: every call then raises `NamespaceNotFound`.
 */
export class MemoryKeyValueStoreDriver implements KeyValueStoreDriver {
  readonly limits: KeyValueLimits;
  /** The namespace's name, as given in the options. */
  readonly namespace: string;
  private readonly clock: Clock;
  private readonly records = new Map<string, KvRecord>();
  private readonly order = new SortedKeys();
  private used = 0;
  private dropped = false;

  constructor(options: Omit<MemoryKeyValueStoreOptions, "layers"> = {}) {
    this.limits = options.limits ?? MEMORY_KV_LIMITS;
    this.namespace = options.namespace ?? "default";
    this.clock = options.clock ?? systemClock;
  }

  /** What error messages name: `memory` and this store's namespace. */
  get target(): StoreTarget {
    return { provider: "memory", namespace: this.namespace };
  }

  /**
   * Bytes the namespace holds (UTF-8 key bytes + value bytes), what ESA GetKvNamespace calls
   * `CapacityUsed`. Keys whose expiry has passed are not counted.
   */
  get usedBytes(): number {
    this.purgeExpired();
    return this.used;
  }

  /** Deletes the namespace: its keys are gone and every later call raises `NamespaceNotFound`. */
  dropNamespace(): void {
    this.dropped = true;
    this.records.clear();
    this.order.clear();
    this.used = 0;
  }

  async get(key: string, ctx: DriverCallContext): Promise<KvEntry | undefined> {
    this.enter(ctx, "get", key);
    const record = this.live(key);
    if (record === undefined) return undefined;
    const entry: KvEntry = { key, value: new Uint8Array(record.value) };
    if (record.expiresAt !== undefined) entry.expiresAt = new Date(record.expiresAt);
    return entry;
  }

  async put(key: string, value: Uint8Array, expiry: KvExpiry, ctx: DriverCallContext): Promise<void> {
    this.enter(ctx, "put", key);
    this.write(key, value, expiry, "put");
  }

  async delete(key: string, ctx: DriverCallContext): Promise<boolean> {
    this.enter(ctx, "delete", key);
    return this.remove(key);
  }

  async list(request: { prefix?: string; limit?: number; cursor?: string }, ctx: DriverCallContext): Promise<KvListPage> {
    this.enter(ctx, "list");
    const prefix = request.prefix ?? "";
    const limit = listPageSize(request.limit, MEMORY_KV_DEFAULT_PAGE_SIZE, this.limits.listMaxPageSize);
    let start: { from: string } | { after: string } = { from: prefix };
    if (request.cursor !== undefined) {
      const [cursorPrefix, after] = decodeListCursor("memory", "kv", request.cursor, ["string", "string"], "list") as [string, string];
      if (cursorPrefix !== prefix) {
        throw invalidArgument("The cursor belongs to a listing with another prefix", { operation: "list" });
      }
      start = { after };
    }
    // ESA ListKvs: "The product of PageNumber and PageSize cannot exceed 50000." A listing
    // here may reach no further, so code that lists fine on memory lists fine on ESA.
    const passed = this.order.rank(start) - this.order.rank({ from: prefix });
    if (passed + limit > this.limits.listMaxKeys) {
      throw listWindowExceeded(this.limits.listMaxKeys);
    }
    const now = this.clock.now();
    const keys: KvListEntry[] = [];
    let more = false;
    for (const key of this.order.from(start)) {
      // Keys sharing a prefix are contiguous in byte order, so the first miss ends the range.
      if (!key.startsWith(prefix)) break;
      const record = this.records.get(key)!;
      if (isExpired(record, now)) continue;
      if (keys.length === limit) {
        more = true;
        break;
      }
      const entry: KvListEntry = { key, updatedAt: new Date(record.updatedAt) };
      if (record.expiresAt !== undefined) entry.expiresAt = new Date(record.expiresAt);
      keys.push(entry);
    }
    const page: KvListPage = { keys };
    if (more) page.cursor = encodeListCursor("memory", "kv", [prefix, keys[keys.length - 1]!.key]);
    return page;
  }

  async putMany(entries: KvDriverEntry[], ctx: DriverCallContext): Promise<KvBatchResult> {
    this.enter(ctx, "putMany");
    const result: KvBatchResult = { succeeded: [], failed: [] };
    // Entries are applied in request order, each on its own: one over the capacity fails
    // alone, as ESA BatchPutKv reports SuccessKeys and FailKeys side by side.
    for (const entry of entries) {
      try {
        this.write(entry.key, entry.value, entry, "putMany");
        result.succeeded.push(entry.key);
      } catch (err) {
        if (!(err instanceof StorageError)) throw err;
        result.failed.push({ key: entry.key, error: err });
      }
    }
    return result;
  }

  async deleteMany(keys: string[], ctx: DriverCallContext): Promise<KvBatchResult> {
    this.enter(ctx, "deleteMany");
    // An absent key is deleted as far as the caller can tell, so it counts as succeeded,
    // exactly as a single `delete` of an absent key is not an error.
    for (const key of keys) this.remove(key);
    return { succeeded: [...keys], failed: [] };
  }

  /** Checks the signal and that the namespace exists; every call starts here. */
  private enter(ctx: DriverCallContext, operation: string, key?: string): void {
    throwIfAborted(ctx.signal);
    if (this.dropped) throw namespaceNotFound(this.namespace, key === undefined ? { operation } : { operation, key });
  }

  /** The record of `key` unless absent or expired; an expired record is removed on the way. */
  private live(key: string): KvRecord | undefined {
    const record = this.records.get(key);
    if (record === undefined) return undefined;
    if (!isExpired(record, this.clock.now())) return record;
    this.forget(key, record);
    return undefined;
  }

  /** Stores a copy of `value`, all or nothing. */
  private write(key: string, value: Uint8Array, expiry: KvExpiry, operation: string): void {
    const now = this.clock.now();
    const expiresAt = this.expiresAt(expiry, now, operation, key);
    const cost = Buffer.byteLength(key, "utf8") + value.byteLength;
    if (this.used - (this.records.get(key)?.cost ?? 0) + cost > this.limits.namespaceMaxBytes) {
      // Expired keys still sit in the map until something touches them; reclaim them before
      // refusing the write.
      this.purgeExpired();
      if (this.used - (this.records.get(key)?.cost ?? 0) + cost > this.limits.namespaceMaxBytes) {
        throw namespaceFull(this.namespace, this.limits.namespaceMaxBytes, { operation, key });
      }
    }
    const previous = this.records.get(key);
    if (previous !== undefined) this.used -= previous.cost;
    this.records.set(key, { value: new Uint8Array(value), cost, updatedAt: now, expiresAt });
    this.order.add(key);
    this.used += cost;
  }

  /**
   * The absolute expiry in epoch milliseconds. ESA Expiration "cannot be earlier than the
   * current time"; the driver's clock is the judge, since it decides when the key vanishes.
   */
  private expiresAt(expiry: KvExpiry, now: number, operation: string, key: string): number | undefined {
    if (expiry.ttlSeconds !== undefined) return now + expiry.ttlSeconds * 1000;
    if (expiry.expiresAt === undefined) return undefined;
    const at = expiry.expiresAt.getTime();
    if (!(at > now)) {
      throw invalidArgument("expiresAt is not in the future", { operation, key });
    }
    return at;
  }

  private remove(key: string): boolean {
    const record = this.live(key);
    if (record === undefined) return false;
    this.forget(key, record);
    return true;
  }

  private forget(key: string, record: KvRecord): void {
    this.records.delete(key);
    this.order.delete(key);
    this.used -= record.cost;
  }

  private purgeExpired(): void {
    const now = this.clock.now();
    for (const [key, record] of this.records) {
      if (isExpired(record, now)) this.forget(key, record);
    }
  }
}

function isExpired(record: KvRecord, now: number): boolean {
  return record.expiresAt !== undefined && record.expiresAt <= now;
}

/** A memory key-value store: the core facade over a {@link MemoryKeyValueStoreDriver}. */
export interface MemoryKeyValueStore extends KeyValueStore {
  /** The driver behind the facade, for test hooks such as `dropNamespace()` and `usedBytes`. */
  readonly driver: MemoryKeyValueStoreDriver;
}

/**
 * Creates a memory key-value namespace behind the core facade (which validates keys, values,
 * expiry options and page sizes before the driver sees them).
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const kv = createMemoryKeyValueStore({ clock, limits: { ...ESA_KV_LIMITS, namespaceMaxBytes: 1024 } });
 * await kv.put("session", "x", { ttlSeconds: 60 });
 * clock.advance(60_000);
 * await kv.get("session"); // undefined
 * ```
 */
export function createMemoryKeyValueStore(options: MemoryKeyValueStoreOptions = {}): MemoryKeyValueStore {
  const driver = new MemoryKeyValueStoreDriver(options);
  // The facade judges `expiresAt` by the same clock the driver expires keys by.
  const store = createKeyValueStore(driver, { layers: options.layers ?? [], clock: options.clock ?? systemClock });
  return Object.assign(store, { driver });
}
