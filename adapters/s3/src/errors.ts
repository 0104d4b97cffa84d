/**
 * S3's one error table (style.md item 3): HTTP status → normalized code, then S3's `<Code>`
 * overrides it. Source: the Amazon S3 API Reference, "Error responses" → "List of error codes".
 */
import type { ErrorMapping, ErrorTable } from "@stowage/adapter-s3-family";

const row = (code: ErrorMapping["code"], retryable = false): ErrorMapping => ({ code, retryable });

/** The AWS S3 error table (also used for the compatible engines' profiles). */
export const s3Errors: ErrorTable = {
  byStatus: {
    304: row("NotModified"),
    400: row("InvalidArgument"),
    401: row("Unauthorized"),
    403: row("Forbidden"),
    // A HEAD answer has no body, so a 404 there cannot say which thing is missing: the object.
    404: row("NotFound"),
    405: row("Unsupported"),
    408: row("Timeout", true),
    409: row("AlreadyExists"),
    411: row("InvalidArgument"),
    412: row("PreconditionFailed"),
    413: row("EntityTooLarge"),
    416: row("InvalidRange"),
    429: row("RateLimited", true),
    500: row("Internal", true),
    501: row("Unsupported"),
    502: row("ServiceUnavailable", true),
    503: row("ServiceUnavailable", true),
    504: row("Timeout", true),
  },
  byProviderCode: {
    NoSuchKey: row("NotFound"),
    NoSuchBucket: row("BucketNotFound"),
    // "The specified multipart upload does not exist … might have been aborted or completed." (404)
    NoSuchUpload: row("UploadNotFound"),
    InvalidPart: row("InvalidPart"),
    InvalidPartOrder: row("InvalidPartOrder"),
    // "Your proposed upload is smaller than the minimum allowed object size." (400)
    EntityTooSmall: row("EntityTooSmall"),
    EntityTooLarge: row("EntityTooLarge"),
    InvalidRange: row("InvalidRange"),
    PreconditionFailed: row("PreconditionFailed"),
    // "Your key is too long." (400)
    KeyTooLongError: row("KeyTooLong"),
    InvalidArgument: row("InvalidArgument"),
    InvalidRequest: row("InvalidArgument"),
    MalformedXML: row("InvalidArgument"),
    InvalidDigest: row("InvalidArgument"),
    BadDigest: row("InvalidArgument"),
    MissingContentLength: row("InvalidArgument"),
    MetadataTooLarge: row("InvalidArgument"),
    InvalidBucketName: row("InvalidArgument"),
    IncompleteBody: row("InvalidArgument"),
    AccessDenied: row("Forbidden"),
    SignatureDoesNotMatch: row("Unauthorized"),
    InvalidAccessKeyId: row("Unauthorized"),
    // Not retryable: the same clock produces the same skew.
    RequestTimeTooSkewed: row("Unauthorized"),
    // Session credentials: "The provided token has expired." / "… is malformed or otherwise invalid."
    ExpiredToken: row("Unauthorized"),
    InvalidToken: row("Unauthorized"),
    TokenRefreshRequired: row("Unauthorized"),
    BucketAlreadyExists: row("AlreadyExists"),
    BucketAlreadyOwnedByYou: row("AlreadyExists"),
    NotImplemented: row("Unsupported"),
    // "Reduce your request rate." (503)
    SlowDown: row("RateLimited", true),
    ServiceUnavailable: row("ServiceUnavailable", true),
    InternalError: row("Internal", true),
    // "Your socket connection to the server was not read from or written to within the timeout period." (400)
    RequestTimeout: row("Timeout", true),
  },
  fallback5xx: row("ServiceUnavailable", true),
  fallback4xx: row("InvalidArgument"),
};
