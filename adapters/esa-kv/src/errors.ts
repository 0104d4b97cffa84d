/**
 * The one place where ESA Edge KV (and its OpenPlatform / OSS helpers) errors become
 * {@link StorageError}s: HTTP status → `{ code, retryable }`, then the provider's `Code`
 * overrides it. Sources: reference/esa-kv-api.md §1.4 (the common KV error table, as printed on
 * every KV API page) and the gateway-level common errors.
 */
import { StorageError, formatStorageErrorMessage, type ErrorContext, type StorageErrorCode } from "@stowage/core";

/** How one row of the table classifies an error. */
export interface ErrorClass {
  /** The normalized {@link StorageError} code. */
  readonly code: StorageErrorCode;
  /** Whether repeating the same call may succeed. */
  readonly retryable: boolean;
}

const row = (code: StorageErrorCode, retryable = false): ErrorClass => ({ code, retryable });

/** First pass: the HTTP status alone. */
export const ESA_STATUS_TABLE: Readonly<Record<number, ErrorClass>> = {
  400: row("InvalidArgument"),
  401: row("Unauthorized"),
  403: row("Forbidden"),
  404: row("NotFound"),
  // 406 carries InvalidNameSpace.Duplicate / QuotaFull, both overridden below; alone it is a bad request.
  406: row("InvalidArgument"),
  408: row("Timeout", true),
  409: row("AlreadyExists"),
  413: row("ValueTooLarge"),
  429: row("RateLimited", true),
  500: row("Internal", true),
  502: row("ServiceUnavailable", true),
  503: row("ServiceUnavailable", true),
  504: row("Timeout", true),
};

/** Second pass: the provider's `Code` (ESA JSON `Code`, OSS XML `<Code>`) wins over the status. */
export const ESA_CODE_TABLE: Readonly<Record<string, ErrorClass>> = {
  // --- the common KV table (400 / 403 / 404 / 406 / 429 rows) ---
  "InvalidAccount.Malformed": row("Unauthorized"),
  "InvalidAccount.NotFound": row("Unauthorized"),
  "InvalidNameSpace.Malformed": row("InvalidArgument"),
  "InvalidNameSpace.NotFound": row("NamespaceNotFound"),
  // "406 InvalidNameSpace.Duplicate — The specified namespace already exists."
  "InvalidNameSpace.Duplicate": row("AlreadyExists"),
  // "406 InvalidNameSpace.QuotaFull — The maximum number of namespaces is exceeded."
  "InvalidNameSpace.QuotaFull": row("QuotaExceeded"),
  "InvalidKey.Malformed": row("InvalidKey"),
  "InvalidKey.ExceedsMaximum": row("KeyTooLong"),
  // "403 InvalidKey.ExceedsCapacity — The maximum capacity of a single namespace cannot exceed
  // 1 GB." A 403 that is a full namespace, not a permission problem.
  "InvalidKey.ExceedsCapacity": row("QuotaExceeded"),
  "InvalidKey.NotFound": row("NotFound"),
  "InvalidValue.ExceedsMaximum": row("ValueTooLarge"),
  // DCDN BatchDeleteDcdnKv: "400 InvalidKey.TooManyKeys — request contains too many keys."
  "InvalidKey.TooManyKeys": row("InvalidArgument"),
  "InvalidParameter": row("InvalidArgument"),
  "InvalidParameters": row("InvalidArgument"),
  "Unauthorized.InvalidParameters": row("Unauthorized"),
  "Unauthorized.InvalidTime": row("Unauthorized"),
  "Unauthorized.InvalidToken": row("Unauthorized"),
  // ESA lists "400 TooManyRequests — Too many requests.Please try again later."; DCDN lists it
  // under 429. Either way it is throttling, so retryable whatever the status.
  "TooManyRequests": row("RateLimited", true),
  // "429 TooQuickRequests — Request for putting or deleting keys are frequently submitted."
  "TooQuickRequests": row("RateLimited", true),
  // --- gateway-level common errors (any Alibaba Cloud product) ---
  "Throttling": row("RateLimited", true),
  "Throttling.User": row("RateLimited", true),
  "Throttling.Api": row("RateLimited", true),
  "SignatureDoesNotMatch": row("Unauthorized"),
  "IncompleteSignature": row("Unauthorized"),
  "InvalidAccessKeyId.NotFound": row("Unauthorized"),
  "InvalidAccessKeyId.Inactive": row("Unauthorized"),
  "InvalidAccessKeyId": row("Unauthorized"),
  // "用户时间和服务器时间超过15分钟": clock skew; a retry with the same clock fails the same way.
  "InvalidTimeStamp.Expired": row("Unauthorized"),
  "InvalidTimeStamp.Format": row("InvalidArgument"),
  // The nonce is random per request, so repeating the call (with a fresh nonce) can succeed.
  "SignatureNonceUsed": row("Unauthorized", true),
  "InvalidSignatureMethod": row("Unauthorized"),
  "Forbidden.RAM": row("Forbidden"),
  "InvalidApi.NotFound": row("Unsupported"),
  "ServiceUnavailable": row("ServiceUnavailable", true),
  "InternalError": row("Internal", true),
  // --- client side: no AccessKey configured (the SDK's own `InvalidCredentials`) ---
  "InvalidCredentials": row("Unauthorized"),
  // --- OSS PostObject (the high-capacity upload), XML <Error><Code> ---
  "AccessDenied": row("Forbidden"),
  "EntityTooLarge": row("ValueTooLarge"),
  "InvalidPolicyDocument": row("Forbidden"),
  "RequestTimeout": row("Timeout", true),
  "SlowDown": row("RateLimited", true),
};

