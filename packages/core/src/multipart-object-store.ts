import type { BodyInput, NormalizedBody } from "./body.js";
import type { CallOptions, DriverCallContext } from "./key-value-store.js";
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
  key: string;
  /** Size of the whole object in bytes. */
  size: number;
  /** The ETag in its HTTP form, with double quotes: `"d41d8cd98f00b204e9800998ecf8427e"`, or `"…-N"` for multipart. */
  etag: string;
  lastModified: Date;
  contentType?: string;
  /** User metadata, lower-case names without the provider prefix. */
  metadata: Record<string, string>;
}

/** Options of {@link MultipartObjectStore.putObject}. */
export interface PutObjectOptions extends CallOptions {
  contentType?: string;
  metadata?: Record<string, string>;
  /** Declared length of a stream body; required by some providers for a single PUT. A mismatch raises `InvalidArgument`. */
  contentLength?: number;
  sseC?: SseCustomerKey;
}

/** Result of a write that creates an object. */
export interface PutObjectResult {
  etag: string;
}

/** Options of {@link MultipartObjectStore.getObject}. The four conditions follow RFC 9110 §13.2.2. */
export interface GetObjectOptions extends CallOptions, Preconditions {
  /** One byte range; see {@link ByteRangeSpec}. */
  range?: ByteRangeSpec;
  sseC?: SseCustomerKey;
}

/** A streamed object body. Nothing is buffered unless the caller reads it to bytes. */
export interface GetObjectResult {
  info: ObjectInfo;
  /** The bytes of the selected range (or the whole object), streamed. Must be consumed or cancelled. */
  body: ReadableStream<Uint8Array>;
  /** Bytes in `body`. */
  contentLength: number;
  /** The resolved range when the answer is partial (206); absent for a whole-object answer. */
  range?: ResolvedRange;
}

/** Options of {@link MultipartObjectStore.headObject}. */
export interface HeadObjectOptions extends CallOptions, Preconditions {
  sseC?: SseCustomerKey;
}

/** Where a copy reads from. */
export interface CopySource {
  /** Another bucket; default: this store's bucket. Needs `limits.copyAcrossBuckets`. */
  bucket?: string;
  key: string;
  /** The source's SSE-C key, when the source is encrypted with one. */
  sseC?: SseCustomerKey;
}

/** Options of {@link MultipartObjectStore.copyObject}. The conditions apply to the source. */
export interface CopyObjectOptions extends CallOptions, Preconditions {
  source: CopySource;
  /** Replace the metadata instead of copying the source's. */
  metadata?: Record<string, string>;
  contentType?: string;
  sseC?: SseCustomerKey;
}

/** Result of a server-side copy. */
export interface CopyObjectResult {
  etag: string;
  lastModified: Date;
}

/** Options of {@link MultipartObjectStore.listObjects}. */
export interface ListObjectsOptions extends CallOptions {
  prefix?: string;
  /** Groups keys sharing the part up to the delimiter into `commonPrefixes`. */
  delimiter?: string;
  limit?: number;
  cursor?: string;
}

/** One object in a listing. */
export interface ObjectSummary {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
}

/** One page of {@link MultipartObjectStore.listObjects}. */
export interface ListObjectsPage {
  objects: ObjectSummary[];
  commonPrefixes: string[];
  cursor?: string;
}

/** Options of {@link MultipartObjectStore.createMultipartUpload}. */
export interface CreateMultipartUploadOptions extends CallOptions {
  contentType?: string;
  metadata?: Record<string, string>;
  sseC?: SseCustomerKey;
}

/** An open multipart upload. */
export interface MultipartUpload {
  key: string;
  uploadId: string;
}

/** Options of {@link MultipartObjectStore.uploadPart}. */
export interface UploadPartOptions extends CallOptions {
  /** Declared length of a stream body (some providers need it up front). */
  contentLength?: number;
  /** Must equal the key the upload was created with. */
  sseC?: SseCustomerKey;
}

/** A part as Complete wants it. */
export interface CompletedPart {
  partNumber: number;
  etag: string;
}

/** Options of {@link MultipartObjectStore.uploadPartCopy}: a source, a range and the seed's four conditions. */
export interface UploadPartCopyOptions extends CallOptions, Preconditions {
  source: CopySource;
  /** `bytes=first-last`, both required, 0-based, inclusive, inside the source; default: the whole source. */
  range?: CopySourceRange;
  /** The destination upload's SSE-C key. */
  sseC?: SseCustomerKey;
}

