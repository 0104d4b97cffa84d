/**
 * Limits and capabilities manifests: one flat, frozen literal per adapter (and per provider
 * profile), read by users, by the validation layer and by the conformance suite alike.
 *
 * Names follow one grammar: `<op>` (a yes/no capability), `<op>With<Option>` (an option the
 * operation honours), `<op><Limit>` (a number). Never detect a capability by probing methods.
 * A limit that does not exist is `Number.MAX_SAFE_INTEGER`, so manifests stay JSON-friendly.
 */
import { StorageError } from "./storage-error.js";

/** What a {@link KeyValueStore} promises. Every number is inclusive. */
export interface KeyValueLimits {
  /** Largest key, counted in UTF-8 bytes. Larger raises `KeyTooLong`. */
  readonly keyMaxBytes: number;
  /** Characters a key may not contain; one of them raises `InvalidKey`. The empty key is always `InvalidKey`. */
  readonly keyForbiddenCharacters: string;
  /** Largest value accepted by an ordinary `put`. */
  readonly putMaxValueBytes: number;
  /**
   * Largest value accepted at all, including through a provider's large-value path (ESA's
   * PutKvWithHighCapacity). Equal to `putMaxValueBytes` when there is no such path.
   * Larger raises `ValueTooLarge` before any I/O.
   */
  readonly putLargeMaxValueBytes: number;
  /** Does `put` honour `ttlSeconds`? */
  readonly putWithTtl: boolean;
  /** Does `put` honour `expiresAt`? */
  readonly putWithExpiresAt: boolean;
  /** Smallest `ttlSeconds` accepted; smaller raises `InvalidArgument`. */
  readonly putMinTtlSeconds: number;
  /**
   * Latest expiry `put` accepts, in whole seconds since the Unix epoch: an `expiresAt`, or the
   * instant `ttlSeconds` reaches, past it raises `InvalidArgument`. At most
   * {@link LATEST_DATE_SECONDS}, so every expiry a store reports back is a valid `Date`.
   */
  readonly putMaxExpiresAtSeconds: number;
  /** Is `putMany` supported (otherwise it raises `Unsupported`)? */
  readonly putMany: boolean;
  /** Largest total of value bytes in one provider batch request (the facade splits larger batches). */
  readonly putManyMaxBytes: number;
  /** Is `deleteMany` supported (otherwise it raises `Unsupported`)? */
  readonly deleteMany: boolean;
  /** Most keys in one provider batch-delete request (the facade splits larger batches). */
  readonly deleteManyMaxKeys: number;
  /** Largest `limit` of one `list` page; larger raises `InvalidArgument`. */
  readonly listMaxPageSize: number;
  /**
   * How far into one listing a page may reach, in keys (ESA: PageNumber × PageSize ≤ 50,000).
   * A page that would reach past it raises `InvalidArgument` (see {@link listWindowExceeded});
   * listing narrower prefixes reaches the rest.
   */
  readonly listMaxKeys: number;
  /** Capacity of one namespace in bytes; writes past it raise `QuotaExceeded`. */
  readonly namespaceMaxBytes: number;
}

