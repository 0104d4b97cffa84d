import { StorageError, formatStorageErrorMessage, type ErrorContext, type StorageErrorCode } from "@stowage/core";

/** What one row of an error table decides. */
export interface ErrorMapping {
  /** The normalized code. */
  code: StorageErrorCode;
  /** Whether repeating the same call may succeed. */
  retryable: boolean;
}

/**
 * A dialect's one error table (style.md item 3): HTTP status → mapping, then the provider's
 * error code (the `<Code>` of the error document) overrides it. A status missing from
 * `byStatus` falls back to `fallback5xx` or `fallback4xx`.
 */
export interface ErrorTable {
  /** Mapping by HTTP status, used when the answer has no recognized provider code (e.g. HEAD). */
  readonly byStatus: Readonly<Record<number, ErrorMapping>>;
  /** Mapping by provider code; wins over the status. */
  readonly byProviderCode: Readonly<Record<string, ErrorMapping>>;
  /** For an unlisted 5xx status. */
  readonly fallback5xx: ErrorMapping;
  /** For any other unlisted status. */
  readonly fallback4xx: ErrorMapping;
}

/** An error answer as read off the wire; fields of the error document when there was one. */
export interface ErrorResponse {
  /** HTTP status; 500 for an `<Error>` document inside a 2xx answer. */
  status: number;
  /** `<Code>`; absent for a HEAD answer or a non-XML body. */
  providerCode?: string;
  /** `<Message>`. */
  message?: string;
  /** `<RequestId>` or the request-id header. */
  requestId?: string;
  /** `Retry-After`, when the server sent one. */
  retryAfterSeconds?: number;
  /** The object's size from a 416 answer's `Content-Range: bytes *\/size`. */
  objectSize?: number;
}

/** Looks the answer up in the table: provider code first, then status, then the fallbacks. */
export function lookupError(table: ErrorTable, status: number, providerCode: string | undefined): ErrorMapping {
  if (providerCode !== undefined && Object.hasOwn(table.byProviderCode, providerCode)) {
    return table.byProviderCode[providerCode]!;
  }
  if (Object.hasOwn(table.byStatus, status)) return table.byStatus[status]!;
  return status >= 500 ? table.fallback5xx : table.fallback4xx;
}

/**
 * Turns an error answer into the one {@link StorageError}. The message carries the provider's
 * code and message (which never hold our credentials: servers do not echo secrets or
 * signatures in `<Message>`, and the string-to-sign some servers echo is not sent through here).
 */
export function toStorageError(table: ErrorTable, res: ErrorResponse, ctx: ErrorContext): StorageError {
  const mapping = lookupError(table, res.status, res.providerCode);
  return new StorageError({
    code: mapping.code,
    retryable: mapping.retryable,
    // Core's one format; the store's facade adds the provider and bucket to it.
    message: formatStorageErrorMessage({ ...ctx, code: mapping.code, httpStatus: res.status, objectSize: res.objectSize }),
    detail: res.message ?? res.providerCode ?? `HTTP ${res.status}`,
    httpStatus: res.status,
    operation: ctx.operation,
    ...(ctx.key !== undefined ? { key: ctx.key } : {}),
    ...(res.providerCode !== undefined ? { providerCode: res.providerCode } : {}),
    ...(res.requestId !== undefined ? { requestId: res.requestId } : {}),
    ...(res.retryAfterSeconds !== undefined ? { retryAfterSeconds: res.retryAfterSeconds } : {}),
    ...(res.objectSize !== undefined ? { objectSize: res.objectSize } : {}),
  });
}

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): delay seconds or an HTTP-date, relative to `nowMs`.
 * Returns `undefined` for anything else.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** One row of an error table: the normalized code, not retryable unless said. */
export function errorRow(code: StorageErrorCode, retryable = false): ErrorMapping {
  return { code, retryable };
}

/**
 * The status rows every S3-family server shares: HTTP semantics (RFC 9110) that no provider
 * redefines. A 404 maps to the object, because a HEAD answer has no body to say which thing
 * is missing.
 */
const S3_FAMILY_STATUS_ROWS: Readonly<Record<number, ErrorMapping>> = {
  // 304 answers a conditional GET/HEAD.
  304: errorRow("NotModified"),
  400: errorRow("InvalidArgument"),
  401: errorRow("Unauthorized"),
  403: errorRow("Forbidden"),
  404: errorRow("NotFound"),
  405: errorRow("Unsupported"),
  408: errorRow("Timeout", true),
  409: errorRow("AlreadyExists"),
  411: errorRow("InvalidArgument"),
  412: errorRow("PreconditionFailed"),
  413: errorRow("EntityTooLarge"),
  416: errorRow("InvalidRange"),
  429: errorRow("RateLimited", true),
  500: errorRow("Internal", true),
  502: errorRow("ServiceUnavailable", true),
  503: errorRow("ServiceUnavailable", true),
  504: errorRow("Timeout", true),
};

/**
 * A provider's error table: the S3-family status rows plus the provider's own (`byStatus`
 * extends or overrides them), its provider-code rows, and the shared fallbacks (an unlisted
 * 5xx is a retryable `ServiceUnavailable`, any other status `InvalidArgument`).
 */
export function s3FamilyErrorTable(provider: {
  byStatus?: Readonly<Record<number, ErrorMapping>>;
  byProviderCode: Readonly<Record<string, ErrorMapping>>;
}): ErrorTable {
  return {
    byStatus: { ...S3_FAMILY_STATUS_ROWS, ...provider.byStatus },
    byProviderCode: provider.byProviderCode,
    fallback5xx: errorRow("ServiceUnavailable", true),
    fallback4xx: errorRow("InvalidArgument"),
  };
}
