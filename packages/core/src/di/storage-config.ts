/**
 * The plain configuration {@link createStorageContainer} builds stores from, and its one
 * checker. Error messages name the field path (`stores.cache.timeoutMs`) and what was
 * expected, never the value: a misplaced secret must not end up in a log.
 */
import { StorageError } from "../storage-error.js";

/** Which contract a store provides: `kv` → `KeyValueStore`, `objects` → `MultipartObjectStore`. */
export type StoreKind = "kv" | "objects";

/**
 * Retry settings of one store (see `RetryOptions`); JSON values only. Each is an integer up to
 * 2^31 − 1 (decimal strings, as the environment gives, are accepted); else `InvalidArgument`.
 */
export interface StoreRetryConfig {
  /** Attempts in all, the first included, an integer ≥ 1; default 3. */
  maxAttempts?: number;
  /** Backoff ceiling of the first retry in ms, an integer ≥ 0, doubling per retry; default 100. */
  baseDelayMs?: number;
  /** Largest backoff and largest honoured `Retry-After` in ms, an integer ≥ 0; default 5000. */
  maxDelayMs?: number;
  /** No retry starts whose backoff would end more than this many ms after the first attempt began; an integer ≥ 1; default none. */
  totalDeadlineMs?: number;
}

/**
 * One named store: the provider id, the layer settings, and the provider's own fields
 * (`namespace`, `bucket`, `endpoint`, credentials…), which are handed to the provider as is.
 */
export interface StoreConfig {
  /** The provider id, e.g. `memory`, `esa-kv`, `ks3`. */
  provider: string;
  /** The contract to build; default: every contract the provider implements. */
  kind?: StoreKind;
  /** Retry settings, or `false` for no retry layer; default: the retry layer's defaults. */
  retry?: StoreRetryConfig | false;
  /** Per-attempt timeout in ms; default: no timeout layer. */
  timeoutMs?: number;
  /** The provider's own fields. */
  [field: string]: unknown;
}

/** Several named stores, and which one is the default. */
export interface StorageConfig {
  /** The stores by name: at least one; names of letters, digits, `_` and `-`, at most 64, starting with a letter or digit. */
  stores: Record<string, StoreConfig>;
  /**
   * The store `getKeyValueStore()` / `getObjectStore()` return without a name. Default: for each
   * contract, the only store providing it.
   */
  default?: string;
}

/** What {@link createStorageContainer} accepts: the full form or a single store (named `default`). */
export type StorageConfigInput = StorageConfig | StoreConfig;

/** The fields of a store the container reads itself; the rest belong to the provider. */
const LAYER_FIELDS = new Set(["provider", "kind", "retry", "timeoutMs"]);
const RETRY_FIELDS = new Set(["maxAttempts", "baseDelayMs", "maxDelayMs", "totalDeadlineMs"]);
const STORE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** setTimeout's ceiling; a larger delay would fire at once. */
const MAX_MS = 2 ** 31 - 1;

function invalid(path: string, expected: string): StorageError {
  return new StorageError({ code: "InvalidArgument", message: `storage config: ${path} must be ${expected}` });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An integer in min..MAX_MS; decimal strings are accepted because environment variables are strings. */
function integerField(value: unknown, path: string, min: number): number {
  const n = typeof value === "string" && /^\d{1,10}$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > MAX_MS) throw invalid(path, `an integer in ${min}..${MAX_MS}`);
  return n;
}

function parseRetry(value: unknown, path: string): StoreRetryConfig | false {
  if (value === false || value === "false") return false;
  if (value === undefined || value === true || value === "true") return {};
  if (!isPlainObject(value)) throw invalid(path, "false or an object");
  const retry: StoreRetryConfig = {};
  for (const [field, raw] of Object.entries(value)) {
    if (!RETRY_FIELDS.has(field)) throw invalid(`${path}.${field}`, `absent (known fields: ${[...RETRY_FIELDS].join(", ")})`);
    retry[field as keyof StoreRetryConfig] = integerField(raw, `${path}.${field}`, field === "maxAttempts" || field === "totalDeadlineMs" ? 1 : 0);
  }
  return retry;
}

function parseStore(value: unknown, path: string): StoreConfig {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  if (!isPlainObject(value)) throw invalid(path || "config", "an object");
  const { provider, kind, retry, timeoutMs } = value;
  if (typeof provider !== "string" || provider === "") throw invalid(at("provider"), "a provider id");
  const store: StoreConfig = { provider };
  if (kind !== undefined) {
    if (kind !== "kv" && kind !== "objects") throw invalid(at("kind"), `"kv" or "objects"`);
    store.kind = kind;
  }
  store.retry = parseRetry(retry, at("retry"));
  if (timeoutMs !== undefined) store.timeoutMs = integerField(timeoutMs, at("timeoutMs"), 1);
  for (const [field, raw] of Object.entries(value)) if (!LAYER_FIELDS.has(field)) store[field] = raw;
  return store;
}

/**
 * Checks a configuration and returns it in the full form: the shorthand becomes one store
 * named `default`, numeric strings (from the environment) become numbers, `retry` is always
 * set. Raises `InvalidArgument` naming the first bad field. Idempotent.
 */
export function normalizeStorageConfig(input: unknown): StorageConfig {
  if (!isPlainObject(input)) throw invalid("config", "an object");
  if ("provider" in input && "stores" in input) throw invalid("config", `either { stores } or a single store's { provider }, not both`);
  if (!("stores" in input)) return { stores: { default: parseStore(input, "") }, default: "default" };
  const stores: Record<string, StoreConfig> = {};
  for (const field of Object.keys(input)) {
    if (field !== "stores" && field !== "default") throw invalid(field, `absent (known fields: stores, default)`);
  }
  if (!isPlainObject(input.stores) || Object.keys(input.stores).length === 0) throw invalid("stores", "an object with at least one store");
  for (const [name, store] of Object.entries(input.stores)) {
    if (!STORE_NAME.test(name)) throw invalid("stores", `keyed by names of letters, digits, _ and - (at most 64)`);
    stores[name] = parseStore(store, `stores.${name}`);
  }
  const config: StorageConfig = { stores };
  if (input.default !== undefined) {
    if (typeof input.default !== "string" || !Object.hasOwn(stores, input.default)) throw invalid("default", `the name of a store: ${Object.keys(stores).join(", ")}`);
    config.default = input.default;
  }
  return config;
}

/** The provider's own fields of a store: everything but `provider`, `kind`, `retry` and `timeoutMs`. */
export function providerFields(store: StoreConfig): Readonly<Record<string, unknown>> {
  return Object.freeze(Object.fromEntries(Object.entries(store).filter(([field]) => !LAYER_FIELDS.has(field))));
}