/** What a {@link MultipartObjectStore} promises. Every number is inclusive. */
export interface ObjectStoreLimits {
  /** Largest object key, counted in UTF-8 bytes. Larger raises `KeyTooLong`. */
  readonly keyMaxBytes: number;
  /** Characters a key may not contain (`InvalidKey`). The empty key is always `InvalidKey`. */
  readonly keyForbiddenCharacters: string;
  /** Substrings a key may not contain (`InvalidKey`), e.g. KS3's `@base@`, `@style@`. */
  readonly keyForbiddenSubstrings: readonly string[];
  /**
   * Largest user metadata: the bytes of all names and values together. More raises
   * `InvalidArgument` before any I/O (S3 answers `MetadataTooLarge`).
   */
  readonly metadataMaxBytes: number;
  /** Largest single `putObject` body; larger raises `EntityTooLarge`. */
  readonly putObjectMaxBytes: number;
  /** Largest source `copyObject` accepts; larger raises `EntityTooLarge` (use uploadPartCopy). */
  readonly copyObjectMaxSourceBytes: number;
  /** Does `getObject` honour `range`? */
  readonly getObjectWithRange: boolean;
  /** Does `getObject` honour the four conditional options? */
  readonly getObjectWithConditions: boolean;
  /**
   * Does `putObject` honour `ifNoneMatch: "*"` (create only if absent) and `ifMatch: etag`
   * (replace only that version), raising `PreconditionFailed` when they fail (S3 conditional
   * writes, 2024)? Without it they raise `Unsupported`.
   */
  readonly putObjectWithConditions: boolean;
  /**
   * Does `completeMultipartUpload` honour `ifNoneMatch: "*"` and `ifMatch: etag` the same way,
   * checked atomically with the commit (S3 conditional writes on CompleteMultipartUpload)? A
   * failed condition leaves the upload open, so the caller can retry or abort it. Without it
   * they raise `Unsupported`.
   */
  readonly completeMultipartUploadWithConditions: boolean;
  /** Does `copyObject` / `uploadPartCopy` honour the four copy-source conditions? */
  readonly copyWithConditions: boolean;
  /**
   * Does `presign` hand out URLs that a plain HTTP client can send without credentials (S3
   * SigV4 query authentication, KS3 KSS V2 query-string authentication)? Without it `presign`
   * raises `Unsupported`: an embedded store (memory, fs) has no URL to hand out.
   */
  readonly presign: boolean;
  /**
   * Longest `expiresInSeconds` `presign` accepts (SigV4: 604,800, seven days); longer raises
   * `InvalidArgument` before any signing. 0 where `presign` is false.
   */
  readonly presignMaxExpiresInSeconds: number;
  /** Can a copy source name another bucket? */
  readonly copyAcrossBuckets: boolean;
  /** Are customer-provided encryption keys (SSE-C) supported? */
  readonly sseC: boolean;
  /** Is `uploadPartCopy` supported (otherwise it raises `Unsupported`)? */
  readonly uploadPartCopy: boolean;
  /** Smallest part number (1 on every known provider). */
  readonly multipartMinPartNumber: number;
  /** Largest part number; larger raises `InvalidPartNumber`. */
  readonly multipartMaxPartNumber: number;
  /** Smallest size of every part but the last, checked at Complete (`EntityTooSmall`). */
  readonly multipartMinPartBytes: number;
  /** Largest part; larger raises `EntityTooLarge`. */
  readonly multipartMaxPartBytes: number;
  /** Must Complete list part numbers 1..N without gaps (KS3) rather than merely ascending (S3)? */
  readonly multipartPartNumbersContiguous: boolean;
  /** Largest `limit` of one `listObjects` page without a delimiter. */
  readonly listObjectsMaxPageSize: number;
  /** Largest `limit` of one `listObjects` page with a delimiter (KS3: 100). */
  readonly listObjectsWithDelimiterMaxPageSize: number;
  /** Largest `limit` of one `listParts` page. */
  readonly listPartsMaxPageSize: number;
  /** Largest `limit` of one `listMultipartUploads` page. */
  readonly listMultipartUploadsMaxPageSize: number;
  /**
   * Where an S3-compatible engine's profile knowingly differs from the contract, keyed by a
   * conformance case id (or an id prefix ending in `.`) or by a capability name, each with the
   * reason. The conformance suite reports the affected cases as skipped with
   * `declared divergence: <reason>`; absent on stores without known divergences.
   */
  readonly declaredDivergences?: Readonly<Record<string, string>>;
}

/** No limit: kept as a number so manifests stay comparable and JSON-serialisable. */
export const UNLIMITED = Number.MAX_SAFE_INTEGER;

/**
 * The latest instant a JavaScript `Date` holds, in seconds since the epoch (ECMAScript: time
 * values reach ±8.64e15 ms). The largest `putMaxExpiresAtSeconds` a manifest may declare.
 */
export const LATEST_DATE_SECONDS = 8_640_000_000_000;

/** Pairs of fields whose first must not exceed the second. */
const ORDERED_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ["putMaxValueBytes", "putLargeMaxValueBytes"],
  ["multipartMinPartNumber", "multipartMaxPartNumber"],
  ["multipartMinPartBytes", "multipartMaxPartBytes"],
];

