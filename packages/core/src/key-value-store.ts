import type { StoreTarget } from "./error-context.js";
import type { BodyInput } from "./body.js";
import type { KeyValueLimits } from "./limits.js";
import type { StorageError } from "./storage-error.js";

/** Options every call accepts. */
export interface CallOptions {
  /**
   * Aborting raises `StorageError` with code `Aborted` promptly and leaves no value half-written.
   * `putMany` and `deleteMany` run one provider request per batch: an abort between batches
   * raises `Aborted`, and the keys of batches already sent may have been written or deleted
   * (each whole or not at all). Both are idempotent, so repeating the call is the remedy.
   */
  signal?: AbortSignal;
}

/** Options of {@link KeyValueStore.put}. At most one of `ttlSeconds` and `expiresAt`. */
export interface KvPutOptions extends CallOptions {
  /** Relative expiry in whole seconds, ≥ `limits.putMinTtlSeconds` and reaching no later than `limits.putMaxExpiresAtSeconds`; otherwise `InvalidArgument`. */
  ttlSeconds?: number;
  /** Absolute expiry; in the past or later than `limits.putMaxExpiresAtSeconds` raises `InvalidArgument`. */
  expiresAt?: Date;
}

/** A value with what the store knows about it. */
export interface KvEntry {
  /** The key as written. */
  key: string;
  /** The value's bytes, a copy the caller owns. */
  value: Uint8Array;
  /** When the key expires, if it has an expiry. */
  expiresAt?: Date;
}

/** Options of {@link KeyValueStore.list}. */
export interface KvListOptions extends CallOptions {
  /** Only keys starting with this prefix. */
  prefix?: string;
  /** Page size, 1..`limits.listMaxPageSize`; default: the provider's default page size. */
  limit?: number;
  /** The `cursor` of the previous page; omit for the first page. Opaque. */
  cursor?: string;
}

/** One key in a listing. Listings carry no values. */
export interface KvListEntry {
  /** The key. */
  key: string;
  /** When the key was last written, where the provider reports it. */
  updatedAt?: Date;
  /** When the key expires, where the provider reports it. */
  expiresAt?: Date;
}

/** One page of a listing. */
export interface KvListPage {
  /** The keys of this page, in ascending order. */
  keys: KvListEntry[];
  /** Present when there are more keys; pass it back as `cursor`. */
  cursor?: string;
}

/** One entry of {@link KeyValueStore.putMany}. */
export interface KvPutManyEntry {
  /** The key; an invalid one is reported in `failed`, the rest are still written. */
  key: string;
  /** Bytes, or a string stored as UTF-8. */
  value: Uint8Array | string;
  /** As in {@link KvPutOptions.ttlSeconds}. */
  ttlSeconds?: number;
  /** As in {@link KvPutOptions.expiresAt}. */
  expiresAt?: Date;
}

/** Per-key outcome of a batch call. Partial success is real (ESA returns SuccessKeys / FailKeys). */
export interface KvBatchResult {
  /** Keys written (putMany) or removed (deleteMany), in request order. */
  succeeded: string[];
  /** Keys that failed, each with the reason. */
  failed: Array<{
    /** The key as the caller gave it. */
    key: string;
    /** Why this key failed; its `code` says whether retrying it can help. */
    error: StorageError;
  }>;
}

/**
 * A key-value namespace. Keys are strings (validated against {@link KeyValueLimits}); values are
 * bytes, strings being stored as UTF-8. Binary values round-trip exactly on every adapter.
 *
 * Every method raises {@link StorageError} and nothing else; `get` returns `undefined` only
 * for a missing key and never turns an outage into a miss.
 *
 * There is no `presign`: no key-value provider (ESA Edge KV, Redis) hands out URLs, so only
 * {@link MultipartObjectStore.presign} exists, and tools asked to presign a key-value key
 * report `Unsupported`.
 */
export interface KeyValueStore {
  /** The manifest this store keeps; the validation layer and the conformance suite read it. */
  readonly limits: KeyValueLimits;

  /**
   * The value's bytes, or `undefined` when the key is absent or expired (never `null`, an empty
   * array or the string "null").
   * Raises `InvalidKey` / `KeyTooLong` for a bad key, `NamespaceNotFound` when the namespace is gone.
   */
  get(key: string, options?: CallOptions): Promise<Uint8Array | undefined>;

  /** {@link get} decoded as UTF-8 (invalid sequences raise `InvalidArgument`). */
  getText(key: string, options?: CallOptions): Promise<string | undefined>;

  /** {@link getText} parsed as JSON (invalid JSON raises `InvalidArgument`). */
  getJson<T = unknown>(key: string, options?: CallOptions): Promise<T | undefined>;

  /** {@link get} with the expiry, where the provider reports it. */
  getWithMetadata(key: string, options?: CallOptions): Promise<KvEntry | undefined>;