/** Result of {@link MultipartObjectStore.uploadPartCopy} (`<CopyPartResult>`). */
export interface UploadPartCopyResult {
  partNumber: number;
  etag: string;
  lastModified: Date;
}

/** Result of {@link MultipartObjectStore.completeMultipartUpload}. */
export interface CompleteMultipartUploadResult {
  key: string;
  /** `"<hex md5 of the concatenated binary part md5s>-N"` on S3-family providers; treat as opaque. */
  etag: string;
}

/** Options of {@link MultipartObjectStore.listParts}. */
export interface ListPartsOptions extends CallOptions {
  limit?: number;
  cursor?: string;
}

/** One uploaded part. */
export interface PartInfo {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: Date;
}

/** One page of {@link MultipartObjectStore.listParts}, ascending by part number. */
export interface ListPartsPage {
  parts: PartInfo[];
  cursor?: string;
}

/** Options of {@link MultipartObjectStore.listMultipartUploads}. */
export interface ListMultipartUploadsOptions extends CallOptions {
  prefix?: string;
  limit?: number;
  cursor?: string;
}

/** One open upload in a listing. */
export interface MultipartUploadSummary {
  key: string;
  uploadId: string;
  initiated: Date;
}

/** One page of {@link MultipartObjectStore.listMultipartUploads}, ordered by key then initiation. */
export interface ListMultipartUploadsPage {
  uploads: MultipartUploadSummary[];
  cursor?: string;
}

/**
 * One bucket of objects, with multipart uploads and server-side copy. Every method raises
 * {@link StorageError} and nothing else.
 *
 * Codes common to every method: `InvalidKey` / `KeyTooLong` for a bad key, `BucketNotFound`
 * when the bucket is gone, `Aborted` when the signal fires, `Unsupported` for a capability the
 * manifest says is absent.
 */
export interface MultipartObjectStore {
  readonly limits: ObjectStoreLimits;

  /** Creates or overwrites an object. A body over `limits.putObjectMaxBytes` raises `EntityTooLarge`. */
  putObject(key: string, body: BodyInput, options?: PutObjectOptions): Promise<PutObjectResult>;

  /**
   * Streams an object or one range of it.
   * - Missing key: `NotFound`.
   * - Range: `bytes=a-b` (last byte past the end clamped to the end), `bytes=a-`, `bytes=-n`
   *   (a suffix longer than the object returns the whole object). Start ≥ size, a suffix of 0,
   *   or any range of an empty object raises `InvalidRange` (416, `Content-Range: bytes *\/size`).
   * - Conditions in RFC 9110 §13.2.2 order: If-Match fails → `PreconditionFailed`; else
   *   If-Unmodified-Since fails → `PreconditionFailed`; If-None-Match matches → `NotModified`;
   *   else If-Modified-Since not newer → `NotModified`.
   */
  getObject(key: string, options?: GetObjectOptions): Promise<GetObjectResult>;

  /** The object's info without its body; `NotFound` when missing; conditions as in {@link getObject}. */
  headObject(key: string, options?: HeadObjectOptions): Promise<ObjectInfo>;

  /** Removes an object. Deleting an absent key resolves (normalized across providers: KS3 answers 404). */
  deleteObject(key: string, options?: CallOptions): Promise<void>;

  /**
   * Server-side copy. Missing source: `NotFound`. Copy-source conditions as in the seed
   * document: if-match / if-unmodified-since fail → `PreconditionFailed`; if-none-match /
   * if-modified-since fail → `NotModified`. A source over `limits.copyObjectMaxSourceBytes`
   * raises `EntityTooLarge`.
   */
  copyObject(key: string, options: CopyObjectOptions): Promise<CopyObjectResult>;

  /** One page of objects in ascending key order; `limit` beyond the manifest raises `InvalidArgument`. */
  listObjects(options?: ListObjectsOptions): Promise<ListObjectsPage>;

  /** Every object (optionally under `prefix`), fetching pages as the iteration proceeds. */
  objects(options?: Omit<ListObjectsOptions, "cursor" | "delimiter">): AsyncIterable<ObjectSummary>;

  /** Starts a multipart upload. */
  createMultipartUpload(key: string, options?: CreateMultipartUploadOptions): Promise<MultipartUpload>;

