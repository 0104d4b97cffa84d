/**
 * The normalized error codes. Callers branch on these; they are stable API. Messages are not.
 *
 * Adding a code is a minor release; renaming or removing one is a major release.
 */
export const STORAGE_ERROR_CODES = [
  "NotFound",
  "NamespaceNotFound",
  "BucketNotFound",
  "UploadNotFound",
  "InvalidKey",
  "KeyTooLong",
  "ValueTooLarge",
  "EntityTooSmall",
  "EntityTooLarge",
  "InvalidPart",
  "InvalidPartOrder",
  "InvalidPartNumber",
  "InvalidRange",
  "PreconditionFailed",
  "NotModified",
  "AlreadyExists",
  "QuotaExceeded",
  "RateLimited",
  "Unauthorized",
  "Forbidden",
  "InvalidArgument",
  "Unsupported",
  "Timeout",
  "Network",
  "ServiceUnavailable",
  "Aborted",
  "Internal",
] as const;

/** One of {@link STORAGE_ERROR_CODES}. */
export type StorageErrorCode = (typeof STORAGE_ERROR_CODES)[number];

/** What a {@link StorageError} is constructed from. Only `code` and `message` are required. */
export interface StorageErrorInit {
  /** The normalized code callers branch on. */
  code: StorageErrorCode;
  /** Human-readable; never contains credentials, signatures or value bytes. */
  message: string;
  /** The provider's own error code, e.g. `InvalidKey.ExceedsMaximum` or `NoSuchUpload`. */
  providerCode?: string;
  /** The HTTP status the provider (or emulator) answered with, when there was one. */
  httpStatus?: number;
  /** The provider's request id, for support tickets. */
  requestId?: string;
  /**
   * Whether repeating the same call may succeed. Defaults from the code: `RateLimited`,
   * `ServiceUnavailable`, `Timeout` and `Network` are retryable, everything else is not.
   */
  retryable?: boolean;
  /** Seconds the provider asked us to wait before retrying (`Retry-After`, `x-acs-retry-after`). */
  retryAfterSeconds?: number;
  /** The contract operation that failed, e.g. `put`, `getObject`, `uploadPartCopy`. */
  operation?: string;
  /** The key (or object key) the operation was about. */
  key?: string;
  /** For `InvalidRange`: the whole object's size, as a 416 answer's `Content-Range: bytes *\/size` gives it. */
  objectSize?: number;
  /** What the provider or the failed check said, in its own words; see {@link StorageError.detail}. Default: `message`. */
  detail?: string;
  /** The underlying error. Never a value that carries a secret. */
  cause?: unknown;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<StorageErrorCode> = new Set([
  "RateLimited",
  "ServiceUnavailable",
  "Timeout",
  "Network",
]);

/**
 * The one error type every Stowage store throws. Anything else escaping a store is a bug.
 *
 * @example
 * ```ts
 * try { await store.getObject("k", { range: { first: 10, last: 20 } }); }
 * catch (err) { if (isStorageError(err, "InvalidRange")) … }
 * ```
 */
export class StorageError extends Error {
  /** Always `"StorageError"`, also across duplicated package copies (see {@link isStorageError}). */
  override readonly name = "StorageError";
  /** The normalized code callers branch on. */
  readonly code: StorageErrorCode;
  /** The provider's own error code, e.g. `InvalidKey.ExceedsMaximum`, `NoSuchUpload`. */
  readonly providerCode: string | undefined;
  /** The HTTP status of the provider's answer, when there was one. */
  readonly httpStatus: number | undefined;
  /** The provider's request id, for support tickets. */
  readonly requestId: string | undefined;
  /** Whether repeating the same call may succeed. */
  readonly retryable: boolean;
  /** Seconds the provider asked us to wait before retrying. */
  readonly retryAfterSeconds: number | undefined;
  /** The contract operation that failed, e.g. `put`, `uploadPartCopy`. */
  readonly operation: string | undefined;
  /** The key the operation was about. */
  readonly key: string | undefined;
  /**
   * For `InvalidRange`: the whole object's size (a 416 answer's `Content-Range: bytes *\/size`),
   * so a caller can ask again for a range that fits. Absent when the provider did not say.
   */
  readonly objectSize: number | undefined;
  /**
   * What the provider or the failed check said, in its own words (KS3's `<Message>`, a
   * validation's reason). A store's `message` follows one format for every adapter (see
   * `formatStorageErrorMessage`) and quotes this only for failures no provider answered, so
   * the same failure reads the same on memory and on KS3; the provider's words stay here.
   */
  readonly detail: string;

  /** Builds an error from its fields; `retryable` defaults from the code. */
  constructor(init: StorageErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.providerCode = init.providerCode;
    this.httpStatus = init.httpStatus;
    this.requestId = init.requestId;
    this.retryable = init.retryable ?? RETRYABLE_BY_DEFAULT.has(init.code);
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.operation = init.operation;
    this.key = init.key;
    this.objectSize = init.objectSize;
    this.detail = init.detail ?? init.message;
  }

  /** A plain object for logs and reports: every field but `cause` and the stack. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      providerCode: this.providerCode,
      httpStatus: this.httpStatus,
      requestId: this.requestId,
      retryable: this.retryable,
      operation: this.operation,
      key: this.key,
      objectSize: this.objectSize,
      detail: this.detail,
    };
  }
}

/**
 * Whether `err` is a {@link StorageError}, optionally with the given code.
 * Works across duplicated package copies (checks the shape, not only `instanceof`).
 */
export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  if (!(err instanceof Error) || err.name !== "StorageError") return false;
  const c = (err as { code?: unknown }).code;
  if (typeof c !== "string") return false;
  return code === undefined || c === code;
}
