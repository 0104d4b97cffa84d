/**
 * KS3's one error table (style.md item 3): HTTP status → normalized code, then KS3's `<Code>`
 * overrides it. Sources: ks3-api.md §3 (error document and codes), §7 (quirks) and the seed
 * document UploadPartCopy (NoSuchUpload 404, InvalidRequest 400).
 */
import { errorRow as row, s3FamilyErrorTable, type ErrorTable } from "@stowage/adapter-s3-family";

/** The KS3 error table. */
export const ks3Errors: ErrorTable = s3FamilyErrorTable({
  // Status rows: the S3-family ones (304 "(Not Modified)" per ks3-api.md §3.2), none of KS3's own.
  byProviderCode: {
    NoSuchKey: row("NotFound"),
    // "KS3's own error table lists NotFound (404) for a missing file" (§3.1, doc 5431).
    NotFound: row("NotFound"),
    NoSuchBucket: row("BucketNotFound"),
    // Seed: "NoSuchUpload | The specified chunk upload task does not exist … | 404".
    NoSuchUpload: row("UploadNotFound"),
    // Doc 5431: "InvalidPartNum 400 块号范围[1,10000]" (part number range [1,10000]).
    InvalidPartNum: row("InvalidPartNumber"),
    InvalidPart: row("InvalidPart"),
    // Doc 5431: "块号不连续，有缺失块" (part numbers not contiguous / a part is missing).
    InvalidPartOrder: row("InvalidPartOrder"),
    // §3.2: the status is 400 or, per the 2020 Upload Part doc, 413; the code decides either way,
    // so a 413 EntityTooSmall is not mistaken for EntityTooLarge.
    EntityTooSmall: row("EntityTooSmall"),
    EntityTooLarge: row("EntityTooLarge"),
    InvalidRange: row("InvalidRange"),
    PreconditionFailed: row("PreconditionFailed"),
    InvalidKey: row("InvalidKey"),
    KeyTooLong: row("KeyTooLong"),
    // Seed: "InvalidRequest | The specified data source object does not support copying by
    // byte range. | 400"; also copy onto itself without REPLACE.
    InvalidRequest: row("InvalidArgument"),
    InvalidArgument: row("InvalidArgument"),
    MalformedXML: row("InvalidArgument"),
    InvalidDigest: row("InvalidArgument"),
    BadDigest: row("InvalidArgument"),
    MissingContentLength: row("InvalidArgument"),
    MetadataTooLarge: row("InvalidArgument"),
    InvalidBucketName: row("InvalidArgument"),
    // SSE-C failures (Java exception classes; statuses not documented, §6.2).
    MissingCustomerKey: row("InvalidArgument"),
    Md5ErrorForCustomerKey: row("InvalidArgument"),
    InvalidEncryptionAlgorithm: row("InvalidArgument"),
    AccessDenied: row("Forbidden"),
    SignatureDoesNotMatch: row("Unauthorized"),
    InvalidAccessKeyId: row("Unauthorized"),
    // "Clock skew 15 min → RequestTimeTooSkewed 403" (doc 5431). Not retryable: the same
    // clock produces the same skew.
    RequestTimeTooSkewed: row("Unauthorized"),
    ExpiredToken: row("Unauthorized"),
    BucketAlreadyExists: row("AlreadyExists"),
    NotImplemented: row("Unsupported"),
    // S3 convention, and a KS3 exception class: the client should slow down and retry.
    SlowDown: row("RateLimited", true),
    ServiceUnavailable: row("ServiceUnavailable", true),
    InternalError: row("Internal", true),
    RequestTimeout: row("Timeout", true),
  },
});