/**
 * Raises `InvalidArgument` for a manifest no call could satisfy: a number that is not a
 * non-negative integer, a page size or key size below 1, or a minimum above its maximum. Both
 * facades run it on their driver's manifest and {@link defineLimits} on every literal, so such a
 * mistake (typically an override from config) is one clear error at start-up instead of a
 * confusing one on every call.
 */
export function checkLimits(limits: KeyValueLimits | ObjectStoreLimits): void {
  const fields = limits as unknown as Record<string, unknown>;
  const invalid = (why: string) => new StorageError({ code: "InvalidArgument", message: `limits: ${why}` });
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== "number") continue;
    if (!Number.isSafeInteger(value) || value < 0) throw invalid(`${name} must be a non-negative integer, got ${value}`);
    const atLeastOne = name.endsWith("PageSize") || name === "keyMaxBytes" || name === "listMaxKeys" || name === "multipartMinPartNumber";
    if (atLeastOne && value < 1) throw invalid(`${name} must be at least 1, got ${value}`);
  }
  const latestExpiry = fields["putMaxExpiresAtSeconds"];
  if (typeof latestExpiry === "number" && latestExpiry > LATEST_DATE_SECONDS) {
    throw invalid(`putMaxExpiresAtSeconds must be at most ${LATEST_DATE_SECONDS} (the latest Date), got ${latestExpiry}`);
  }
  // A store that presigns must accept some expiry, or every presign call would be refused.
  if (fields["presign"] === true && fields["presignMaxExpiresInSeconds"] === 0) throw invalid("presign needs presignMaxExpiresInSeconds of at least 1");
  for (const [low, high] of ORDERED_PAIRS) {
    const a = fields[low];
    const b = fields[high];
    if (typeof a === "number" && typeof b === "number" && a > b) throw invalid(`${low} (${a}) exceeds ${high} (${b})`);
  }
}

/**
 * Checks ({@link checkLimits}) and freezes a manifest, so nobody mutates what the suite and the
 * validation layer read.
 */