  /**
   * Creates or overwrites `key`. A value larger than `limits.putMaxValueBytes` goes through the
   * provider's large-value path where there is one; larger than `limits.putLargeMaxValueBytes`
   * raises `ValueTooLarge` before any I/O. A `ttlSeconds` below `limits.putMinTtlSeconds`, a
   * non-integer TTL, an `expiresAt` in the past, an expiry past `limits.putMaxExpiresAtSeconds`,
   * or both at once raise `InvalidArgument`.
   * Writing past the namespace capacity raises `QuotaExceeded`.
   */
  put(key: string, value: BodyInput, options?: KvPutOptions): Promise<void>;

  /** Removes `key`; resolves whether it existed. Deleting an absent key is not an error. */
  delete(key: string, options?: CallOptions): Promise<boolean>;

  /**
   * One page of keys in ascending UTF-8 byte order. Paging with `cursor` to the end yields every
   * key that existed for the whole listing exactly once. `limit` above `limits.listMaxPageSize`
   * or below 1 raises `InvalidArgument`; a cursor not issued by this store raises `InvalidArgument`.
   * A page that would reach more than `limits.listMaxKeys` keys into the listing raises
   * `InvalidArgument` (ESA lists no further); a listing never ends early without saying so.
   */
  list(options?: KvListOptions): Promise<KvListPage>;

  /** Every key (optionally under `prefix`), fetching pages as the iteration proceeds. */
  keys(options?: Omit<KvListOptions, "cursor">): AsyncIterable<KvListEntry>;

  /**
   * Writes several entries, split into provider requests within the manifest's batch limits;
   * resolves with per-key results. Raises `Unsupported` when `limits.putMany` is false.
   * Entries that fail validation are reported in `failed`, the others are still written.
   */
  putMany(entries: KvPutManyEntry[], options?: CallOptions): Promise<KvBatchResult>;

  /** Deletes several keys with per-key results. Raises `Unsupported` when `limits.deleteMany` is false. */
  deleteMany(keys: string[], options?: CallOptions): Promise<KvBatchResult>;

  /** Releases connections and timers. Calls after close raise `InvalidArgument`. */
  close(): Promise<void>;
}

/** The context a driver method receives. */
export interface DriverCallContext {
  /** Always present: the caller's signal, or one that never fires. Drivers pass it to their I/O. */
  signal: AbortSignal;
  /**
   * Set by `getWithMetadata`: the caller wants `expiresAt`. A driver whose provider reports the
   * expiry only through an extra request (ESA: GetKvDetail) makes it only when this is true;
   * layers pass the context on unchanged.
   */
  withMetadata?: boolean;
}

/** Expiry after normalization: at most one of the two is set. */
export interface KvExpiry {
  /** Relative expiry in whole seconds. */
  ttlSeconds?: number;
  /** Absolute expiry, in the future. */
  expiresAt?: Date;
}

/** A batch entry after normalization. */
export interface KvDriverEntry extends KvExpiry {
  /** A key valid under the manifest. */
  key: string;
  /** The value's bytes. */
  value: Uint8Array;
}

/**
 * The implementor surface: what an adapter author writes. The facade
 * ({@link createKeyValueStore}) validates and normalizes every argument first, so a driver
 * receives valid keys, byte values, at most one expiry form, batches within the manifest's
 * limits and a page size within bounds. Drivers raise {@link StorageError} only.
 */
export interface KeyValueStoreDriver {
  /** The manifest the facade validates against and the conformance suite holds the driver to. */
  readonly limits: KeyValueLimits;
  /** The provider and namespace the store's error messages name, e.g. `{ provider: "esa-kv", namespace: "sessions" }`. */
  readonly target?: StoreTarget;
  /** The entry, or `undefined` only when the key is absent or expired. */
  get(key: string, ctx: DriverCallContext): Promise<KvEntry | undefined>;
  /** Writes the value with at most one expiry form; a value over `putMaxValueBytes` takes the large-value path. */
  put(key: string, value: Uint8Array, expiry: KvExpiry, ctx: DriverCallContext): Promise<void>;
  /** Whether the key existed. */
  delete(key: string, ctx: DriverCallContext): Promise<boolean>;
  /** One page in ascending key order; `limit` is within the manifest, `cursor` one this driver issued. */
  list(request: { prefix?: string; limit?: number; cursor?: string }, ctx: DriverCallContext): Promise<KvListPage>;
  /** One provider batch, already within `putManyMaxBytes`. */
  putMany(entries: KvDriverEntry[], ctx: DriverCallContext): Promise<KvBatchResult>;
  /** One provider batch, already within `deleteManyMaxKeys`. */
  deleteMany(keys: string[], ctx: DriverCallContext): Promise<KvBatchResult>;
  /** Releases connections and timers. */
  close?(): Promise<void>;
}
