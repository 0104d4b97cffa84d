/**
 * Profiles: the behaviours where KS3 and AWS S3 differ (`ks3-api.md` §7), one switch each,
 * so a test can run the same scenario under either dialect.
 */
import { KS3_LIMITS, S3_LIMITS, type ObjectStoreLimits } from "@stowage/core";

/** Which service the emulator imitates. */
export type Ks3Profile = "ks3" | "s3";

/** One switch per row of the KS3-vs-S3 table (`ks3-api.md` §7). */
export interface Ks3Quirks {
  /** §7 #1: Complete must list part numbers 1..N without gaps (KS3), not merely ascending (S3). */
  readonly completeRequiresContiguousParts: boolean;
  /** §7 #3: the code for a part number outside 1..max: `InvalidPartNum` (KS3) or `InvalidArgument` (S3). */
  readonly partNumberErrorCode: "InvalidPartNum" | "InvalidArgument";
  /** §7 #4: DeleteObject of a missing key answers 404 NoSuchKey (KS3 C-SDK tests) rather than 204. */
  readonly deleteMissingIs404: boolean;
  /**
   * §7 #7: the root element of the UploadPartCopy answer. The seed document's sample response
   * is `<CopyPartResult>` and the seed is authoritative, so both profiles default to it; the
   * Go SDK's strict parse suggests `CopyObjectResult`, selectable through `quirks`.
   */
  readonly uploadPartCopyResultRoot: "CopyPartResult" | "CopyObjectResult";
  /** §7 #8: with a delimiter, ListObjects `max-keys` defaults to and is capped at this (KS3: 100). */
  readonly listObjectsWithDelimiterMaxKeys: number;
  /**
   * §7 #9–#11 (doc 42821): KS3 answers 416 to a malformed or multi-range `Range` (except the
   * empty `bytes=`) and reads `bytes=-1-300` as `0-300`; S3 ignores what it cannot parse.
   */
  readonly strictRangeHeader: boolean;
  /** §7 #12: aborting an already-aborted upload answers 204 again (KS3) instead of 404 NoSuchUpload. */
  readonly abortIsIdempotent: boolean;
  /**
   * Doc 42469: "当执行完该操作后，对应的UploadId将会失效" (after Complete the upload id is invalid).
   * S3 (s3-tests `test_multipart_upload_small`) accepts a repeated Complete and answers the same ETag.
   */
  readonly repeatCompleteSucceeds: boolean;
  /**
   * Seed: a failed copy-source if-none-match / if-modified-since answers 304. AWS answers 412
   * for every failed copy-source condition (s3-tests `test_copy_object_ifnonematch_good`).
   */
  readonly copySourceNotModifiedIs304: boolean;
  /** Doc 42320: `response-*` overrides apply only to a 200 answer on KS3; S3 applies them to 206 too. */
  readonly responseOverridesOnlyOn200: boolean;
  /**
   * `max-keys` / `max-parts` / `max-uploads` of 0: KS3 documents [1,1000] (doc 42288, Java SDK
   * validation), so 0 is 400 InvalidArgument; S3 answers an empty page (s3-tests
   * `test_bucket_list_maxkeys_zero`).
   */
  readonly zeroMaxKeysAllowed: boolean;
  /**
   * PutObject and CompleteMultipartUpload honour `If-None-Match: *` and `If-Match: <etag>`
   * (412 PreconditionFailed), as S3 has since 2024. KS3's own documentation does not list
   * them (`ks3-api.md` §4.1: "come from the 2026 aws-fork model"), so the ks3 profile ignores them.
   */
  readonly conditionalWrites: boolean;
  /**
   * CreateBucket of a bucket the caller already owns: S3 answers 200 in us-east-1 and 409
   * `BucketAlreadyOwnedByYou` elsewhere; the ks3 profile keeps 409 `BucketAlreadyExists`.
   */
  readonly createOwnBucketAsS3: boolean;
  /** The header prefix of the emulator's own output (`x-kss-meta-*`, `x-kss-server-side-encryption…`). */
  readonly headerPrefix: "x-kss-" | "x-amz-";
}

