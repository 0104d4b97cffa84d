/**
 * The KeyValueStore driver for one ESA Edge KV namespace, its namespace-management extras, and
 * {@link createEsaKvStore}, the store an application uses.
 *
 * Encoding: every `put` sends `Base64=true` with the value Base64-encoded, and every `get` asks
 * for `Base64=true`, so binary values round-trip exactly through the JSON API. BatchPutKv has no
 * `Base64` flag, so batches carry only values that are valid UTF-8 as text; any other entry is
 * written with its own PutKv.
 */
import {
  compareUtf8,
  createKeyValueStore,
  LATEST_DATE_SECONDS,
  listWindowExceeded,
  StorageError,
  withRetry,
  type CallOptions,
  type DriverCallContext,
  type KeyValueLayer,
  type KeyValueLimits,
  type KeyValueStore,
  type KeyValueStoreDriver,
  type KvBatchResult,
  type KvDriverEntry,
  type KvEntry,
  type KvExpiry,
  type KvListEntry,
  type KvListPage,
  type RetryOptions,
  type StoreTarget,
} from "@stowage/core";
import { EsaKvClient, maxResponseBytesFor, type BatchPutKvItem, type GetKvNamespaceResponseBody } from "./client.js";
import { resolveEsaKvOptions, type EsaKvOptions, type ResolvedEsaKvOptions } from "./config.js";
import { esaBatchKeyError } from "./errors.js";
import { esaKvLimitsWith } from "./limits.js";

/** A namespace as GetKvNamespace / CreateKvNamespace / GetKvAccount describe it. */
export interface EsaKvNamespaceInfo {
  /** Namespace name; if the answer omits it, the store's own name (empty for a GetKvAccount list item). */
  namespace: string;
  /** Provider-assigned id (a numeric string), when reported. */
  namespaceId: string | undefined;
  /** Description given at creation, when any. */
  description: string | undefined;
  /** `online`, `delete` (pending), `deleting` or `deleted`. */
  status: string | undefined;
  /** Capacity in bytes (1 GiB by default), when reported. */
  capacityBytes: number | undefined;
  /** Bytes used, when reported. */
  usedBytes: number | undefined;
}

/** The account as GetKvAccount describes it. */
export interface EsaKvAccountInfo {
  /** `online` or `offline`. */
  status: string | undefined;
  /** How many namespaces the account may have (10 by default). */
  namespaceQuota: number | undefined;
  /** How many namespaces the account has, when reported. */
  namespaceUsed: number | undefined;
  /** Capacity of the whole account in bytes, when reported. */
  capacityBytes: number | undefined;
  /** Bytes used across all namespaces, when reported. */
  usedBytes: number | undefined;
  /** Every namespace of the account; empty when none is reported. */
  namespaces: EsaKvNamespaceInfo[];
}

/** Namespace management, the ESA-specific extras of the store and the driver. */
export interface EsaKvNamespaceAdmin {
  /** The namespace this store is bound to. */
  readonly namespace: string;
  /** CreateKvNamespace for this store's namespace. Raises `AlreadyExists`, or `QuotaExceeded` past the account's namespace quota. */
  createNamespace(options?: CallOptions & { description?: string }): Promise<EsaKvNamespaceInfo>;
  /** GetKvNamespace. Raises `NamespaceNotFound`. */
  getNamespace(options?: CallOptions): Promise<EsaKvNamespaceInfo>;
  /** DeleteKvNamespace (with every key in it). Raises `NamespaceNotFound`. */
  deleteNamespace(options?: CallOptions): Promise<void>;
  /** GetKvAccount: quota, usage and every namespace. */
  getAccount(options?: CallOptions): Promise<EsaKvAccountInfo>;
}

/** What {@link createEsaKvStore} returns: the contract plus namespace management. */
export type EsaKvStore = KeyValueStore & EsaKvNamespaceAdmin;

function namespaceInfo(body: GetKvNamespaceResponseBody, fallbackName: string): EsaKvNamespaceInfo {
  const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && v !== "" && !Number.isNaN(Number(v)) ? Number(v) : undefined);
  return {
    namespace: body.Namespace ?? fallbackName,
    namespaceId: body.NamespaceId === undefined ? undefined : String(body.NamespaceId),
    description: body.Description,
    status: body.Status,
    capacityBytes: num(body.Capacity),
    usedBytes: num(body.CapacityUsed),
  };
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The value as text when it is valid UTF-8 (so it can ride in a BatchPutKv JSON string), else undefined. */
function asText(value: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(value);
  } catch {
    return undefined;
  }
}