export function defineLimits<T extends KeyValueLimits | ObjectStoreLimits>(limits: T): Readonly<T> {
  checkLimits(limits);
  if ("keyForbiddenSubstrings" in limits) Object.freeze(limits.keyForbiddenSubstrings);
  if ("declaredDivergences" in limits && limits.declaredDivergences) Object.freeze(limits.declaredDivergences);
  return Object.freeze({ ...limits }) as Readonly<T>;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Alibaba Cloud ESA Edge KV, API 2024-09-10 (`../shared/reference/esa-kv-api.md` §1.3 and the
 * seed document PutKvWithHighCapacity).
 */
export const ESA_KV_LIMITS: KeyValueLimits = defineLimits({
  // "The size of the key cannot exceed 512 bytes." (InvalidKey.ExceedsMaximum)
  keyMaxBytes: 512,
  // OpenAPI: "cannot contain spaces or forward slashes (/)". The stricter get-started rule
  // (letters, digits, - and _ only) is not enforced by the API, so it is not ours either.
  keyForbiddenCharacters: " /",
  // "The size of the value cannot exceed 2,000,000 bytes." (InvalidValue.ExceedsMaximum)
  putMaxValueBytes: 2_000_000,
  // PutKvWithHighCapacity: "maximum value size is 25 MB". Decimal, as the same API's "2 MB" is
  // 2,000,000 bytes in its own error message; so a value over 25 MB is refused before any upload.
  putLargeMaxValueBytes: 25_000_000,
  putWithTtl: true,
  putWithExpiresAt: true,
  // No minimum is documented (reference §7 item 4); 1 s is the smallest whole TTL.
  putMinTtlSeconds: 1,
  // Expiration and ExpirationTtl are int64 seconds, further than a Date reaches: a Date's range
  // is the bound, so what GetKvDetail reports back is always a valid Date.
  putMaxExpiresAtSeconds: LATEST_DATE_SECONDS,
  putMany: true,
  // BatchPutKv: "The total size cannot exceed 2 MB (2 × 1,000 × 1,000)."
  putManyMaxBytes: 2_000_000,
  deleteMany: true,
  // BatchDeleteKv: "You can delete up to 10,000 keys."
  deleteManyMaxKeys: 10_000,
  // ListKvs PageSize: "Default value: 50. Maximum value: 100."
  listMaxPageSize: 100,
  // ListKvs: "The product of PageNumber and PageSize cannot exceed 50000."
  listMaxKeys: 50_000,
  // GetKvNamespace example `Capacity: 1073741824`; InvalidKey.ExceedsCapacity "cannot exceed 1 GB".
  namespaceMaxBytes: GiB,
});

/**
 * Kingsoft Cloud KS3 (`../shared/reference/ks3-api.md` §5 and the seed document UploadPartCopy).
 */
export const KS3_LIMITS: ObjectStoreLimits = defineLimits({
  // "1 … 1024 characters (UTF-8)"; the encoded length is what counts.
  keyMaxBytes: 1024,
  keyForbiddenCharacters: "",
  // Doc 42325: object names may not contain these image-processing markers.
  keyForbiddenSubstrings: ["@base@", "@style@"],
  // No KS3 figure is published (reference ks3-api.md §5: MetadataTooLarge exists, the size is
  // "not found"); S3's "user-defined metadata is limited to 2 KB" is the inferred one.
  metadataMaxBytes: 2048,
  // PutObject max 5 GB → EntityTooLarge.
  putObjectMaxBytes: 5 * GiB,
  // PUT Object Copy: 1 GB source at most; above that use UploadPartCopy.
  copyObjectMaxSourceBytes: GiB,
  getObjectWithRange: true,
  getObjectWithConditions: true,
  // KS3 documents no conditional PutObject.
  putObjectWithConditions: false,
  // Nor a conditional CompleteMultipartUpload (ks3-api.md §4.10 lists no If-Match / If-None-Match).
  completeMultipartUploadWithConditions: false,
  copyWithConditions: true,
  // KS3 presigns (ks3-api.md §2.1 "Presigned URL"), but only an adapter speaking its wire
  // protocol can: the memory adapter stands in for this manifest without URLs, so the KS3 and
  // S3 adapters turn presigning on in their own manifests.
  presign: false,
  presignMaxExpiresInSeconds: 0,
  copyAcrossBuckets: true,
  sseC: true,
  uploadPartCopy: true,
  multipartMinPartNumber: 1,
  // Seed: "The number of blocks can be any one of 1 to 10000 inclusive."
  multipartMaxPartNumber: 10_000,
  // Seed: "Except that the last block has no size limit, the size of other blocks is required
  // to be more than 5MB." The seed is authoritative over the 2024 docs' 100 KB.
  multipartMinPartBytes: 5 * MiB,
  multipartMaxPartBytes: 5 * GiB,
  // KS3 quirk #1: part numbers in Complete must be ascending and contiguous.
  multipartPartNumbersContiguous: true,
  listObjectsMaxPageSize: 1000,
  // KS3 quirk #8: with a delimiter, max-keys defaults to and is capped at 100.
  listObjectsWithDelimiterMaxPageSize: 100,
  listPartsMaxPageSize: 1000,
  listMultipartUploadsMaxPageSize: 1000,
});

/** AWS S3 semantics: the same as KS3 except where §7 of the KS3 reference lists a difference. */
export const S3_LIMITS: ObjectStoreLimits = defineLimits({
  ...KS3_LIMITS,
  keyForbiddenSubstrings: [],
  copyObjectMaxSourceBytes: 5 * GiB,
  multipartPartNumbersContiguous: false,
  listObjectsWithDelimiterMaxPageSize: 1000,
});

/**
 * The error of a `list` page that would reach past `listMaxKeys` keys into its listing. Every
 * key-value driver raises this one, so a listing that outgrows the window fails the same way on
 * every adapter instead of ending early on some and losing the keys past it.
 */
export function listWindowExceeded(listMaxKeys: number): StorageError {
  return new StorageError({
    code: "InvalidArgument",
    message: `A listing reaches at most ${listMaxKeys} keys (listMaxKeys); this page would go past it. List narrower prefixes to reach further.`,
    operation: "list",
  });
}
