import type { BodyInput, NormalizedBody } from "./body.js";
import type { StoreTarget } from "./error-context.js";
import type { CallOptions, DriverCallContext, KeyValueStore } from "./key-value-store.js";
import type { ObjectStoreLimits } from "./limits.js";
import type { Preconditions } from "./preconditions.js";
import type { ByteRangeSpec, CopySourceRange, ResolvedRange } from "./range.js";

/** A customer-provided encryption key (SSE-C, AES256). Only its MD5 is ever kept by a server. */
export interface SseCustomerKey {
  /** The raw 32-byte key. */
  key: Uint8Array;
}

/** What a store knows about one object. */
export interface ObjectInfo {
  /** The object's key, as the caller wrote it. */
  key: string;
  /** Size of the whole object in bytes. */
  size: number;
  /** The ETag in its HTTP form, with double quotes: `"d41d8cd98f00b204e9800998ecf8427e"`, or `"…-N"` for multipart. */
  etag: string;
  /** When the object was last written; HTTP providers report whole seconds (`Last-Modified`). */
  lastModified: Date;
  /**
   * The content type stored with the object: as written, or `application/octet-stream` when it
   * was written without one (every adapter stores that default, as S3-family providers do).
   * Absent only when a provider reports none.
   */
  contentType?: string;
  /** User metadata, lower-case names without the provider prefix. */
  metadata: Record<string, string>;
}

/** Options of {@link MultipartObjectStore.putObject}. */
export interface PutObjectOptions extends CallOptions {
  /**
   * Stored with the object and reported by `headObject` / `getObject` (see
   * {@link ObjectInfo.contentType}). Printable US-ASCII without a leading or trailing space,
   * else `InvalidArgument` ({@link validateObjectAttributes}).
   */
  contentType?: string;
  /**
   * User metadata; replaces whatever the key had (an overwrite without it leaves none). Names
   * of ASCII letters, digits, `-` and `_`, distinct ignoring case, stored lower-case; values
   * printable US-ASCII without a leading or trailing space; else `InvalidArgument`
   * ({@link validateObjectAttributes}).
   */
  metadata?: Record<string, string>;
  /** Declared length of a stream body; required by some providers for a single PUT. A mismatch raises `InvalidArgument`. */
  contentLength?: number;
  /**
   * Write only if the key's current ETag equals this one (replace exactly that version); else
   * `PreconditionFailed`, also when the key is absent. `Unsupported` unless
   * `limits.putObjectWithConditions`.
   */
  ifMatch?: string;
  /**
   * `"*"`: write only if the key is absent (create, never overwrite); else `PreconditionFailed`.
   * Of two concurrent creators exactly one wins. `Unsupported` unless `limits.putObjectWithConditions`.
   */
  ifNoneMatch?: "*";
  /**
   * Encrypt with this customer key (SSE-C); every later read or copy of the object must present
   * the same key. A key that is not 32 bytes raises `InvalidArgument`; `Unsupported` unless
   * `limits.sseC`.
   */
  sseC?: SseCustomerKey;
}

/** Result of a write that creates an object. */
export interface PutObjectResult {
  /** The new object's ETag, quoted, equal to what `headObject` reports. Opaque. */
  etag: string;
}

/** Options of {@link MultipartObjectStore.getObject}. The four conditions follow RFC 9110 §13.2.2. */
export interface GetObjectOptions extends CallOptions, Preconditions {
  /** One byte range; see {@link ByteRangeSpec}. */
  range?: ByteRangeSpec;
  /**
   * The key the object was written with (SSE-C). Required for such an object and refused for
   * any other: a missing, different or inapplicable key raises `InvalidArgument`.
   */
  sseC?: SseCustomerKey;
}

/**
 * How many bytes {@link MultipartObjectStore.getObjectBytes} and its text and JSON siblings
 * read into memory unless told otherwise: 64 MiB. Larger objects belong in a stream.
 */
export const GET_OBJECT_BYTES_DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** Options of {@link MultipartObjectStore.getObjectBytes}, `getObjectText` and `getObjectJson`. */
export interface GetObjectBytesOptions extends GetObjectOptions {
  /**
   * Most bytes read into memory; a larger object (or range) raises `EntityTooLarge` without
   * reading it. Default {@link GET_OBJECT_BYTES_DEFAULT_MAX_BYTES}.
   */
  maxBytes?: number;
}