const KS3_QUIRKS: Ks3Quirks = Object.freeze({
  completeRequiresContiguousParts: true,
  partNumberErrorCode: "InvalidPartNum",
  deleteMissingIs404: true,
  uploadPartCopyResultRoot: "CopyPartResult",
  listObjectsWithDelimiterMaxKeys: 100,
  strictRangeHeader: true,
  abortIsIdempotent: true,
  repeatCompleteSucceeds: false,
  copySourceNotModifiedIs304: true,
  responseOverridesOnlyOn200: true,
  zeroMaxKeysAllowed: false,
  conditionalWrites: false,
  createOwnBucketAsS3: false,
  headerPrefix: "x-kss-",
});

const S3_QUIRKS: Ks3Quirks = Object.freeze({
  completeRequiresContiguousParts: false,
  partNumberErrorCode: "InvalidArgument",
  deleteMissingIs404: false,
  uploadPartCopyResultRoot: "CopyPartResult",
  listObjectsWithDelimiterMaxKeys: 1000,
  strictRangeHeader: false,
  abortIsIdempotent: false,
  repeatCompleteSucceeds: true,
  copySourceNotModifiedIs304: false,
  responseOverridesOnlyOn200: false,
  zeroMaxKeysAllowed: true,
  conditionalWrites: true,
  createOwnBucketAsS3: true,
  headerPrefix: "x-amz-",
});

/** The quirks of a profile, with per-switch overrides. */
export function quirksFor(profile: Ks3Profile, overrides: Partial<Ks3Quirks> = {}): Ks3Quirks {
  return Object.freeze({ ...(profile === "ks3" ? KS3_QUIRKS : S3_QUIRKS), ...overrides });
}

/** The limits the emulator enforces; every number is inclusive. */
export interface Ks3EmulatorLimits {
  /** Largest key in UTF-8 bytes (`KeyTooLong`). */
  readonly keyMaxBytes: number;
  /** Substrings a key may not contain (`InvalidKey`). */
  readonly keyForbiddenSubstrings: readonly string[];
  /** Largest PutObject body (`EntityTooLarge`). */
  readonly putObjectMaxBytes: number;
  /** Largest CopyObject source (`EntityTooLarge`; use UploadPartCopy above it). */
  readonly copyObjectMaxSourceBytes: number;
  /** Smallest size of every part but the last, checked at Complete (`EntityTooSmall`). */
  readonly multipartMinPartBytes: number;
  /** Largest part (`EntityTooLarge`). */
  readonly multipartMaxPartBytes: number;
  /** Largest part number (`InvalidPartNum` / `InvalidArgument`). */
  readonly multipartMaxPartNumber: number;
  /** Largest `max-keys`, `max-parts`, `max-uploads`; larger values are clamped. */
  readonly listMaxKeys: number;
  /**
   * Largest total of user metadata (names and values, in bytes). KS3 documents no number
   * (`ks3-api.md` §5: "[INFERRED] use S3's 2 KB").
   */
  readonly userMetadataMaxBytes: number;
  /** Largest XML request body (CompleteMultipartUpload); larger is `MalformedXML` without parsing. */
  readonly xmlBodyMaxBytes: number;
}

/** The defaults of a profile: the core manifests, so the emulator and the adapters agree. */
export function limitsFor(profile: Ks3Profile, overrides: Partial<Ks3EmulatorLimits> = {}): Ks3EmulatorLimits {
  const manifest: ObjectStoreLimits = profile === "ks3" ? KS3_LIMITS : S3_LIMITS;
  return Object.freeze({
    keyMaxBytes: manifest.keyMaxBytes,
    keyForbiddenSubstrings: manifest.keyForbiddenSubstrings,
    putObjectMaxBytes: manifest.putObjectMaxBytes,
    copyObjectMaxSourceBytes: manifest.copyObjectMaxSourceBytes,
    multipartMinPartBytes: manifest.multipartMinPartBytes,
    multipartMaxPartBytes: manifest.multipartMaxPartBytes,
    multipartMaxPartNumber: manifest.multipartMaxPartNumber,
    listMaxKeys: manifest.listObjectsMaxPageSize,
    userMetadataMaxBytes: manifest.metadataMaxBytes,
    // 10,000 parts at roughly 100 bytes of XML each, with room to spare.
    xmlBodyMaxBytes: 2 * 1024 * 1024,
    ...overrides,
  });
}
