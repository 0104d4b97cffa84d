/**
 * Giving an escaped error the context of the call it escaped from, and the one message format
 * every store's errors follow (decided here, nowhere else).
 */
import { describeKey } from "./key-rules.js";
import { StorageError, isStorageError, type StorageErrorCode } from "./storage-error.js";

/**
 * What a store is bound to, as its error messages name it: the provider id as configuration
 * names it, and the bucket or namespace. A driver declares it as `target`.
 */
export interface StoreTarget {
  /** The provider id, e.g. `ks3`, `esa-kv`, `memory`. */
  readonly provider: string;
  /** The bucket an object store reads and writes. */
  readonly bucket?: string | undefined;
  /** The namespace a key-value store reads and writes. */
  readonly namespace?: string | undefined;
}

/** The fields a store's error message is made of. */
export interface StorageErrorMessageParts {
  /** The provider id, when the store declares one. */
  provider?: string | undefined;
  /** The contract operation. */
  operation?: string | undefined;
  /** The key the call was about. */
  key?: string | undefined;
  /** The store's bucket: named when the call has no key or the bucket is what is missing. */
  bucket?: string | undefined;
  /** The store's namespace: as `bucket`. */
  namespace?: string | undefined;
  /** The normalized code. */
  code: StorageErrorCode;
  /** The provider's (or emulated) HTTP status. */
  httpStatus?: number | undefined;
  /** For `InvalidRange`: the object's size. */
  objectSize?: number | undefined;
  /** A reason to append, e.g. a validation's. */
  detail?: string | undefined;
}

/** A key shown bare when it is short printable ASCII without spaces, else quoted and truncated. */
function showKey(key: string): string {
  return /^[\x21-\x7e]{1,200}$/.test(key) ? key : describeKey(key);
}

/**
 * The one format of a store's error messages:
 * `<provider> <operation> <key>: <code> (HTTP <status>)[: <detail>]`, e.g.
 * `ks3 headObject reports/q3.csv: NotFound (HTTP 404)` or
 * `memory getObject a.csv: InvalidRange (HTTP 416), object size 8`. The bucket or namespace
 * stands in for a missing key and is named when it is what is missing. Parts that are unknown
 * are left out. The provider's own code stays out (it is in `providerCode`): whether a
 * provider sends one differs (a HEAD answer has no body), and the message must not.
 */
export function formatStorageErrorMessage(parts: StorageErrorMessageParts): string {
  const container = parts.bucket !== undefined ? `bucket ${JSON.stringify(parts.bucket)}` : parts.namespace !== undefined ? `namespace ${JSON.stringify(parts.namespace)}` : undefined;
  const subject = parts.key !== undefined ? showKey(parts.key) : container;
  const where = [parts.provider, parts.operation, subject].filter((p) => p !== undefined && p !== "").join(" ");
  let text = `${where === "" ? "" : `${where}: `}${parts.code}${parts.httpStatus === undefined ? "" : ` (HTTP ${parts.httpStatus})`}`;
  if (parts.code === "InvalidRange" && parts.objectSize !== undefined) text += `, object size ${parts.objectSize}`;
  if ((parts.code === "BucketNotFound" || parts.code === "NamespaceNotFound") && parts.key !== undefined && container !== undefined) text += `, ${container}`;
  if (parts.detail !== undefined && parts.detail !== "") text += `: ${parts.detail}`;
  return text;
}

/** The call an error came from. */
export interface ErrorContext {
  /** The contract operation, e.g. `getObject`. */
  operation: string;
  /** The key the call was about, if any. */
  key?: string | undefined;
}

/**
 * Returns `err` as a {@link StorageError} that names its operation and key: a StorageError
 * lacking them is copied with them added (the original stays untouched, a driver may share
 * it); anything else is a bug below us and becomes `Internal`, the original kept as `cause`.
 */
export function withErrorContext(err: unknown, context: ErrorContext): StorageError {
  // By shape, not only instanceof: a StorageError from a duplicated copy of core is still one.
  if (!isStorageError(err)) {
    // Only the error's class goes in the message: a foreign message may quote anything,
    // including request details, and messages end up in logs.
    const kind = err instanceof Error ? err.name : typeof err;
    return new StorageError({ code: "Internal", message: `${context.operation} failed with an unexpected ${kind}`, cause: err, ...context });
  }
  const missingOperation = err.operation === undefined;
  const missingKey = err.key === undefined && context.key !== undefined;
  if (!missingOperation && !missingKey) return err;
  const copy = new StorageError({
    code: err.code,
    message: err.message,
    providerCode: err.providerCode,
    httpStatus: err.httpStatus,
    requestId: err.requestId,
    retryable: err.retryable,
    retryAfterSeconds: err.retryAfterSeconds,
    operation: err.operation ?? context.operation,
    key: err.key ?? context.key,
    objectSize: err.objectSize,
    detail: err.detail,
    cause: err.cause,
  });
  if (err.stack !== undefined) copy.stack = err.stack;
  return copy;
}

/** Errors whose message already follows the format, so a store built over another store keeps the inner one's. */
const formatted = new WeakSet<StorageError>();

/**
 * {@link withErrorContext}, then the message in the one format
 * ({@link formatStorageErrorMessage}) naming the store's provider and bucket or namespace. The
 * error's own words stay in `detail`; the message quotes them only when no provider answered
 * (no `httpStatus`): a provider's wording differs from an emulation's, the fields do not.
 * Facades call it on every error they raise; an error already formatted is returned as it is.
 */
export function withStoreContext(err: unknown, context: ErrorContext, target: StoreTarget | undefined): StorageError {
  const e = withErrorContext(err, context);
  if (formatted.has(e)) return e;
  const message = formatStorageErrorMessage({
    provider: target?.provider,
    operation: e.operation,
    key: e.key,
    bucket: target?.bucket,
    namespace: target?.namespace,
    code: e.code,
    httpStatus: e.httpStatus,
    objectSize: e.objectSize,
    detail: e.httpStatus === undefined ? e.detail : undefined,
  });
  const copy = new StorageError({
    code: e.code,
    message,
    providerCode: e.providerCode,
    httpStatus: e.httpStatus,
    requestId: e.requestId,
    retryable: e.retryable,
    retryAfterSeconds: e.retryAfterSeconds,
    operation: e.operation,
    key: e.key,
    objectSize: e.objectSize,
    detail: e.detail,
    cause: e.cause,
  });
  if (e.stack !== undefined) copy.stack = e.stack.replace(e.message, message);
  formatted.add(copy);
  return copy;
}

/**
 * Runs `fn`, giving an error it raises the call's operation and key ({@link withErrorContext}):
 * for a core helper (e.g. `resolveRange`) that knows neither, called inside a driver.
 */
export function callWithErrorContext<T>(fn: () => T, context: ErrorContext): T {
  try {
    return fn();
  } catch (err) {
    throw withErrorContext(err, context);
  }
}