function toBase64(value: Uint8Array): string {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
}

function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** `ExpirationTtl` / `Expiration` from a normalized expiry. */
function expiryParams(expiry: KvExpiry): { ExpirationTtl?: number; Expiration?: number } {
  if (expiry.ttlSeconds !== undefined) return { ExpirationTtl: expiry.ttlSeconds };
  // Whole seconds, rounded up: a key never disappears before the instant the caller asked for.
  if (expiry.expiresAt !== undefined) return { Expiration: Math.ceil(expiry.expiresAt.getTime() / 1000) };
  return {};
}

// ----- list cursors -------------------------------------------------------------------------
// ListKvs pages by number. A cursor records how many keys were passed (`o`) and the last key
// returned (`k`): the next call fetches the page holding offset `o` at the requested page size
// and drops keys ≤ `k`, so keys inserted before the position are not repeated; while that page
// starts after `k` (keys before the position were deleted, moving later keys onto earlier
// pages) the pages before it are read too, back to one that starts at or before `k`, so no key
// that existed for the whole listing is skipped however many were deleted.

interface ListCursor {
  /** Keys passed so far. */
  o: number;
  /** The last key returned. */
  k: string;
  /** The prefix the listing was started with. */
  p: string;
}

function encodeCursor(c: ListCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, ...c })).toString("base64url");
}

function decodeCursor(cursor: string, prefix: string): ListCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  const c = parsed as Partial<ListCursor> & { v?: unknown };
  if (
    typeof c !== "object" ||
    c === null ||
    c.v !== 1 ||
    !Number.isSafeInteger(c.o) ||
    (c.o as number) < 0 ||
    typeof c.k !== "string" ||
    typeof c.p !== "string"
  ) {
    throw new StorageError({ code: "InvalidArgument", message: "cursor was not issued by this store", operation: "list" });
  }
  if (c.p !== prefix) throw new StorageError({ code: "InvalidArgument", message: "cursor belongs to a listing with another prefix", operation: "list" });
  return c as ListCursor;
}

const DEFAULT_PAGE_SIZE = 50;

/**
 * The {@link KeyValueStoreDriver} for one namespace. It receives validated, normalized
 * arguments from the facade; it still refuses a value over `putLargeMaxValueBytes` itself,
 * before any upload, because an upload is costly to undo.
 */
export class EsaKvDriver implements KeyValueStoreDriver, EsaKvNamespaceAdmin {
  readonly limits: KeyValueLimits;
  readonly namespace: string;
  readonly #client: EsaKvClient;
  readonly #options: ResolvedEsaKvOptions;

