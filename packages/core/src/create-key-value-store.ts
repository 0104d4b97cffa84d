/**
 * The key-value facade: the one place that checks argument types, normalizes values, handles
 * the abort signal and the closed state, and splits batches, so drivers and layers receive
 * normalized arguments only (style §5).
 */
import { throwIfAborted } from "./abort.js";
import { decodeUtf8, encodeUtf8, isBodyInput, readBytes, type BodyInput } from "./body.js";
import type { Clock } from "./clock.js";
import { withErrorContext, withStoreContext } from "./error-context.js";
import { invalidArgument, storeGuard } from "./guarded-call.js";
import type {
  CallOptions,
  KeyValueStore,
  KeyValueStoreDriver,
  KvBatchResult,
  KvDriverEntry,
  KvEntry,
  KvExpiry,
  KvListEntry,
  KvListOptions,
  KvListPage,
  KvPutManyEntry,
  KvPutOptions,
} from "./key-value-store.js";
import type { KeyValueLayer } from "./layer.js";
import { checkLimits } from "./limits.js";
import { withValidation } from "./layers/with-validation.js";
import { StorageError, isStorageError } from "./storage-error.js";

/** Options of {@link createKeyValueStore}. */
export interface CreateKeyValueStoreOptions {
  /**
   * Layers between the validation layer and the driver, first = outermost. The order is
   * fixed: facade → validation → `layers[0]` → … → driver, so a retry layer only ever
   * repeats calls that already passed validation.
   */
  layers?: KeyValueLayer[];
  /** The clock `expiresAt` is checked against; default: the system clock. */
  clock?: Clock;
}

function checkKeyType(key: unknown): void {
  if (typeof key !== "string") throw invalidArgument(`key must be a string, got ${key === null ? "null" : typeof key}`);
}

function optionalOfType(value: unknown, type: "string" | "number", name: string): void {
  if (value !== undefined && typeof value !== type) throw invalidArgument(`${name} must be a ${type}`);
}

function checkExpiryTypes(expiry: { ttlSeconds?: unknown; expiresAt?: unknown }, where: string): KvExpiry {
  optionalOfType(expiry.ttlSeconds, "number", `${where}ttlSeconds`);
  if (expiry.expiresAt !== undefined && !(expiry.expiresAt instanceof Date)) throw invalidArgument(`${where}expiresAt must be a Date`);
  const out: KvExpiry = {};
  if (expiry.ttlSeconds !== undefined) out.ttlSeconds = expiry.ttlSeconds as number;
  if (expiry.expiresAt !== undefined) out.expiresAt = expiry.expiresAt as Date;
  return out;
}

function optionsObject(options: unknown): Record<string, unknown> {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object") throw invalidArgument("options must be an object");
  return options as Record<string, unknown>;
}

/** Groups items in order so each group stays within `max` by `weight`; an item heavier than `max` travels alone. */
function splitBatches<T>(items: readonly T[], max: number, weight: (item: T) => number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let load = 0;
  for (const item of items) {
    const w = weight(item);
    if (current.length > 0 && load + w > max) {
      batches.push(current);
      current = [];
      load = 0;
    }
    current.push(item);
    load += w;
  }
  if (current.length > 0 || batches.length === 0) batches.push(current);
  return batches;
}

/**
 * Codes that concern the whole call rather than one batch request; they are raised, not
 * reported per key: the caller asked for something the store cannot do, or gave up.
 */
const CALL_LEVEL_CODES = new Set(["Aborted", "Unsupported"]);

/**
 * Runs batch requests one after another and merges their per-key results in request order.
 * A request that fails as a whole (e.g. a network error) marks each of its keys failed with
 * that error and the remaining requests still run: they are independent provider calls, and a
 * caller deserves to know which keys did land.
 */
async function runBatches<T>(
  batches: T[][],
  signal: AbortSignal,
  keyOf: (item: T) => string,
  send: (batch: T[]) => Promise<KvBatchResult>,
): Promise<KvBatchResult> {
  const merged: KvBatchResult = { succeeded: [], failed: [] };
  for (const batch of batches) {
    throwIfAborted(signal);
    try {
      const result = await send(batch);
      merged.succeeded.push(...result.succeeded);
      merged.failed.push(...result.failed);
    } catch (err) {
      if (!isStorageError(err) || CALL_LEVEL_CODES.has(err.code)) throw err;
      for (const item of batch) merged.failed.push({ key: keyOf(item), error: err });
    }
  }
  return merged;
}

