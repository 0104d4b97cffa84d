/**
 * The emulator's one error table: every code it can answer with, its HTTP status and its
 * message. Sources: `reference/esa-kv-api.md` §1.4 (the common ESA KV table) and the seed
 * document PutKvWithHighCapacity (authoritative where it speaks); gateway rows from the common
 * OpenAPI error list quoted in §1.4. A row whose status or code is a decision, not a quote,
 * says so. Documented rows the emulator never has cause to send are left out:
 * `InvalidAccount.Malformed` / `InvalidAccount.NotFound` (there is one account) and the
 * `Unauthorized.*` rows (token authentication, which the OpenAPI gateway does not use).
 */

/** One row of {@link ESA_KV_ERRORS}. */
export interface EsaKvErrorRow {
  /** The HTTP status the emulator answers with. */
  readonly status: number;
  /** The default `Message` (verbatim from the docs where one was seen). */
  readonly message: string;
}

/**
 * Every code the emulator can answer with. Spelled out (rather than derived from the table) so
 * the API docs list the codes; {@link ESA_KV_ERRORS} must have exactly these keys, which the
 * compiler checks both ways.
 */
export type EsaKvErrorCode =
  | "InvalidNameSpace.Malformed"
  | "InvalidKey.Malformed"
  | "InvalidKey.ExceedsMaximum"
  | "InvalidValue.ExceedsMaximum"
  | "InvalidKey.ExceedsCapacity"
  | "InvalidNameSpace.NotFound"
  | "InvalidKey.NotFound"
  | "InvalidNameSpace.Duplicate"
  | "InvalidNameSpace.QuotaFull"
  | "TooManyRequests"
  | "TooQuickRequests"
  | "InvalidParameter"
  | "InvalidKey.TooManyKeys"
  | "InvalidApi.NotFound"
  | "InvalidAccessKeyId.NotFound"
  | "InvalidTimeStamp.Format"
  | "InvalidTimeStamp.Expired"
  | "SignatureNonceUsed"
  | "InvalidSignatureMethod"
  | "SignatureDoesNotMatch"
  | "IncompleteSignature"
  | "ServiceUnavailable"
  | "InternalError";

/** Every code the emulator can answer with, its HTTP status and default message. */
export const ESA_KV_ERRORS: Readonly<Record<EsaKvErrorCode, EsaKvErrorRow>> = {
  // --- KV rows: the seed document's table (authoritative) ---
  "InvalidNameSpace.Malformed": { status: 400, message: "The specified namespace is invalid." },
  "InvalidKey.Malformed": { status: 400, message: "The specified key is invalid." },
  "InvalidKey.ExceedsMaximum": { status: 400, message: "The size of the key cannot exceed 512 bytes." },
  "InvalidValue.ExceedsMaximum": { status: 400, message: "The size of the value cannot exceed 2,000,000 bytes." },
  "InvalidKey.ExceedsCapacity": { status: 403, message: "The maximum capacity of a single namespace cannot exceed 1 GB." },
  "InvalidNameSpace.NotFound": { status: 404, message: "The specified namespace does not exist." },
  "InvalidKey.NotFound": { status: 404, message: "The specified key does not exist." },
  "InvalidNameSpace.Duplicate": { status: 406, message: "The specified namespace already exists." },
  "InvalidNameSpace.QuotaFull": { status: 406, message: "The maximum number of namespaces is exceeded." },
  // The seed lists TooManyRequests under 429 (one ESA page lists it under 400; the seed wins).
  TooManyRequests: { status: 429, message: "Too many requests are submitted." },
  TooQuickRequests: { status: 429, message: "Request for putting or deleting keys are frequently submitted." },
  // --- KV rows from §1.4 outside the seed ---
  InvalidParameter: { status: 400, message: "The specified parameter is invalid." },
  // DCDN BatchDeleteDcdnKv documents "400 InvalidKey.TooManyKeys"; ESA's table tail was not
  // seen, so the emulator uses the predecessor's row (reference §1.2 BatchDeleteKv).
  "InvalidKey.TooManyKeys": { status: 400, message: "request contains too many keys." },
  // --- Gateway rows (any product), reference §1.4 "Gateway-level common errors" ---
  "InvalidApi.NotFound": { status: 404, message: "Specified api is not found, please check your url and method." },
  "InvalidAccessKeyId.NotFound": { status: 404, message: "Specified access key is not found." },
  "InvalidTimeStamp.Format": { status: 400, message: "Specified time stamp or date value is not well formatted." },
  // "用户时间和服务器时间超过15分钟": more than 15 minutes of clock skew.
  "InvalidTimeStamp.Expired": { status: 400, message: "Specified time stamp or date value is expired." },
  SignatureNonceUsed: { status: 400, message: "Specified signature nonce was used already." },
  InvalidSignatureMethod: { status: 400, message: "Specified signature method is not supported." },
  SignatureDoesNotMatch: { status: 400, message: "Specified signature is not matched with our calculation." },
  IncompleteSignature: { status: 400, message: "The request signature does not conform to Aliyun standards." },
  // Emulator-only: the fault injector's synthetic failure. A 5xx so clients treat it as retryable.
  ServiceUnavailable: { status: 503, message: "The request has failed due to a temporary failure of the server." },
  InternalError: { status: 500, message: "The request processing has failed due to some unknown error." },
};

/** Thrown by handlers; the server turns it into the documented JSON error body. */
export class EsaKvEmulatorError extends Error {
  /** The HTTP status from the table. */
  readonly status: number;
  /** Extra response headers, e.g. `x-acs-retry-after` on throttling. */
  readonly headers: Readonly<Record<string, string>>;

  /** The documented error code, sent as `Code`. */
  readonly code: EsaKvErrorCode;

  constructor(
    code: EsaKvErrorCode,
    message?: string,
    headers: Record<string, string> = {},
  ) {
    super(message ?? ESA_KV_ERRORS[code].message);
    this.name = "EsaKvEmulatorError";
    this.code = code;
    this.status = ESA_KV_ERRORS[code].status;
    this.headers = headers;
  }
}

/** The documented error body (reference §1.5). */
export interface EsaKvErrorBody {
  /** Uppercase UUID of the request. */
  RequestId: string;
  /** The host the request was addressed to. */
  HostId: string;
  /** The error code, e.g. `InvalidKey.NotFound`. */
  Code: string;
  /** Human-readable; never holds secrets or value bytes. */
  Message: string;
  /** A troubleshooting link, shaped like the real gateway's. */
  Recommend: string;
}

/** Builds the error body for `error`, as the real gateway shapes it. */
export function errorBody(error: EsaKvEmulatorError, requestId: string, hostId: string): EsaKvErrorBody {
  return {
    RequestId: requestId,
    HostId: hostId,
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.alibabacloud.com/troubleshoot?intl_lang=EN_US&q=${encodeURIComponent(error.code)}&product=ESA&requestId=${requestId}`,
  };
}