  constructor(options: EsaKvOptions) {
    this.#options = resolveEsaKvOptions(options);
    this.namespace = this.#options.namespace;
    this.limits = esaKvLimitsWith(this.#options.limits);
    this.#client = new EsaKvClient({
      endpoint: this.#options.endpoint,
      openPlatformEndpoint: this.#options.openPlatformEndpoint,
      credentials: this.#options.credentials,
      clock: this.#options.clock,
      connections: this.#options.connections,
      idleTimeoutMs: this.#options.idleTimeoutMs,
      maxResponseBytes: maxResponseBytesFor(this.limits.putLargeMaxValueBytes),
    });
  }

  /** What error messages name: `esa-kv` and this store's namespace. */
  get target(): StoreTarget {
    return { provider: "esa-kv", namespace: this.namespace };
  }

  /** The wire client, for callers that need an operation the contract does not cover. */
  get client(): EsaKvClient {
    return this.#client;
  }

  async get(key: string, ctx: DriverCallContext): Promise<KvEntry | undefined> {
    const options = { signal: ctx.signal, context: { operation: "get", key } };
    const read = missingAsUndefined(this.#client.getKv({ Namespace: this.namespace, Key: key, Base64: true }, options));
    // GetKv carries no expiry and GetKvDetail no Base64 (so no binary-safe value): the expiry
    // costs a second request, made only when the caller asked for metadata.
    const [value, expiresAt] = ctx.withMetadata ? await Promise.all([read, this.#expiresAt(key, options)]) : [await read, undefined];
    if (value === undefined) return undefined;
    const entry: KvEntry = { key, value: fromBase64(value.Value ?? "") };
    if (expiresAt !== undefined) entry.expiresAt = expiresAt;
    return entry;
  }

  /**
   * The expiry from GetKvDetail's `ExpirationTtl` (remaining seconds; absent or ≤ 0 when the key
   * has none). ESA holds int64 seconds, further than a Date reaches: a key another client wrote
   * with e.g. `ExpirationTtl=9007199254740991` reports the latest Date rather than `Invalid Date`.
   */
  async #expiresAt(key: string, options: { signal: AbortSignal; context: { operation: string; key: string } }): Promise<Date | undefined> {
    const detail = await missingAsUndefined(this.#client.getKvDetail({ Namespace: this.namespace, Key: key }, options));
    const ttl = Number(detail?.ExpirationTtl);
    if (!Number.isFinite(ttl) || ttl <= 0) return undefined;
    return new Date(Math.min(this.#options.clock.now() + ttl * 1000, LATEST_DATE_SECONDS * 1000));
  }

  async put(key: string, value: Uint8Array, expiry: KvExpiry, ctx: DriverCallContext): Promise<void> {
    if (value.byteLength > this.limits.putLargeMaxValueBytes) {
      throw new StorageError({
        code: "ValueTooLarge",
        message: `value of ${value.byteLength} bytes exceeds ${this.limits.putLargeMaxValueBytes} bytes (PutKvWithHighCapacity: 25 MB)`,
        operation: "put",
        key,
      });
    }
    if (value.byteLength > this.limits.putMaxValueBytes) return this.#putHighCapacity(key, value, expiry, ctx);
    await this.#client.putKv(
      { Namespace: this.namespace, Key: key, Value: toBase64(value), Base64: true, ...expiryParams(expiry) },
      { signal: ctx.signal, context: { operation: "put", key } },
    );
  }

  /**
   * The SDK's `PutKvWithHighCapacityAdvance`, step by step (reference §2): AuthorizeFileUpload,
   * an OSS PostObject of the `{Namespace, Key, Value}` JSON document, then PutKvWithHighCapacity
   * with `Url = http://{Bucket}.{Endpoint}/{ObjectKey}` (the SDK's exact form).
   */
  async #putHighCapacity(key: string, value: Uint8Array, expiry: KvExpiry, ctx: DriverCallContext): Promise<void> {
    const context = { operation: "put", key };
    const auth = await this.#client.authorizeFileUpload({ Product: "ESA", RegionId: this.#options.regionId }, { signal: ctx.signal, context });
    const { Bucket, Endpoint, ObjectKey, AccessKeyId, EncodedPolicy, Signature } = auth;
    if (!Bucket || !Endpoint || !ObjectKey || !AccessKeyId || !EncodedPolicy || !Signature) {
      throw new StorageError({ code: "Internal", message: "AuthorizeFileUpload answered without an upload authorization", ...context });
    }
    const bucketHost = `${Bucket}.${Endpoint}`;
    const payload = JSON.stringify({ Namespace: this.namespace, Key: key, Value: toBase64(value), Base64: true, ...expiryParams(expiry) });
    await this.#client.ossPostObject(
      {
        origin: this.#options.ossEndpoint ?? `https://${bucketHost}`,
        host: bucketHost,
        OSSAccessKeyId: AccessKeyId,
        policy: EncodedPolicy,
        Signature,
        key: ObjectKey,
        file: Buffer.from(payload),
      },
      { signal: ctx.signal, context },
    );
    await this.#client.putKvWithHighCapacity(
      { Namespace: this.namespace, Key: key, Url: `http://${bucketHost}/${ObjectKey}` },
      { signal: ctx.signal, context },
    );
  }

  async delete(key: string, ctx: DriverCallContext): Promise<boolean> {
    const deleted = await missingAsUndefined(this.#client.deleteKv({ Namespace: this.namespace, Key: key }, { signal: ctx.signal, context: { operation: "delete", key } }));
    return deleted !== undefined;
  }

  async list(request: { prefix?: string; limit?: number; cursor?: string }, ctx: DriverCallContext): Promise<KvListPage> {
    const prefix = request.prefix ?? "";
    const size = request.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = request.cursor === undefined ? undefined : decodeCursor(request.cursor, prefix);
    const offset = cursor?.o ?? 0;
    let pageNumber = Math.floor(offset / size) + 1;
    // "The product of PageNumber and PageSize cannot exceed 50000."
    if (pageNumber * size > this.limits.listMaxKeys) throw listWindowExceeded(this.limits.listMaxKeys);
    const fetch = async (n: number) => {
      const body = await this.#client.listKvs(
        { Namespace: this.namespace, PageNumber: n, PageSize: size, ...(prefix === "" ? {} : { Prefix: prefix }) },
        { signal: ctx.signal, context: { operation: "list" } },
      );
      const names = (body.Keys ?? []).map((k) => ({ key: k.Name ?? "", updatedAt: k.UpdateTime }));
      return { names, total: body.TotalCount ?? 0 };
    };
    let { names, total } = await fetch(pageNumber);
    let position = (pageNumber - 1) * size;
    while (cursor !== undefined && pageNumber > 1 && (names.length === 0 || compareUtf8(names[0]!.key, cursor.k) > 0)) {
      // Keys before our position were deleted, so unseen keys may have moved onto this earlier page.
      pageNumber -= 1;
      const previous = await fetch(pageNumber);
      names = [...previous.names, ...names];
      position -= size;
    }
    const keys: KvListEntry[] = [];
    let lastKey = cursor?.k;
    for (;;) {
      for (const { key, updatedAt } of names) {
        position += 1;
        if (lastKey !== undefined && compareUtf8(key, lastKey) <= 0) continue;
        const entry: KvListEntry = { key };
        const date = updatedAt ? new Date(updatedAt) : undefined;
        if (date && !Number.isNaN(date.getTime())) entry.updatedAt = date;
        keys.push(entry);
        lastKey = key;
        if (keys.length === size) break;
      }
      // A page emptied by the filter (keys inserted before the position) is not the end: read on.
      if (keys.length === size || names.length === 0 || position >= total) break;
      pageNumber = Math.floor(position / size) + 1;
      if (pageNumber * size > this.limits.listMaxKeys) {
        // The keys so far go out with a cursor; the call that resumes from it raises.
        if (keys.length === 0) throw listWindowExceeded(this.limits.listMaxKeys);
        break;
      }
      ({ names, total } = await fetch(pageNumber));
    }
    return position < total ? { keys, cursor: encodeCursor({ o: position, k: lastKey ?? "", p: prefix }) } : { keys };
  }

  async putMany(entries: KvDriverEntry[], ctx: DriverCallContext): Promise<KvBatchResult> {
    const batchable: Array<{ entry: KvDriverEntry; item: BatchPutKvItem; bytes: number }> = [];
    const single: KvDriverEntry[] = [];
    for (const entry of entries) {
      const text = entry.value.byteLength <= this.limits.putManyMaxBytes ? asText(entry.value) : undefined;
      if (text === undefined) {
        single.push(entry);
        continue;
      }
      const item: BatchPutKvItem = { Key: entry.key, Value: text, ...expiryParams(entry) };
      const bytes = Buffer.byteLength(JSON.stringify(item)) + 1;
      // "The total size cannot exceed 2 MB": counted here on the JSON, the stricter reading.
      if (bytes > this.limits.putManyMaxBytes) single.push(entry);
      else batchable.push({ entry, item, bytes });
    }
    const outcome = new Map<string, StorageError | null>();
    let batch: typeof batchable = [];
    let load = 2;
    const flush = async () => {
      if (batch.length === 0) return;
      const sent = batch;
      batch = [];
      load = 2;
      const body = await this.#client.batchPutKv(
        { Namespace: this.namespace, KvList: sent.map((b) => b.item) },
        { signal: ctx.signal, context: { operation: "putMany" } },
      );
      const ok = new Set(body.SuccessKeys ?? []);
      for (const { entry } of sent) outcome.set(entry.key, ok.has(entry.key) ? null : esaBatchKeyError(entry.key, "putMany"));
    };
    for (const b of batchable) {
      if (load + b.bytes > this.limits.putManyMaxBytes) await flush();
      batch.push(b);
      load += b.bytes;
    }
    await flush();
    for (const entry of single) {
      try {
        await this.put(entry.key, entry.value, entry, ctx);
        outcome.set(entry.key, null);
      } catch (err) {
        if (!(err instanceof StorageError) || err.code === "Aborted") throw err;
        outcome.set(entry.key, err);
      }
    }
    return batchResult(entries.map((e) => e.key), outcome);
  }

  async deleteMany(keys: string[], ctx: DriverCallContext): Promise<KvBatchResult> {
    const outcome = new Map<string, StorageError | null>();
    for (let i = 0; i < keys.length; i += this.limits.deleteManyMaxKeys) {
      const chunk = keys.slice(i, i + this.limits.deleteManyMaxKeys);
      const body = await this.#client.batchDeleteKv({ Namespace: this.namespace, Keys: chunk }, { signal: ctx.signal, context: { operation: "deleteMany" } });
      const ok = new Set(body.SuccessKeys ?? []);
      for (const key of chunk) outcome.set(key, ok.has(key) ? null : esaBatchKeyError(key, "deleteMany"));
    }
    return batchResult(keys, outcome);
  }

  async createNamespace(options: CallOptions & { description?: string } = {}): Promise<EsaKvNamespaceInfo> {
    const body = await this.#client.createKvNamespace(
      { Namespace: this.namespace, ...(options.description === undefined ? {} : { Description: options.description }) },
      { ...(options.signal ? { signal: options.signal } : {}), context: { operation: "createNamespace" } },
    );
    return namespaceInfo(body, this.namespace);
  }

  async getNamespace(options: CallOptions = {}): Promise<EsaKvNamespaceInfo> {
    const body = await this.#client.getKvNamespace(
      { Namespace: this.namespace },
      { ...(options.signal ? { signal: options.signal } : {}), context: { operation: "getNamespace" } },
    );
    return namespaceInfo(body, this.namespace);
  }

  async deleteNamespace(options: CallOptions = {}): Promise<void> {
    await this.#client.deleteKvNamespace(
      { Namespace: this.namespace },
      { ...(options.signal ? { signal: options.signal } : {}), context: { operation: "deleteNamespace" } },
    );
  }

  async getAccount(options: CallOptions = {}): Promise<EsaKvAccountInfo> {
    const body = await this.#client.getKvAccount({ ...(options.signal ? { signal: options.signal } : {}), context: { operation: "getAccount" } });
    const num = (v: unknown) => (typeof v === "number" ? v : undefined);
    return {
      status: body.Status,
      namespaceQuota: num(body.NamespaceQuota),
      namespaceUsed: num(body.NamespaceUsed),
      capacityBytes: num(body.Capacity),
      usedBytes: num(body.CapacityUsed),
      namespaces: (body.NamespaceList ?? []).map((ns) => namespaceInfo(ns, ns.Namespace ?? "")),
    };
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}