/** A streamed object body. Nothing is buffered unless the caller reads it to bytes. */
export interface GetObjectResult {
  /** The whole object's info: `info.size` is the object's size even for a range. */
  info: ObjectInfo;
  /**
   * The bytes of the selected range (or the whole object), streamed. Must be consumed or
   * cancelled. Stays tied to the call's signal: firing it while the body is read errors the
   * stream with `Aborted`.
   */
  body: ReadableStream<Uint8Array>;
  /** Bytes in `body`. */
  contentLength: number;
  /** The resolved range when the answer is partial (206); absent for a whole-object answer. */
  range?: ResolvedRange;
}

/** Options of {@link MultipartObjectStore.headObject}. */
export interface HeadObjectOptions extends CallOptions, Preconditions {
  /** As in {@link GetObjectOptions.sseC}. */
  sseC?: SseCustomerKey;
}

/** Where a copy reads from. */
export interface CopySource {
  /** Another bucket; default: this store's bucket. Needs `limits.copyAcrossBuckets`. */
  bucket?: string;
  /** The source object's key, checked by the same key rules as this store's keys. */
  key: string;
  /** The source's SSE-C key, when the source is encrypted with one. */
  sseC?: SseCustomerKey;
}

/** Options of {@link MultipartObjectStore.copyObject}. The conditions apply to the source. */
export interface CopyObjectOptions extends CallOptions, Preconditions {
  /** The object to copy. */
  source: CopySource;
  /**
   * The copy's metadata. Giving this or `contentType` replaces both, as S3's `REPLACE`
   * directive does: the copy has exactly what is given (no metadata, or the default content
   * type, for the one left out). With neither, the copy keeps the source's metadata and
   * content type. Same rules as {@link PutObjectOptions.metadata}.
   */
  metadata?: Record<string, string>;
  /** The copy's content type; see {@link CopyObjectOptions.metadata} for what giving it replaces. Same rules as {@link PutObjectOptions.contentType}. */
  contentType?: string;
  /** Encrypt the copy with this customer key (the source's key goes in `source.sseC`). */
  sseC?: SseCustomerKey;
}

/** Result of a server-side copy. */
export interface CopyObjectResult {
  /** The copy's ETag, quoted. */
  etag: string;
  /** When the copy was written. */
  lastModified: Date;
}

/** Options of {@link MultipartObjectStore.listObjects}. */
export interface ListObjectsOptions extends CallOptions {
  /** Only keys starting with this prefix. */
  prefix?: string;
  /** Groups keys sharing the part up to the delimiter into `commonPrefixes`. */
  delimiter?: string;
  /**
   * Most entries (objects plus common prefixes) in the page, 1..`limits.listObjectsMaxPageSize`
   * (`listObjectsWithDelimiterMaxPageSize` with a delimiter), else `InvalidArgument`; default:
   * that maximum.
   */
  limit?: number;
  /** The previous page's `cursor`, with the same `prefix` and `delimiter`; omit for the first page. Opaque. */
  cursor?: string;
}

/** One object in a listing. */
export interface ObjectSummary {
  /** The object's key. */
  key: string;
  /** Size of the object in bytes. */
  size: number;
  /** The ETag, quoted, as `headObject` reports it. */
  etag: string;
  /** When the object was last written. */
  lastModified: Date;
}

/** One page of {@link MultipartObjectStore.listObjects}. */
export interface ListObjectsPage {
  /** This page's objects in ascending UTF-8 byte order of key, without those rolled up into `commonPrefixes`. */
  objects: ObjectSummary[];
  /**
   * With a delimiter: each key prefix up to and including the first delimiter after `prefix`,
   * once per listing, ascending. Empty without a delimiter.
   */
  commonPrefixes: string[];
  /** Present when entries remain; pass it back as `cursor`. Absent on the last page. */
  cursor?: string;
}

/** Options of {@link MultipartObjectStore.createMultipartUpload}. */
export interface CreateMultipartUploadOptions extends CallOptions {
  /** The completed object's content type; as in {@link PutObjectOptions.contentType}. */
  contentType?: string;
  /** The completed object's metadata; as in {@link PutObjectOptions.metadata}. */
  metadata?: Record<string, string>;
  /**
   * Encrypt the completed object with this key; every `uploadPart` / `uploadPartCopy` of the
   * upload must pass the same key (`InvalidArgument` otherwise).
   */
  sseC?: SseCustomerKey;
}

