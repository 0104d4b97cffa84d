import type { ActionContext, ActionHandler, ActionResult } from "./action-context.js";
import { EsaKvEmulatorError } from "./errors.js";
import { checkValueSize, decodeValue, resolveExpiresAt, validateKey, validateNamespaceName } from "./kv-validation.js";
import { parseInteger } from "./request-params.js";

/**
 * The key-value actions of ESA 2024-09-10: PutKv, GetKv, GetKvDetail, DeleteKv, ListKvs,
 * BatchPutKv, BatchDeleteKv. Parameter placement follows reference §1.1; response shapes
 * follow the SDK models (`Length` and `ExpirationTtl` are strings there).
 */

/**
 * PutKv's echo of the value: "If the value is longer than 256 characters, the response
 * includes only the first 100 and last 100 characters". The separator between them is
 * undocumented; the emulator uses `...`.
 */
function echoValue(value: string): string {
  return value.length > 256 ? `${value.slice(0, 100)}...${value.slice(-100)}` : value;
}

/** The `Length` PutKv returns: the stored value's size in bytes, as a string (SDK model). */
function lengthOf(bytes: Uint8Array): string {
  return String(bytes.byteLength);
}

/** `2021-12-13T07:46:03Z`: ISO-8601 UTC without milliseconds, as the ListKvs sample shows. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Writes one value; shared by PutKv and PutKvWithHighCapacity. */
export function putOne(
  context: ActionContext,
  input: { namespace: string; key: string; value: string | undefined; base64: boolean; expiration: number | undefined; expirationTtl: number | undefined; maxBytes: number },
): ActionResult {
  const bytes = decodeValue(input.value, input.base64);
  // The limit counts the stored bytes, i.e. after Base64 decoding (reference §7 item 3 leaves
  // this open; counting decoded bytes never refuses a value the service would take as text).
  checkValueSize(bytes.byteLength, input.maxBytes);
  const expiresAt = resolveExpiresAt(input.expiration, input.expirationTtl, context.clock.now());
  context.store.put(input.namespace, input.key, bytes, expiresAt);
  return { Length: lengthOf(bytes), Value: echoValue(input.value ?? "") };
}

const putKv: ActionHandler = (context) => {
  const { params, limits } = context;
  const namespace = validateNamespaceName(params.query("Namespace"));
  const key = validateKey(params.query("Key"), limits);
  context.store.namespace(namespace);
  return putOne(context, {
    namespace,
    key,
    value: params.form("Value"),
    base64: params.queryBoolean("Base64"),
    expiration: params.queryInteger("Expiration"),
    expirationTtl: params.queryInteger("ExpirationTtl"),
    maxBytes: limits.valueMaxBytes,
  });
};

/**
 * GetKv. `Base64=true` returns the stored bytes Base64-encoded (JSON cannot carry raw bytes;
 * reference §1.2 calls this the most plausible reading); otherwise the bytes as UTF-8 text.
 * A value written with `Base64=true` therefore round-trips exactly when read with it too.
 */
const getKv: ActionHandler = ({ params, limits, store }) => {
  const namespace = validateNamespaceName(params.query("Namespace"));
  const key = validateKey(params.query("Key"), limits);
  const entry = store.get(namespace, key);
  if (!entry) throw new EsaKvEmulatorError("InvalidKey.NotFound");
  const bytes = Buffer.from(entry.value.buffer, entry.value.byteOffset, entry.value.byteLength);
  return { Value: params.queryBoolean("Base64") ? bytes.toString("base64") : bytes.toString("utf8") };
};

/**
 * GetKvDetail: the value as text and `ExpirationTtl`, the whole seconds left before expiry
 * (rounded up), as a string per the SDK model; absent when the key never expires.
 */
const getKvDetail: ActionHandler = ({ params, limits, store, clock }) => {
  const namespace = validateNamespaceName(params.query("Namespace"));
  const key = validateKey(params.query("Key"), limits);
  const entry = store.get(namespace, key);
  if (!entry) throw new EsaKvEmulatorError("InvalidKey.NotFound");
  const result: ActionResult = { Value: Buffer.from(entry.value).toString("utf8") };
  if (entry.expiresAt !== undefined) result.ExpirationTtl = String(Math.ceil((entry.expiresAt - clock.now()) / 1000));
  return result;
};

/** DeleteKv; a missing key answers `404 InvalidKey.NotFound` (the common table's row). */
const deleteKv: ActionHandler = ({ params, limits, store }) => {
  const namespace = validateNamespaceName(params.query("Namespace"));
  const key = validateKey(params.query("Key"), limits);
  if (!store.delete(namespace, key)) throw new EsaKvEmulatorError("InvalidKey.NotFound");
  return {};
};

/**
 * ListKvs: page-number paging over live keys in code-unit order. `PageSize` "Default value: 50.
 * Maximum value: 100."; "The product of PageNumber and PageSize cannot exceed 50000."
 * `PageNumber` in the response echoes the request (the doc's wording is ambiguous).
 */
