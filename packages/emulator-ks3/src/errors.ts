/**
 * The emulator's one error table: provider code → HTTP status and default message
 * (`ks3-api.md` §3.2; statuses marked [INFERRED] there follow AWS S3), and the one error type
 * the request handlers throw.
 */
import { isStorageError } from "@stowage/core";

interface ErrorRow {
  readonly status: number;
  readonly message: string;
}

const ERROR_TABLE = {
  AccessDenied: { status: 403, message: "Access Denied." },
  InvalidAccessKeyId: { status: 403, message: "The access key Id you provided does not exist in our records." },
  SignatureDoesNotMatch: { status: 403, message: "The request signature we calculated does not match the signature you provided." },
  // Doc 5431: "the request time is more than 15 minutes from server time".
  RequestTimeTooSkewed: { status: 403, message: "The difference between the request time and the current time is too large." },
  // Issue #9 §3: S3 refuses a SigV4 presigned URL whose X-Amz-Expires passes seven days with 403.
  AuthorizationQueryParametersError: { status: 403, message: "Error parsing the X-Amz-Credential parameter." },
  AuthorizationHeaderMalformed: { status: 400, message: "The authorization header is malformed." },
  MissingSecurityHeader: { status: 400, message: "Your request is missing a required header." },
  XAmzContentSHA256Mismatch: { status: 400, message: "The provided 'x-amz-content-sha256' header does not match what was computed." },
  IncompleteBody: { status: 400, message: "You did not provide the number of bytes specified by the Content-Length HTTP header." },
  NoSuchBucket: { status: 404, message: "The specified bucket does not exist." },
  NoSuchKey: { status: 404, message: "The specified key does not exist." },
  NoSuchUpload: {
    status: 404,
    // Seed UploadPartCopy error table.
    message: "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
  },
  BucketAlreadyExists: { status: 409, message: "The requested bucket name is not available." },
  BucketAlreadyOwnedByYou: { status: 409, message: "Your previous request to create the named bucket succeeded and you already own it." },
  BucketNotEmpty: { status: 409, message: "The bucket you tried to delete is not empty." },
  InvalidBucketName: { status: 400, message: "The specified bucket is not valid." },
  InvalidKey: { status: 400, message: "The specified key is not valid." },
  KeyTooLong: { status: 400, message: "Your key is too long." },
  InvalidDigest: { status: 400, message: "The Content-MD5 you specified is not valid." },
  BadDigest: { status: 400, message: "The Content-MD5 you specified did not match what we received." },
  // Doc 5431: "块号范围[1,10000]" (part number range [1,10000]).
  InvalidPartNum: { status: 400, message: "Part number must be an integer between 1 and 10000, inclusive." },
  InvalidPartOrder: { status: 400, message: "The list of parts was not in ascending order, or part numbers are not contiguous." },
  InvalidPart: { status: 400, message: "One or more of the specified parts could not be found or its entity tag did not match." },
  // Doc 5431: "单次上传太大" (a single upload is too large).
  EntityTooLarge: { status: 400, message: "Your proposed upload exceeds the maximum allowed size." },
  // §3.2: 400 or 413 is unresolved for KS3; 400 is what S3 and s3-tests use.
  EntityTooSmall: { status: 400, message: "Your proposed upload is smaller than the minimum allowed size." },
  MetadataTooLarge: { status: 400, message: "Your metadata headers exceed the maximum allowed metadata size." },
  MissingContentLength: { status: 411, message: "You must provide the Content-Length HTTP header." },
  InvalidArgument: { status: 400, message: "Invalid Argument." },
  InvalidRequest: { status: 400, message: "Invalid Request." },
  MalformedXML: { status: 400, message: "The XML you provided was not well-formed or did not validate against our published schema." },
  // Doc 42821.
  InvalidRange: { status: 416, message: "The requested range is not satisfiable." },
  PreconditionFailed: { status: 412, message: "At least one of the pre-conditions you specified did not hold." },
  NotModified: { status: 304, message: "Not Modified" },
  MethodNotAllowed: { status: 405, message: "The specified method is not allowed against this resource." },
  NotImplemented: { status: 501, message: "A header or query you provided implies functionality that is not implemented." },
  InternalError: { status: 500, message: "We encountered an internal error. Please try again." },
  ServiceUnavailable: { status: 503, message: "Please reduce your request rate." },
  SlowDown: { status: 503, message: "Please reduce your request rate." },
} as const satisfies Record<string, ErrorRow>;

/** A provider error code the emulator can answer with. */
export type Ks3ErrorCode = keyof typeof ERROR_TABLE;

/** What a handler throws to answer with an error document. */
export class Ks3Error extends Error {
  override readonly name = "Ks3Error";
  readonly code: Ks3ErrorCode;
  readonly status: number;
  /** Extra response headers, e.g. `Content-Range: bytes *\/size` on a 416 or `ETag` on a 304. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: Ks3ErrorCode, message?: string, headers: Record<string, string> = {}) {
    const row: ErrorRow = ERROR_TABLE[code];
    super(message ?? row.message);
    this.code = code;
    this.status = row.status;
    this.headers = headers;
  }
}

/**
 * Turns what core's range and precondition helpers raise into the provider answer, so their
 * rules are applied, never re-implemented, here.
 */
export function toKs3Error(err: unknown): Ks3Error {
  if (err instanceof Ks3Error) return err;
  if (isStorageError(err)) {
    if (err.code === "InvalidRange") return new Ks3Error("InvalidRange", err.message);
    if (err.code === "InvalidArgument") return new Ks3Error("InvalidArgument", err.message);
    if (err.code === "PreconditionFailed") return new Ks3Error("PreconditionFailed");
    if (err.code === "NotModified") return new Ks3Error("NotModified");
  }
  return new Ks3Error("InternalError");
}