/** An open multipart upload. */
export interface MultipartUpload {
  /** The key the object will have; every call on the upload must name it (`UploadNotFound` otherwise). */
  key: string;
  /** The provider's opaque id, valid until Complete or Abort. */
  uploadId: string;
}

/** Options of {@link MultipartObjectStore.uploadPart}. */
export interface UploadPartOptions extends CallOptions {
  /** Declared length of a stream body (some providers need it up front). */
  contentLength?: number;
  /** Must equal the key the upload was created with. */
  sseC?: SseCustomerKey;
}

/** A part as Complete wants it, and as `uploadPart` resolves it. */
export interface CompletedPart {
  /** The part's number. */
  partNumber: number;
  /**
   * The part's ETag. `uploadPart` resolves it quoted; Complete accepts it quoted or unquoted,
   * and it must be the ETag of the part's latest upload (`InvalidPart` otherwise).
   */
  etag: string;
}

/** Options of {@link MultipartObjectStore.uploadPartCopy}: a source, a range and the seed's four conditions. */
export interface UploadPartCopyOptions extends CallOptions, Preconditions {
  /** The object to copy from. */
  source: CopySource;
  /** `bytes=first-last`, both required, 0-based, inclusive, inside the source; default: the whole source. */
  range?: CopySourceRange;
  /** The destination upload's SSE-C key. */
  sseC?: SseCustomerKey;
}

/** Result of {@link MultipartObjectStore.uploadPartCopy} (`<CopyPartResult>`). */
export interface UploadPartCopyResult {
  /** The part number written, as given. */
  partNumber: number;
  /** The new part's ETag, quoted; pass it to Complete as {@link CompletedPart.etag}. */
  etag: string;
  /** When the part was written. */
  lastModified: Date;
}

/** Options of {@link MultipartObjectStore.completeMultipartUpload}. */
export interface CompleteMultipartUploadOptions extends CallOptions {
  /**
   * Complete only if the key's current ETag equals this one (replace exactly that version);
   * another ETag raises `PreconditionFailed`, an absent key `NotFound` (S3 answers 404
   * NoSuchKey). The upload stays open after either. `Unsupported` unless
   * `limits.completeMultipartUploadWithConditions`.
   */
  ifMatch?: string;
  /**
   * `"*"`: complete only if the key is absent (create, never overwrite); else
   * `PreconditionFailed`, and the upload stays open. Of two concurrent Completes exactly one
   * wins. `Unsupported` unless `limits.completeMultipartUploadWithConditions`.
   */
  ifNoneMatch?: "*";
}

/** Result of {@link MultipartObjectStore.completeMultipartUpload}. */
export interface CompleteMultipartUploadResult {
  /** The completed object's key. */
  key: string;
  /** Quoted, `"<hex md5 of the concatenated binary part md5s>-N"` on S3-family providers and memory; treat as opaque. */
  etag: string;
}

/** Options of {@link MultipartObjectStore.listParts}. */
export interface ListPartsOptions extends CallOptions {
  /** Most parts in the page, 1..`limits.listPartsMaxPageSize` (else `InvalidArgument`); default: that maximum. */
  limit?: number;
  /** The previous page's `cursor`; omit for the first page. Opaque. */
  cursor?: string;
}

/** One uploaded part. */
export interface PartInfo {
  /** The part's number. */
  partNumber: number;
  /** The ETag of the part's latest upload, quoted, as `uploadPart` / `uploadPartCopy` resolved it. */
  etag: string;
  /** Size of the part in bytes. */
  size: number;
  /** When the part was last uploaded. */
  lastModified: Date;
}

/** One page of {@link MultipartObjectStore.listParts}, ascending by part number. */
export interface ListPartsPage {
  /** This page's parts, ascending by part number. */
  parts: PartInfo[];
  /** Present when parts remain; pass it back as `cursor`. Absent on the last page. */
  cursor?: string;
}

/** Options of {@link MultipartObjectStore.listMultipartUploads}. */
export interface ListMultipartUploadsOptions extends CallOptions {
  /** Only uploads whose key starts with this prefix. */
  prefix?: string;
  /** Most uploads in the page, 1..`limits.listMultipartUploadsMaxPageSize` (else `InvalidArgument`); default: that maximum. */
  limit?: number;
  /** The previous page's `cursor`, with the same `prefix`; omit for the first page. Opaque. */
  cursor?: string;
}