  /**
   * Uploads (or overwrites) one part. Part number outside
   * `limits.multipartMinPartNumber..multipartMaxPartNumber` raises `InvalidPartNumber`; an
   * unknown, completed or aborted upload raises `UploadNotFound`.
   */
  uploadPart(key: string, uploadId: string, partNumber: number, body: BodyInput, options?: UploadPartOptions): Promise<CompletedPart>;

  /**
   * Uploads one part by copying (a range of) an existing object (seed: KS3 UploadPartCopy).
   * A range that is not `first ≤ last < sourceSize` raises `InvalidRange`; a missing source
   * `NotFound`; conditions as in {@link copyObject}; `UploadNotFound` as in {@link uploadPart}.
   */
  uploadPartCopy(key: string, uploadId: string, partNumber: number, options: UploadPartCopyOptions): Promise<UploadPartCopyResult>;

  /**
   * Assembles the listed parts into the object. The list must be non-empty (`InvalidArgument`,
   * as S3 answers MalformedXML), ascending without duplicates (`InvalidPartOrder`), contiguous from 1 where `limits.multipartPartNumbersContiguous`
   * (`InvalidPartOrder`), name uploaded parts with their current ETags (`InvalidPart`), and every
   * part but the last must be ≥ `limits.multipartMinPartBytes` (`EntityTooSmall`).
   */
  completeMultipartUpload(key: string, uploadId: string, parts: CompletedPart[], options?: CallOptions): Promise<CompleteMultipartUploadResult>;

  /** Discards an upload and its parts; afterwards every call on it raises `UploadNotFound`. */
  abortMultipartUpload(key: string, uploadId: string, options?: CallOptions): Promise<void>;

  /** One page of an upload's parts. */
  listParts(key: string, uploadId: string, options?: ListPartsOptions): Promise<ListPartsPage>;

  /** One page of open uploads. */
  listMultipartUploads(options?: ListMultipartUploadsOptions): Promise<ListMultipartUploadsPage>;

  /** Releases connections and timers. */
  close(): Promise<void>;
}

/**
 * The implementor surface for object stores. The facade ({@link createMultipartObjectStore})
 * validates keys, part numbers, page sizes, capabilities and range syntax first, and turns
 * bodies into a {@link NormalizedBody}; drivers implement the provider's semantics and raise
 * {@link StorageError} only.
 */
export interface MultipartObjectStoreDriver {
  readonly limits: ObjectStoreLimits;
  putObject(key: string, body: NormalizedBody, options: Omit<PutObjectOptions, "signal" | "contentLength">, ctx: DriverCallContext): Promise<PutObjectResult>;
  getObject(key: string, options: Omit<GetObjectOptions, "signal">, ctx: DriverCallContext): Promise<GetObjectResult>;
  headObject(key: string, options: Omit<HeadObjectOptions, "signal">, ctx: DriverCallContext): Promise<ObjectInfo>;
  deleteObject(key: string, ctx: DriverCallContext): Promise<void>;
  copyObject(key: string, options: Omit<CopyObjectOptions, "signal">, ctx: DriverCallContext): Promise<CopyObjectResult>;
  listObjects(request: Omit<ListObjectsOptions, "signal">, ctx: DriverCallContext): Promise<ListObjectsPage>;
  createMultipartUpload(key: string, options: Omit<CreateMultipartUploadOptions, "signal">, ctx: DriverCallContext): Promise<MultipartUpload>;
  uploadPart(key: string, uploadId: string, partNumber: number, body: NormalizedBody, options: Omit<UploadPartOptions, "signal" | "contentLength">, ctx: DriverCallContext): Promise<CompletedPart>;
  uploadPartCopy(key: string, uploadId: string, partNumber: number, options: Omit<UploadPartCopyOptions, "signal">, ctx: DriverCallContext): Promise<UploadPartCopyResult>;
  completeMultipartUpload(key: string, uploadId: string, parts: CompletedPart[], ctx: DriverCallContext): Promise<CompleteMultipartUploadResult>;
  abortMultipartUpload(key: string, uploadId: string, ctx: DriverCallContext): Promise<void>;
  listParts(key: string, uploadId: string, request: Omit<ListPartsOptions, "signal">, ctx: DriverCallContext): Promise<ListPartsPage>;
  listMultipartUploads(request: Omit<ListMultipartUploadsOptions, "signal">, ctx: DriverCallContext): Promise<ListMultipartUploadsPage>;
  close?(): Promise<void>;
}