/**
 * The call's answer, or undefined when the provider says the key does not exist
 * (`InvalidKey.NotFound`). Only that code is a miss: any other 404 (a wrong endpoint, a missing
 * namespace) stays an error, so an outage never reads as an absent key.
 */
async function missingAsUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof StorageError && err.providerCode === "InvalidKey.NotFound") return undefined;
    throw err;
  }
}

/** Per-key results in request order; a key repeated in the request is reported once, by its last outcome. */
function batchResult(keys: string[], outcome: Map<string, StorageError | null>): KvBatchResult {
  const result: KvBatchResult = { succeeded: [], failed: [] };
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    const error = outcome.get(key);
    if (error === null) result.succeeded.push(key);
    else result.failed.push({ key, error: error ?? esaBatchKeyError(key, "batch") });
  }
  return result;
}

/** Options of {@link createEsaKvStore}: the adapter's options plus the layers around it. */
export interface CreateEsaKvStoreOptions extends EsaKvOptions {
  /** Retry of throttling (429, `TooManyRequests`, `TooQuickRequests`) and 5xx; `false` disables it. Default: core's defaults. */
  retry?: RetryOptions | false;
  /** Extra layers, outside the retry layer. */
  layers?: KeyValueLayer[];
}

/**
 * A {@link KeyValueStore} on one ESA Edge KV namespace, with namespace management.
 *
 * @example
 * ```ts
 * const kv = createEsaKvStore({ namespace: "sessions", endpoint: "https://esa.cn-hangzhou.aliyuncs.com" });
 * await kv.put("user_1", JSON.stringify({ id: 1 }), { ttlSeconds: 3600 });
 * ```
 */
export function createEsaKvStore(options: CreateEsaKvStoreOptions): EsaKvStore {
  const driver = new EsaKvDriver(options);
  const layers = [...(options.layers ?? []), ...(options.retry === false ? [] : [withRetry(options.retry ?? {})])];
  const store = createKeyValueStore(driver, { layers, ...(options.clock ? { clock: options.clock } : {}) });
  const admin: EsaKvNamespaceAdmin = {
    namespace: driver.namespace,
    createNamespace: (o) => driver.createNamespace(o),
    getNamespace: (o) => driver.getNamespace(o),
    deleteNamespace: (o) => driver.deleteNamespace(o),
    getAccount: (o) => driver.getAccount(o),
  };
  return Object.assign(store, admin);
}