/** One open upload in a listing. */
export interface MultipartUploadSummary {
  /** The key the upload was created for. */
  key: string;
  /** The upload's id, as `createMultipartUpload` resolved it. */
  uploadId: string;
  /** When the upload was created. */
  initiated: Date;
}

/** One page of {@link MultipartObjectStore.listMultipartUploads}, ordered by key then initiation. */
export interface ListMultipartUploadsPage {
  /** This page's open uploads; completed and aborted ones are gone. */
  uploads: MultipartUploadSummary[];
  /** Present when uploads remain; pass it back as `cursor`. Absent on the last page. */
  cursor?: string;
}

/** The HTTP methods a presigned request may carry: read, write, inspect or remove one object. */
export type PresignMethod = "GET" | "PUT" | "HEAD" | "DELETE";

/** Options of {@link MultipartObjectStore.presign}. */
export interface PresignOptions extends CallOptions {
  /**
   * How long the URL stays valid, in whole seconds from now: an integer from 1 to
   * `limits.presignMaxExpiresInSeconds`, else `InvalidArgument`.
   */
  expiresInSeconds: number;
  /**
   * `PUT` only: the content type the object is stored with. Signed, so the caller must send it
   * as `content-type` (it is in {@link PresignedRequest.headers}); without it the URL still
   * requires `content-type: application/octet-stream`, the contract's default. Rules as in
   * {@link PutObjectOptions.contentType}.
   */
  contentType?: string;
  /**
   * `PUT` only: user metadata stored with the object, as in {@link PutObjectOptions.metadata};
   * the caller must send the provider's `x-…-meta-*` headers listed in
   * {@link PresignedRequest.headers}.
   */
  metadata?: Record<string, string>;
  /** `GET` only: one byte range, as in {@link GetObjectOptions.range}; the caller sends it as `range`. */
  range?: ByteRangeSpec;
}

/**
 * A request anyone holding it can send, without credentials, until it expires: `method` to
 * `url` with exactly `headers`. It is a bearer token for that one operation on that one key;
 * hand it out like a password.
 */
export interface PresignedRequest {
  /** The method the signature covers; any other method is refused by the server. */
  method: PresignMethod;
  /** The absolute URL, the authentication in its query string. */
  url: string;
  /**
   * Headers the caller must send, with lower-case names (e.g. `content-type`, `x-amz-meta-*` /
   * `x-kss-meta-*`, `range`). They are signed where the signature scheme covers them, so
   * leaving one out or changing it gets 403. `host` comes from the URL and is never listed.
   */
  headers: Record<string, string>;
}

/**
 * One bucket of objects, with multipart uploads and server-side copy. Every method raises
 * {@link StorageError} and nothing else.
 *
 * Codes common to every method: `InvalidKey` / `KeyTooLong` for a bad key, `BucketNotFound`
 * when the bucket is gone, `Aborted` when the signal fires, `Unsupported` for a capability the
 * manifest says is absent, `InvalidArgument` for an argument of the wrong type or shape and
 * for any call after {@link MultipartObjectStore.close}.
 */
export interface MultipartObjectStore {
  /** The driver's manifest, which every argument is validated against before any I/O. */
  readonly limits: ObjectStoreLimits;

  /**
   * Creates or overwrites an object; resolves its quoted ETag. A body over
   * `limits.putObjectMaxBytes` raises `EntityTooLarge`.
   */
  putObject(key: string, body: BodyInput, options?: PutObjectOptions): Promise<PutObjectResult>;

  /**
   * Streams an object or one range of it.
   * - Missing key: `NotFound`.
   * - Range: `bytes=a-b` (last byte past the end clamped to the end), `bytes=a-`, `bytes=-n`
   *   (a suffix longer than the object returns the whole object). A malformed spec (negative
   *   or fractional bound, `b < a`) raises `InvalidArgument` before any I/O. Start ≥ size, a
   *   suffix of 0, or any range of an empty object raises `InvalidRange` (416,
   *   `Content-Range: bytes *\/size`).
   * - Conditions in RFC 9110 §13.2.2 order, evaluated before the range: If-Match fails →
   *   `PreconditionFailed`; else If-Unmodified-Since fails → `PreconditionFailed`;
   *   If-None-Match matches → `NotModified`; else If-Modified-Since not newer → `NotModified`.
   */
  getObject(key: string, options?: GetObjectOptions): Promise<GetObjectResult>;

