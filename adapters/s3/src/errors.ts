/**
 * S3's one error table (style.md item 3): HTTP status → normalized code, then S3's `<Code>`
 * overrides it. Source: the Amazon S3 API Reference, "Error responses" → "List of error codes".
 */
import { errorRow as row, s3FamilyErrorTable, type ErrorTable } from "@stowage/adapter-s3-family";

/** The AWS S3 error table (also used for the compatible engines' profiles). */
export const s3Errors: ErrorTable = s3FamilyErrorTable({
  // The S3-family status rows, plus 501 (S3 NotImplemented: "A header you provided implies
  // functionality that is not implemented.").
  byStatus: { 501: row("Unsupported") },
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
    // Conditional writes: "If a conflicting operation occurs during the upload S3 returns a 409
    // ConditionalRequestConflict response" (PutObject / CompleteMultipartUpload If-None-Match,
    // If-Match). The condition could not hold, as with 412; not retryable as the same call,
    // since after it S3 asks for a new multipart upload ("re-initiate … and re-upload each part").
    ConditionalRequestConflict: row("PreconditionFailed"),
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
});