const listKvs: ActionHandler = ({ params, limits, store }) => {
  const namespace = validateNamespaceName(params.query("Namespace"));
  const pageSize = params.queryInteger("PageSize") ?? limits.listDefaultPageSize;
  const pageNumber = params.queryInteger("PageNumber") ?? 1;
  if (pageSize < 1 || pageSize > limits.listMaxPageSize) {
    throw new EsaKvEmulatorError("InvalidParameter", `PageSize must be between 1 and ${limits.listMaxPageSize}.`);
  }
  if (pageNumber < 1) throw new EsaKvEmulatorError("InvalidParameter", "PageNumber must be at least 1.");
  if (pageNumber * pageSize > limits.listMaxKeys) {
    throw new EsaKvEmulatorError("InvalidParameter", `The product of PageNumber and PageSize cannot exceed ${limits.listMaxKeys}.`);
  }
  const all = store.list(namespace, params.query("Prefix") ?? "");
  const page = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    PageNumber: pageNumber,
    PageSize: pageSize,
    TotalCount: all.length,
    Keys: page.map(([name, entry]) => ({ Name: name, UpdateTime: isoSeconds(entry.updatedAt) })),
  };
};

/** Parses a form field that the SDK fills with a JSON array ("shrink" step, reference §1.1). */
function jsonArrayField(value: string | undefined, name: string): unknown[] {
  if (value === undefined) throw new EsaKvEmulatorError("InvalidParameter", `${name} is required.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new EsaKvEmulatorError("InvalidParameter", `${name} must be a JSON array.`);
  }
  if (!Array.isArray(parsed)) throw new EsaKvEmulatorError("InvalidParameter", `${name} must be a JSON array.`);
  return parsed;
}

/**
 * Writes a batch; shared by BatchPutKv and BatchPutKvWithHighCapacity. The request fails as a
 * whole only when the namespace is missing; an item with a bad key, TTL or value, or one that
 * does not fit the capacity, lands in `FailKeys` and the rest are written ("partial success").
 */
export function putBatch(context: ActionContext, namespace: string, items: unknown[], itemMaxBytes: number): ActionResult {
  context.store.namespace(namespace);
  const successKeys: string[] = [];
  const failKeys: string[] = [];
  for (const item of items) {
    const record = (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>;
    const key = typeof record.Key === "string" ? record.Key : "";
    try {
      validateKey(key, context.limits);
      if (typeof record.Value !== "string") throw new EsaKvEmulatorError("InvalidParameter", "Value is required.");
      const expiresAt = resolveExpiresAt(
        record.Expiration === undefined ? undefined : parseInteger("Expiration", record.Expiration),
        record.ExpirationTtl === undefined ? undefined : parseInteger("ExpirationTtl", record.ExpirationTtl),
        context.clock.now(),
      );
      const bytes = decodeValue(record.Value, false);
      checkValueSize(bytes.byteLength, itemMaxBytes);
      context.store.put(namespace, key, bytes, expiresAt);
      successKeys.push(key);
    } catch (error) {
      if (!(error instanceof EsaKvEmulatorError)) throw error;
      failKeys.push(key);
    }
  }
  return { SuccessKeys: successKeys, FailKeys: failKeys };
}

/** The total value bytes of a batch: what "The total size cannot exceed 2 MB" counts. */
function batchValueBytes(items: unknown[]): number {
  let total = 0;
  for (const item of items) {
    const value = (item as { Value?: unknown } | null)?.Value;
    if (typeof value === "string") total += Buffer.byteLength(value);
  }
  return total;
}

const batchPutKv: ActionHandler = (context) => {
  const namespace = validateNamespaceName(context.params.query("Namespace"));
  const items = jsonArrayField(context.params.form("KvList"), "KvList");
  checkValueSize(batchValueBytes(items), context.limits.valueMaxBytes);
  return putBatch(context, namespace, items, context.limits.valueMaxBytes);
};

/**
 * Deletes a batch; shared by BatchDeleteKv and BatchDeleteKvWithHighCapacity. An invalid key
 * lands in `FailKeys`; a key that does not exist counts as deleted (`SuccessKeys`): the batch
 * reached its goal for it.
 */
export function deleteBatch(context: ActionContext, namespace: string, keys: unknown[]): ActionResult {
  context.store.namespace(namespace);
  const successKeys: string[] = [];
  const failKeys: string[] = [];
  for (const raw of keys) {
    const key = typeof raw === "string" ? raw : "";
    try {
      validateKey(key, context.limits);
    } catch {
      failKeys.push(key);
      continue;
    }
    context.store.delete(namespace, key);
    successKeys.push(key);
  }
  return { SuccessKeys: successKeys, FailKeys: failKeys };
}

/** BatchDeleteKv: "You can delete up to 10,000 keys." (400 InvalidKey.TooManyKeys beyond). */
const batchDeleteKv: ActionHandler = (context) => {
  const namespace = validateNamespaceName(context.params.query("Namespace"));
  const keys = jsonArrayField(context.params.form("Keys"), "Keys");
  checkKeyCount(keys, context.limits.batchDeleteMaxKeys);
  return deleteBatch(context, namespace, keys);
};

/** Raises `InvalidKey.TooManyKeys` past `max` keys. */
function checkKeyCount(keys: unknown[], max: number): void {
  if (keys.length > max) throw new EsaKvEmulatorError("InvalidKey.TooManyKeys", `The request contains more than ${max} keys.`);
}

/** The key-value handlers by action name. */
export const KV_ACTIONS = {
  PutKv: putKv,
  GetKv: getKv,
  GetKvDetail: getKvDetail,
  DeleteKv: deleteKv,
  ListKvs: listKvs,
  BatchPutKv: batchPutKv,
  BatchDeleteKv: batchDeleteKv,
} satisfies Record<string, ActionHandler>;