  /**
   * {@link getObject} read to bytes: the object (or the range) in memory, with the same
   * options, codes and conditions. Larger than `options.maxBytes` (default
   * {@link GET_OBJECT_BYTES_DEFAULT_MAX_BYTES}) raises `EntityTooLarge`, the body released
   * unread. The object-store counterpart of {@link KeyValueStore.get}.
   *
   * @example
   * ```ts
   * const csv = await files.getObjectText("report.csv");
   * const head = await files.getObjectBytes("report.csv", { range: { first: 0, last: 3 } });
   * ```
   */
  getObjectBytes(key: string, options?: GetObjectBytesOptions): Promise<Uint8Array>;

  /** {@link getObjectBytes} decoded as UTF-8 (invalid sequences raise `InvalidArgument`), as {@link KeyValueStore.getText}. */
  getObjectText(key: string, options?: GetObjectBytesOptions): Promise<string>;

  /** {@link getObjectText} parsed as JSON (invalid JSON raises `InvalidArgument`), as {@link KeyValueStore.getJson}. */
  getObjectJson<T = unknown>(key: string, options?: GetObjectBytesOptions): Promise<T>;

  /** The object's info without its body; `NotFound` when missing; conditions as in {@link getObject}. */
  headObject(key: string, options?: HeadObjectOptions): Promise<ObjectInfo>;

  /** Removes an object. Deleting an absent key resolves (normalized across providers: KS3 answers 404). */
  deleteObject(key: string, options?: CallOptions): Promise<void>;

  /**
   * Server-side copy. Missing source: `NotFound`. Copy-source conditions as in the seed
   * document: if-match / if-unmodified-since fail → `PreconditionFailed`; if-none-match /
   * if-modified-since fail → `NotModified`. A source over `limits.copyObjectMaxSourceBytes`
   * raises `EntityTooLarge`. A copy onto itself that changes nothing (same key, no new
   * metadata, content type or SSE-C key) raises `InvalidArgument`, as S3 and KS3 refuse it.
   */
  copyObject(key: string, options: CopyObjectOptions): Promise<CopyObjectResult>;

  /**
   * One page of objects in ascending UTF-8 byte order of key; `limit` beyond the manifest or a
   * cursor this listing did not issue raises `InvalidArgument`. Paging to the end yields every
   * key that existed for the whole listing exactly once.
   */
  listObjects(options?: ListObjectsOptions): Promise<ListObjectsPage>;

  /** Every object (optionally under `prefix`), fetching pages as the iteration proceeds. */
  objects(options?: Omit<ListObjectsOptions, "cursor" | "delimiter">): AsyncIterable<ObjectSummary>;

  /** Starts a multipart upload; nothing is visible at `key` until Complete. */
  createMultipartUpload(key: string, options?: CreateMultipartUploadOptions): Promise<MultipartUpload>;

  /**
   * Uploads (or overwrites) one part; resolves its number and quoted ETag for Complete. Part
   * number outside `limits.multipartMinPartNumber..multipartMaxPartNumber` raises
   * `InvalidPartNumber`; a body over `limits.multipartMaxPartBytes` raises `EntityTooLarge`;
   * an unknown, completed or aborted upload, or one created for another key, raises
   * `UploadNotFound`.
   */
  uploadPart(key: string, uploadId: string, partNumber: number, body: BodyInput, options?: UploadPartOptions): Promise<CompletedPart>;

  /**
   * Uploads one part by copying (a range of) an existing object (seed: KS3 UploadPartCopy).
   * A range that is not `{ first, last }` with integers `0 ≤ first ≤ last` (a reversed
   * `bytes=9-3`, an open-ended or a suffix range) raises `InvalidArgument` before any I/O; one
   * longer than `limits.multipartMaxPartBytes` raises `EntityTooLarge`; a well-formed range
   * with `last ≥` the source's size raises `InvalidRange` (416). A missing source raises
   * `NotFound`; conditions as in {@link copyObject}; `InvalidPartNumber` and `UploadNotFound`
   * as in {@link uploadPart}.
   */
  uploadPartCopy(key: string, uploadId: string, partNumber: number, options: UploadPartCopyOptions): Promise<UploadPartCopyResult>;