/**
 * Builds a {@link KeyValueStore} over a driver. Every call: raises `InvalidArgument` for a
 * wrong argument type (never a TypeError) and after {@link KeyValueStore.close}; validates
 * against `driver.limits` before any I/O; raises `Aborted` as soon as the caller's signal
 * fires; and raises only {@link StorageError}s naming the operation and key (a foreign error
 * from a driver becomes `Internal`).
 *
 * `putMany` entries are split into requests of at most `limits.putManyMaxBytes` value bytes,
 * `deleteMany` keys into requests of at most `limits.deleteManyMaxKeys`. A batch entry larger
 * than one request allows is reported in `failed` as `ValueTooLarge`: use `put`, which takes
 * the provider's large-value path. Wrong argument TYPES in a batch raise `InvalidArgument` for
 * the whole call (a programming error); entries breaking the manifest's rules are reported in
 * `failed` and the others are written.
 */
export function createKeyValueStore(driver: KeyValueStoreDriver, options: CreateKeyValueStoreOptions = {}): KeyValueStore {
  if (typeof driver !== "object" || driver === null || typeof driver.limits !== "object") {
    throw invalidArgument("createKeyValueStore needs a driver with a limits manifest");
  }
  checkLimits(driver.limits);
  const layers = options.layers ?? [];
  if (!Array.isArray(layers) || layers.some((l) => typeof l !== "function")) throw invalidArgument("layers must be an array of functions");
  const validate = withValidation(options.clock === undefined ? {} : { clock: options.clock });
  const chain = validate(layers.reduceRight<KeyValueStoreDriver>((inner, layer) => layer(inner), driver));
  const limits = driver.limits;
  const guard = storeGuard(() => chain.close?.(), driver.target);
  /** Per-key failures of a batch in the one message format, as the call's own errors are. */
  const describeFailures = (result: KvBatchResult, operation: string): KvBatchResult => ({
    succeeded: result.succeeded,
    failed: result.failed.map((f) => ({ key: f.key, error: withStoreContext(f.error, { operation, key: f.key }, driver.target) })),
  });

  function getEntry(operation: string, key: string, callOptions: CallOptions | undefined): Promise<KvEntry | undefined> {
    return guard.call(operation, key, callOptions, async (ctx) => {
      checkKeyType(key);
      return chain.get(key, operation === "getWithMetadata" ? { ...ctx, withMetadata: true } : ctx);
    });
  }

  function decodeText(operation: string, key: string, bytes: Uint8Array): string {
    try {
      return decodeUtf8(bytes);
    } catch (err) {
      throw withErrorContext(err, { operation, key });
    }
  }

  const store: KeyValueStore = {
    limits,

    async get(key, callOptions) {
      return (await getEntry("get", key, callOptions))?.value;
    },

    async getText(key, callOptions) {
      const entry = await getEntry("getText", key, callOptions);
      return entry === undefined ? undefined : decodeText("getText", key, entry.value);
    },

    async getJson<T = unknown>(key: string, callOptions?: CallOptions): Promise<T | undefined> {
      const entry = await getEntry("getJson", key, callOptions);
      if (entry === undefined) return undefined;
      const text = decodeText("getJson", key, entry.value);
      try {
        return JSON.parse(text) as T;
      } catch (cause) {
        throw new StorageError({ code: "InvalidArgument", message: "value is not valid JSON", operation: "getJson", key, cause });
      }
    },

    async getWithMetadata(key, callOptions) {
      return getEntry("getWithMetadata", key, callOptions);
    },

    put(key: string, value: BodyInput, putOptions?: KvPutOptions) {
      return guard.call("put", key, putOptions, async (ctx) => {
        checkKeyType(key);
        const expiry = checkExpiryTypes(optionsObject(putOptions), "");
        if (!isBodyInput(value)) throw invalidArgument("value must be a Uint8Array, a string, a Readable, a ReadableStream or an AsyncIterable<Uint8Array>");
        // Bytes and strings go straight on (the validation layer checks their size); only a
        // stream is read here, bounded so an endless one cannot fill memory.
        const bytes =
          typeof value === "string"
            ? encodeUtf8(value)
            : value instanceof Uint8Array
              ? value
              : await readBytes(value, { maxBytes: limits.putLargeMaxValueBytes, signal: ctx.signal });
        return chain.put(key, bytes, expiry, ctx);
      });
    },

    delete(key, callOptions) {
      return guard.call("delete", key, callOptions, async (ctx) => {
        checkKeyType(key);
        return chain.delete(key, ctx);
      });
    },

    list(listOptions?: KvListOptions): Promise<KvListPage> {
      return guard.call("list", undefined, listOptions, async (ctx) => {
        const o = optionsObject(listOptions);
        optionalOfType(o.prefix, "string", "prefix");
        optionalOfType(o.limit, "number", "limit");
        optionalOfType(o.cursor, "string", "cursor");
        const request: { prefix?: string; limit?: number; cursor?: string } = {};
        if (o.prefix !== undefined) request.prefix = o.prefix as string;
        if (o.limit !== undefined) request.limit = o.limit as number;
        if (o.cursor !== undefined) request.cursor = o.cursor as string;
        return chain.list(request, ctx);
      });
    },

    keys(listOptions?: Omit<KvListOptions, "cursor">): AsyncIterable<KvListEntry> {
      const list = store.list.bind(store);
      return {
        async *[Symbol.asyncIterator]() {
          let cursor: string | undefined;
          do {
            // The first call passes the options as given, so list checks their type.
            const page: KvListPage = await list(cursor === undefined ? listOptions : { ...listOptions, cursor });
            yield* page.keys;
            cursor = page.cursor;
          } while (cursor !== undefined);
        },
      };
    },

    putMany(entries: KvPutManyEntry[], callOptions?: CallOptions): Promise<KvBatchResult> {
      return guard.call("putMany", undefined, callOptions, async (ctx) => {
        if (!Array.isArray(entries)) throw invalidArgument("entries must be an array");
        const refused: KvBatchResult["failed"] = [];
        const normalized: KvDriverEntry[] = [];
        entries.forEach((entry, i) => {
          if (typeof entry !== "object" || entry === null) throw invalidArgument(`entries[${i}] must be { key, value, ttlSeconds?, expiresAt? }`);
          checkKeyType(entry.key);
          if (typeof entry.value !== "string" && !(entry.value instanceof Uint8Array)) {
            throw invalidArgument(`entries[${i}].value must be a Uint8Array or a string`);
          }
          const expiry = checkExpiryTypes(entry, `entries[${i}].`);
          try {
            const value = typeof entry.value === "string" ? encodeUtf8(entry.value) : entry.value;
            normalized.push({ key: entry.key, value, ...expiry });
          } catch (err) {
            refused.push({ key: entry.key, error: withErrorContext(err, { operation: "putMany", key: entry.key }) });
          }
        });
        const batches = splitBatches(normalized, limits.putManyMaxBytes, (e) => e.value.byteLength);
        const result = await runBatches(batches, ctx.signal, (e) => e.key, (batch) => chain.putMany(batch, ctx));
        return describeFailures({ succeeded: result.succeeded, failed: [...refused, ...result.failed] }, "putMany");
      });
    },

    deleteMany(keys: string[], callOptions?: CallOptions): Promise<KvBatchResult> {
      return guard.call("deleteMany", undefined, callOptions, async (ctx) => {
        if (!Array.isArray(keys)) throw invalidArgument("keys must be an array of strings");
        keys.forEach(checkKeyType);
        const batches = splitBatches(keys, Math.max(1, limits.deleteManyMaxKeys), () => 1);
        return describeFailures(await runBatches(batches, ctx.signal, (k) => k, (batch) => chain.deleteMany(batch, ctx)), "deleteMany");
      });
    },

    close: () => guard.close(),
  };
  return store;
}
