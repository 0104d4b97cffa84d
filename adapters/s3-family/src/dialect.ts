import type { ErrorTable } from "./error-table.js";

/**
 * Everything that differs between members of the S3 family (KS3, AWS S3, Ceph RGW, …), so
 * that a new one is a dialect file and an error table, never a fork of the protocol code.
 */
export interface S3Dialect {
  /** Short name used in messages, e.g. `ks3`, `s3`. */
  readonly name: string;
  /** Prefix of the provider's own headers: `x-kss-` (KS3 native) or `x-amz-`. */
  readonly headerPrefix: "x-kss-" | "x-amz-";
  /**
   * Prefixes under which user metadata may come back. KS3 answers `x-kss-meta-*` but accepts
   * `x-amz-*` as an alias (ks3-api.md §1.2), so reading both costs nothing.
   */
  readonly metadataResponsePrefixes: readonly string[];
  /** Header carrying the request id in answers, lower case (`x-kss-request-id`, `x-amz-request-id`). */
  readonly requestIdHeader: string;
  /** The one error table of this dialect. */
  readonly errors: ErrorTable;
  /** Behaviours that differ from AWS S3. */
  readonly quirks: S3DialectQuirks;
}

/**
 * Dialect switches (ks3-api.md §7 lists the KS3 ones). Numeric limits and the
 * contiguous-part-numbers rule (§7 #1) are not repeated here: they live in the limits manifest
 * (`multipartPartNumbersContiguous`), which the driver reads.
 */
export interface S3DialectQuirks {
  /**
   * Root elements an UploadPartCopy answer may have. AWS and the KS3 seed document say
   * `CopyPartResult`; KS3's Go SDK parses `CopyObjectResult` (§7 #7), so KS3 accepts both.
   */
  readonly copyPartResultRoots: readonly string[];
  /**
   * Whether DeleteObject of a missing key answers 404 (KS3 §7 #4) instead of 204. The driver
   * then turns that 404 (code `NoSuchKey`/`NotFound`) into success, so `deleteObject` is
   * idempotent on every dialect.
   */
  readonly deleteMissingAnswers404: boolean;
}