  /**
   * Assembles the listed parts into the object, replacing any object at `key`; the upload is
   * gone afterwards. The list must be non-empty (`InvalidArgument`, as S3 answers
   * MalformedXML), ascending without duplicates (`InvalidPartOrder`), contiguous from
   * `limits.multipartMinPartNumber` where `limits.multipartPartNumbersContiguous`
   * (`InvalidPartOrder`), name uploaded parts with their current ETags (`InvalidPart`), and
   * every part but the last must be ≥ `limits.multipartMinPartBytes` (`EntityTooSmall`).
   * `ifNoneMatch` / `ifMatch` make it a conditional write, judged atomically with the commit
   * (see {@link CompleteMultipartUploadOptions}).
   */
  completeMultipartUpload(key: string, uploadId: string, parts: CompletedPart[], options?: CompleteMultipartUploadOptions): Promise<CompleteMultipartUploadResult>;

  /** Discards an upload and its parts; afterwards every call on it raises `UploadNotFound`. */
  abortMultipartUpload(key: string, uploadId: string, options?: CallOptions): Promise<void>;

  /** One page of an upload's parts, ascending by part number; `UploadNotFound` as in {@link uploadPart}. */
  listParts(key: string, uploadId: string, options?: ListPartsOptions): Promise<ListPartsPage>;

  /** One page of open uploads, ordered by key, then initiation. */
  listMultipartUploads(options?: ListMultipartUploadsOptions): Promise<ListMultipartUploadsPage>;

  /**
   * Signs `method` on `key` for someone without credentials: resolves the URL and the headers
   * they must send (see {@link PresignedRequest}). No request is made, so nothing is checked
   * against the object (a GET URL for a missing key answers 404 when used). `Unsupported`
   * unless `limits.presign`; `InvalidArgument` for another method, an `expiresInSeconds` that
   * is not an integer from 1 to `limits.presignMaxExpiresInSeconds`, `contentType` or
   * `metadata` on anything but `PUT`, `range` on anything but `GET`, or metadata and content
   * type breaking the rules of {@link PutObjectOptions}.
   *
   * Key-value stores have no counterpart: none of their providers hands out URLs.
   *
   * @example
   * ```ts
   * const { url, headers } = await files.presign("PUT", "uploads/a.png", { expiresInSeconds: 900, contentType: "image/png" });
   * // give url and headers to a browser; it PUTs the bytes itself
   * ```
   */
  presign(method: PresignMethod, key: string, options: PresignOptions): Promise<PresignedRequest>;

  /** Releases connections and timers; later calls raise `InvalidArgument`, a second close resolves. */
  close(): Promise<void>;
}

/**
 * The implementor surface for object stores. The facade ({@link createMultipartObjectStore})
 * validates keys, part numbers, page sizes, capabilities and range syntax first, and turns
 * bodies into a {@link NormalizedBody}; drivers implement the provider's semantics and raise
 * {@link StorageError} only.
 */