/** What a failed response carried, however it was encoded. */
export interface ProviderErrorResponse {
  /** HTTP status of the answer; 502 for a 2xx whose body was not JSON. */
  status: number;
  /** `Code` (JSON) or `<Code>` (XML). */
  providerCode?: string;
  /** `Message` (JSON) or `<Message>` (XML), appended to the error message. */
  message?: string;
  /** `RequestId` from the body, else the `x-acs-request-id` / `x-oss-request-id` header. */
  requestId?: string;
  /** The `x-acs-retry-after` header, raw: milliseconds. */
  retryAfterMs?: string | undefined;
  /** The standard `Retry-After` header, raw: seconds (RFC 9110 §10.2.3; only the delay-seconds form). */
  retryAfter?: string | undefined;
}

/** The row for a status and provider code: the code wins, then the status, then its class. */
export function classifyEsaError(status: number, providerCode: string | undefined): ErrorClass {
  const byCode = providerCode === undefined ? undefined : ESA_CODE_TABLE[providerCode];
  if (byCode) return byCode;
  const byStatus = ESA_STATUS_TABLE[status];
  if (byStatus) return byStatus;
  if (status >= 500) return row("ServiceUnavailable", true);
  return row("InvalidArgument");
}

function positiveInteger(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return n > 0 ? n : undefined;
}

/**
 * Seconds to wait before a retry. `x-acs-retry-after` is in MILLISECONDS: the official SDK
 * reads it as a positive integer (`getThrottlingTimeLeft`) and its retry policy sleeps that
 * many ms, capped at its 120,000 ms maximum delay. A standard `Retry-After` is in seconds.
 */
export function parseRetryAfter(response: { retryAfterMs?: string | undefined; retryAfter?: string | undefined }): number | undefined {
  const ms = positiveInteger(response.retryAfterMs);
  if (ms !== undefined) return ms / 1000;
  return positiveInteger(response.retryAfter);
}

/** A {@link StorageError} for a failed ESA / OpenPlatform / OSS response. */
export function esaResponseError(response: ProviderErrorResponse, context: ErrorContext): StorageError {
  const klass = classifyEsaError(response.status, response.providerCode);
  const retryAfterSeconds = parseRetryAfter(response);
  return new StorageError({
    code: klass.code,
    // A server-requested wait means the server expects the call to succeed later.
    retryable: klass.retryable || retryAfterSeconds !== undefined,
    // Core's one format; the store's facade adds the provider and namespace to it.
    message: formatStorageErrorMessage({ provider: "esa-kv", ...context, code: klass.code, httpStatus: response.status }),
    detail: response.message ?? response.providerCode ?? `HTTP ${response.status}`,
    httpStatus: response.status,
    ...(response.providerCode === undefined ? {} : { providerCode: response.providerCode }),
    ...(response.requestId === undefined ? {} : { requestId: response.requestId }),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    operation: context.operation,
    ...(context.key === undefined ? {} : { key: context.key }),
  });
}

/**
 * A key the provider listed in `FailKeys`. The batch APIs give no reason per key, so the
 * normalized code is `Internal` with `providerCode: "FailKeys"`; repeating the write may succeed.
 */
export function esaBatchKeyError(key: string, operation: string): StorageError {
  return new StorageError({
    code: "Internal",
    retryable: true,
    providerCode: "FailKeys",
    message: "the provider reported the key in FailKeys",
    operation,
    key,
  });
}

// undici error codes (lib/core/errors.js) and socket errno values, by normalized code.
const TIMEOUT_CAUSES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

/**
 * A {@link StorageError} for a call that got no HTTP answer: `Aborted` when the caller's signal
 * fired, `Timeout` for undici's timeouts, `Network` for everything else (refused, reset,
 * closed socket, DNS). The cause is kept; undici errors carry no request headers, so no signature.
 */
export function esaTransportError(err: unknown, context: ErrorContext, signal: AbortSignal | undefined): StorageError {
  if (err instanceof StorageError) return err;
  const base = { operation: context.operation, ...(context.key === undefined ? {} : { key: context.key }), cause: err };
  if (signal?.aborted) return new StorageError({ ...base, code: "Aborted", message: "aborted" });
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && TIMEOUT_CAUSES.has(code)) {
    return new StorageError({ ...base, code: "Timeout", message: `timed out (${code})` });
  }
  const detail = typeof code === "string" ? code : err instanceof Error ? err.name : "unknown error";
  return new StorageError({ ...base, code: "Network", message: `network error (${detail})` });
}
