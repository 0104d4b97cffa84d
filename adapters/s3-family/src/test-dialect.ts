import type { S3Dialect } from "./dialect.js";
import type { ErrorTable } from "./error-table.js";

/** A small error table for the core's own tests (dialect packages own the real ones). */
export const testErrors: ErrorTable = {
  byStatus: {
    304: { code: "NotModified", retryable: false },
    404: { code: "NotFound", retryable: false },
    412: { code: "PreconditionFailed", retryable: false },
    503: { code: "ServiceUnavailable", retryable: true },
  },
  byProviderCode: {
    NoSuchUpload: { code: "UploadNotFound", retryable: false },
    NoSuchBucket: { code: "BucketNotFound", retryable: false },
    SlowDown: { code: "RateLimited", retryable: true },
    InternalError: { code: "Internal", retryable: true },
  },
  fallback5xx: { code: "ServiceUnavailable", retryable: true },
  fallback4xx: { code: "InvalidArgument", retryable: false },
};

/** A KS3-like dialect for the core's tests. */
export const testDialect: S3Dialect = {
  name: "test",
  headerPrefix: "x-kss-",
  metadataResponsePrefixes: ["x-kss-meta-"],
  requestIdHeader: "x-kss-request-id",
  errors: testErrors,
  quirks: { copyPartResultRoots: ["CopyPartResult"], deleteMissingAnswers404: true },
};