export interface MultipartObjectStoreDriver {
  /** The manifest the validation layer checks arguments against and the conformance suite holds the driver to. */
  readonly limits: ObjectStoreLimits;
  /** The provider and bucket the store's error messages name, e.g. `{ provider: "ks3", bucket: "reports" }`. */
  readonly target?: StoreTarget;
  /**
   * Stores the body as the whole object, replacing any object at `key` with its metadata;
   * resolves the quoted ETag. The body arrives bounded to `putObjectMaxBytes` and, when it
   * declares a length, checked against it as it streams.
   */
  putObject(key: string, body: NormalizedBody, options: Omit<PutObjectOptions, "signal" | "contentLength">, ctx: DriverCallContext): Promise<PutObjectResult>;
  /**
   * The object or one range of it, as {@link MultipartObjectStore.getObject}: `NotFound`,
   * then the conditions (read mode), then the range against the size (`InvalidRange`). The
   * range arrives well-formed; `range` in the result is set only for a partial answer.
   */
  getObject(key: string, options: Omit<GetObjectOptions, "signal">, ctx: DriverCallContext): Promise<GetObjectResult>;
  /** {@link getObject}'s info without a body; the same conditions and errors. */
  headObject(key: string, options: Omit<HeadObjectOptions, "signal">, ctx: DriverCallContext): Promise<ObjectInfo>;
  /** Removes the object; resolves when it was absent (a provider's 404 for the key is swallowed, `BucketNotFound` is not). */
  deleteObject(key: string, ctx: DriverCallContext): Promise<void>;
  /**
   * Server-side copy onto `key`, as {@link MultipartObjectStore.copyObject}. The source's
   * SSE-C key and the conditions (copy-source mode) are checked against the source; a failed
   * if-none-match / if-modified-since is `NotModified` even where the provider answers 412.
   */
  copyObject(key: string, options: Omit<CopyObjectOptions, "signal">, ctx: DriverCallContext): Promise<CopyObjectResult>;
  /**
   * One page in ascending UTF-8 byte order of key. `limit` arrives within the manifest's page
   * size (absent: use that maximum); a `cursor` this driver did not issue raises `InvalidArgument`.
   */
  listObjects(request: Omit<ListObjectsOptions, "signal">, ctx: DriverCallContext): Promise<ListObjectsPage>;
  /** Opens an upload; `contentType`, `metadata` and `sseC` are those of the completed object. */
  createMultipartUpload(key: string, options: Omit<CreateMultipartUploadOptions, "signal">, ctx: DriverCallContext): Promise<MultipartUpload>;
  /**
   * Stores part `partNumber`, replacing an earlier upload of that number; resolves its quoted
   * ETag. The body arrives bounded to `multipartMaxPartBytes`. `UploadNotFound` for an id
   * that is unknown, completed, aborted or of another key.
   */
  uploadPart(key: string, uploadId: string, partNumber: number, body: NormalizedBody, options: Omit<UploadPartOptions, "signal" | "contentLength">, ctx: DriverCallContext): Promise<CompletedPart>;
  /**
   * Stores (a range of) the source as part `partNumber`. The range arrives as integers
   * `0 ≤ first ≤ last`; `last ≥` the source's size raises `InvalidRange` (see
   * {@link resolveCopySourceRange}). Source checks as in {@link copyObject}.
   */
  uploadPartCopy(key: string, uploadId: string, partNumber: number, options: Omit<UploadPartCopyOptions, "signal">, ctx: DriverCallContext): Promise<UploadPartCopyResult>;
  /**
   * Assembles the parts into the object, replacing any at `key`, and ends the upload. The
   * list arrives non-empty, strictly ascending and, where the manifest says so, contiguous.
   * A part not uploaded or named with a stale ETag (compared quoted) raises `InvalidPart`; a
   * non-last part under `multipartMinPartBytes` raises `EntityTooSmall`. The conditions
   * arrive only when the manifest claims `completeMultipartUploadWithConditions`, well-formed;
   * they are judged in the same atomic step as the commit (core's `checkWriteConditions`), and a
   * failure leaves the upload open.
   */
  completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: CompletedPart[],
    options: Omit<CompleteMultipartUploadOptions, "signal">,
    ctx: DriverCallContext,
  ): Promise<CompleteMultipartUploadResult>;
  /** Discards the upload and its parts; `UploadNotFound` as in {@link uploadPart}. */
  abortMultipartUpload(key: string, uploadId: string, ctx: DriverCallContext): Promise<void>;
  /** One page of parts, ascending by part number; `limit` and `cursor` as in {@link listObjects}. */
  listParts(key: string, uploadId: string, request: Omit<ListPartsOptions, "signal">, ctx: DriverCallContext): Promise<ListPartsPage>;
  /** One page of open uploads ordered by key, then initiation; `limit` and `cursor` as in {@link listObjects}. */
  listMultipartUploads(request: Omit<ListMultipartUploadsOptions, "signal">, ctx: DriverCallContext): Promise<ListMultipartUploadsPage>;
  /**
   * Signs `method` on `key` (see {@link MultipartObjectStore.presign}); present exactly when
   * the manifest claims `presign`. Arguments arrive checked against the manifest:
   * `expiresInSeconds` an integer within `presignMaxExpiresInSeconds`, `contentType` and
   * `metadata` only for `PUT` and valid, `range` only for `GET` and well-formed. A driver
   * without URLs (memory, fs) leaves it out and declares `presign: false`.
   */
  presign?(method: PresignMethod, key: string, options: Omit<PresignOptions, "signal">, ctx: DriverCallContext): Promise<PresignedRequest>;
  /** Releases connections and timers; the facade's `close` calls it once. */
  close?(): Promise<void>;
}
