/**
 * The memory object store: S3-family semantics (KS3's limits by default) without the network.
 * A {@link MemoryObjectWorld} holds several buckets, so a copy can name another bucket.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  StorageError,
  abortedError,
  checkPreconditions,
  checkWriteConditions,
  concatBytes,
  createMultipartObjectStore,
  callWithErrorContext,
  checkEmulatedPartNumber,
  lowerCaseMetadataNames,
  chooseCompletedParts,
  rangeLength,
  readBytes,
  resolveCopySourceRange,
  resolveRange,
  systemClock,
  throwIfAborted,
  transportSignal,
  type Clock,
  type CompleteMultipartUploadOptions,
  type CompleteMultipartUploadResult,
  type CompletedPart,
  type CopyObjectOptions,
  type CopyObjectResult,
  type CopySource,
  type CreateMultipartUploadOptions,
  type DriverCallContext,
  type ErrorContext,
  type GetObjectOptions,
  type GetObjectResult,
  type HeadObjectOptions,
  type ListMultipartUploadsOptions,
  type ListMultipartUploadsPage,
  type ListObjectsOptions,
  type ListObjectsPage,
  type ListPartsOptions,
  type ListPartsPage,
  type MultipartObjectStore,
  type MultipartObjectStoreDriver,
  type MultipartUpload,
  type NormalizedBody,
  type ObjectInfo,
  type ObjectStoreLimits,
  type ObjectSummary,
  type PreconditionTarget,
  type Preconditions,
  type PutObjectOptions,
  type PutObjectResult,
  type ResolvedRange,
  type UploadPartCopyOptions,
  type UploadPartCopyResult,
  type UploadPartOptions,
  compareUtf8,
  DEFAULT_CONTENT_TYPE,
  type StoreTarget,
  decodeListCursor,
  encodeListCursor,
  listPageSize,
} from "@stowage/core";
import type { MemoryObjectStoreOptions } from "./config.js";
import {
  bucketNotFound,
  entityTooLarge,
  invalidArgument,
  memoryErrors,
  objectNotFound,
  uploadNotFound,
} from "./errors.js";
import { SortedKeys } from "./key-order.js";
import { MEMORY_OBJECT_LIMITS } from "./limits.js";
import { checkCustomerKey, customerKeyMd5 } from "./sse-customer-key.js";

/**
 * One stored object. `data` is never mutated after it is stored (an overwrite replaces the
 * record), so a read in progress keeps streaming the version it started with.
 */
interface StoredObject {
  data: Uint8Array;
  etag: string;
  lastModified: number;
  contentType: string | undefined;
  metadata: Record<string, string>;
  /** Base64 MD5 of the SSE-C key the object is encrypted with; the key itself is never kept. */
  sseKeyMd5: string | undefined;
}

/** One uploaded part. */
interface StoredPart {
  data: Uint8Array;
  /** Binary MD5, which the multipart ETag is computed from. */
  md5: Buffer;
  etag: string;
  lastModified: number;
}

/** One open multipart upload. */
interface Upload {
  key: string;
  uploadId: string;
  initiated: number;
  contentType: string | undefined;
  metadata: Record<string, string>;
  sseKeyMd5: string | undefined;
  parts: Map<number, StoredPart>;
}

/** One bucket: its objects in key order and its open uploads. */
class Bucket {
  readonly objects = new Map<string, StoredObject>();
  readonly order = new SortedKeys();
  readonly uploads = new Map<string, Upload>();
}

/** The buckets of each world, kept out of the world's public surface. */
const bucketsOf = new WeakMap<MemoryObjectWorld, Map<string, Bucket>>();

/**
 * A set of named buckets, the memory counterpart of one account on one endpoint: stores
 * created on the same world can copy from each other's buckets.
 */
export class MemoryObjectWorld {
  constructor() {
    bucketsOf.set(this, new Map());
  }

  /** Creates an empty bucket; an existing bucket is left as it is. */
  createBucket(name: string): void {
    const buckets = bucketsOf.get(this)!;
    if (!buckets.has(name)) buckets.set(name, new Bucket());
  }

  /** Deletes a bucket with its objects and uploads; resolves whether it existed. Later calls on it raise `BucketNotFound`. */
  dropBucket(name: string): boolean {
    return bucketsOf.get(this)!.delete(name);
  }

  /** Whether the bucket exists. */
  hasBucket(name: string): boolean {
    return bucketsOf.get(this)!.has(name);
  }

  /** The bucket names, in UTF-8 byte order. */
  bucketNames(): string[] {
    return [...bucketsOf.get(this)!.keys()].sort(compareUtf8);
  }
}

function bucketIn(world: MemoryObjectWorld, name: string, context: ErrorContext): Bucket {
  const bucket = bucketsOf.get(world)!.get(name);
  if (bucket === undefined) throw bucketNotFound(name, context);
  return bucket;
}

/** Bytes handed to a reader per chunk: big enough to be cheap, small enough to interleave. */
const STREAM_CHUNK_BYTES = 64 * 1024;

/**
 * A {@link MultipartObjectStoreDriver} over one bucket of a {@link MemoryObjectWorld}.
 *
 * Every rule the facade checks that also decides the outcome of a stored state is checked
 * here again (part numbers, part sizes, SSE-C keys, copy-source limits), so a test that
 * drives the driver directly sees the provider's answer, not a silent success.
 */
export class MemoryObjectStoreDriver implements MultipartObjectStoreDriver {
  /** The manifest this store keeps: KS3's limits unless the options give others. */
  readonly limits: ObjectStoreLimits;
  /** The bucket this store serves. */
  readonly bucket: string;
  /** The buckets copy sources are looked up in. */
  readonly world: MemoryObjectWorld;
  private readonly clock: Clock;

  constructor(options: Omit<MemoryObjectStoreOptions, "layers"> = {}) {
    this.limits = options.limits ?? MEMORY_OBJECT_LIMITS;
    this.bucket = options.bucket ?? "default";
    this.world = options.world ?? new MemoryObjectWorld();
    this.clock = options.clock ?? systemClock;
    this.world.createBucket(this.bucket);
  }

  /** What error messages name: `memory` and this store's bucket. */
  get target(): StoreTarget {
    return { provider: "memory", bucket: this.bucket };
  }

  /** Deletes this store's bucket: every later call raises `BucketNotFound`. */
  dropBucket(): void {
    this.world.dropBucket(this.bucket);
  }

  /** Reads the body (honouring the signal) and stores it in one step; an aborted or failed read stores nothing. */
  async putObject(
    key: string,
    body: NormalizedBody,
    options: Omit<PutObjectOptions, "signal" | "contentLength">,
    ctx: DriverCallContext,
  ): Promise<PutObjectResult> {
    const context = { operation: "putObject", key };
    this.enter(ctx, context);
    const sseKeyMd5 = customerKeyMd5(options.sseC, context);
    const data = await readBody(body, this.limits.putObjectMaxBytes, "object", ctx, context);
    // The body took time to arrive: the signal or the bucket may have gone meanwhile, and
    // then nothing is stored.
    const bucket = this.enter(ctx, context);
    // A conditional write (S3, 2024) is judged in the same turn as the write, after the body has
    // arrived, so of two concurrent creators with ifNoneMatch "*" exactly one wins.
    checkWriteConditions(options, this.writeTarget(bucket, key), context);
    const object = this.store(bucket, key, data, md5Etag(data), { contentType: options.contentType, metadata: options.metadata, sseKeyMd5 });
    return { etag: object.etag };
  }

  /** Streams the object or the range a chunk at a time; firing the signal while the body is read errors it with `Aborted`. */
  async getObject(key: string, options: Omit<GetObjectOptions, "signal">, ctx: DriverCallContext): Promise<GetObjectResult> {
    const context = { operation: "getObject", key };
    const object = this.readable(this.enter(ctx, context), key, options, context);
    const info = infoOf(key, object);
    if (options.range === undefined) {
      return { info, body: streamOf(object.data, 0, object.data.byteLength, ctx.signal), contentLength: object.data.byteLength };
    }
    const range = callWithErrorContext(() => resolveRange(options.range!, object.data.byteLength), context);
    return { info, body: streamOf(object.data, range.start, range.end + 1, ctx.signal), contentLength: rangeLength(range), range };
  }

  /** The object's info, after the SSE-C key and the read conditions are checked. */
  async headObject(key: string, options: Omit<HeadObjectOptions, "signal">, ctx: DriverCallContext): Promise<ObjectInfo> {
    const context = { operation: "headObject", key };
    return infoOf(key, this.readable(this.enter(ctx, context), key, options, context));
  }

  /** Removes the object; an absent key resolves. */
  async deleteObject(key: string, ctx: DriverCallContext): Promise<void> {
    const bucket = this.enter(ctx, { operation: "deleteObject", key });
    // Deleting an absent key resolves: S3 answers 204; KS3's legacy 404 is normalized away
    // by the contract.
    bucket.objects.delete(key);
    bucket.order.delete(key);
  }

  /** Copies from this bucket or (where the manifest allows) another bucket of the same world. */
  async copyObject(key: string, options: Omit<CopyObjectOptions, "signal">, ctx: DriverCallContext): Promise<CopyObjectResult> {
    const context = { operation: "copyObject", key };
    const bucket = this.enter(ctx, context);
    const sseKeyMd5 = customerKeyMd5(options.sseC, context);
    const { bucketName, object: source } = this.copySource(options.source, options, context);
    if (source.data.byteLength > this.limits.copyObjectMaxSourceBytes) {
      // KS3 PUT Object Copy: "Source object must be ≤ 1 GB; use Upload Part Copy above that."
      throw entityTooLarge(this.limits.copyObjectMaxSourceBytes, "copy source", context);
    }
    const unchanged =
      bucketName === this.bucket &&
      options.source.key === key &&
      options.metadata === undefined &&
      options.contentType === undefined &&
      sseKeyMd5 === source.sseKeyMd5;
    if (unchanged) {
      // S3 and KS3 both refuse a copy onto itself that changes nothing (400 InvalidRequest).
      throw invalidArgument("An object cannot be copied onto itself without changing its metadata or encryption", context, "InvalidRequest");
    }
    // Either attribute given replaces both, as S3's REPLACE directive does.
    const replace = options.metadata !== undefined || options.contentType !== undefined;
    const object = this.store(bucket, key, source.data, md5Etag(source.data), {
      contentType: replace ? options.contentType : source.contentType,
      metadata: replace ? options.metadata : source.metadata,
      sseKeyMd5,
    });
    return { etag: object.etag, lastModified: new Date(object.lastModified) };
  }

  /** One page of keys in UTF-8 byte order, rolling keys up at the delimiter into common prefixes. */
  async listObjects(request: Omit<ListObjectsOptions, "signal">, ctx: DriverCallContext): Promise<ListObjectsPage> {
    const context = { operation: "listObjects" };
    const bucket = this.enter(ctx, context);
    const prefix = request.prefix ?? "";
    const delimiter = request.delimiter === "" ? undefined : request.delimiter;
    const maxPage = delimiter === undefined ? this.limits.listObjectsMaxPageSize : this.limits.listObjectsWithDelimiterMaxPageSize;
    const limit = listPageSize(request.limit, maxPage, maxPage);

    let start: { from: string } | { after: string } = { from: prefix };
    // The common prefix the previous page ended with: its keys were rolled up already.
    let rolledUp: string | undefined;
    if (request.cursor !== undefined) {
      const [cursorPrefix, cursorDelimiter, after, afterIsPrefix] = decodeListCursor(
        "memory",
        "objects",
        request.cursor,
        ["string", "string", "string", "boolean"],
        context.operation,
      ) as [string, string, string, boolean];
      if (cursorPrefix !== prefix || cursorDelimiter !== (delimiter ?? "")) {
        throw invalidArgument("The cursor belongs to a listing with another prefix or delimiter", context);
      }
      start = { after };
      if (afterIsPrefix) rolledUp = after;
    }

    const page: ListObjectsPage = { objects: [], commonPrefixes: [] };
    let last: { value: string; isPrefix: boolean } | undefined;
    let more = false;
    for (const key of bucket.order.from(start)) {
      if (!key.startsWith(prefix)) break;
      if (rolledUp !== undefined && key.startsWith(rolledUp)) continue;
      const cut = delimiter === undefined ? -1 : key.indexOf(delimiter, prefix.length);
      if (page.objects.length + page.commonPrefixes.length === limit) {
        more = true;
        break;
      }
      if (cut >= 0) {
        rolledUp = key.slice(0, cut + delimiter!.length);
        page.commonPrefixes.push(rolledUp);
        last = { value: rolledUp, isPrefix: true };
      } else {
        const object = bucket.objects.get(key)!;
        page.objects.push(summaryOf(key, object));
        last = { value: key, isPrefix: false };
      }
    }
    if (more && last !== undefined) page.cursor = encodeListCursor("memory", "objects", [prefix, delimiter ?? "", last.value, last.isPrefix]);
    return page;
  }

  /** Opens an upload with a random id; its attributes are fixed now and applied on completion. */
  async createMultipartUpload(key: string, options: Omit<CreateMultipartUploadOptions, "signal">, ctx: DriverCallContext): Promise<MultipartUpload> {
    const context = { operation: "createMultipartUpload", key };
    const bucket = this.enter(ctx, context);
    const upload: Upload = {
      key,
      uploadId: randomBytes(16).toString("hex"),
      initiated: this.clock.now(),
      contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
      metadata: lowerCaseMetadataNames(options.metadata),
      sseKeyMd5: customerKeyMd5(options.sseC, context),
      parts: new Map(),
    };
    bucket.uploads.set(upload.uploadId, upload);
    return { key, uploadId: upload.uploadId };
  }

  /** Reads the body (honouring the signal) and stores the part; an aborted or failed read stores nothing. */
  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: NormalizedBody,
    options: Omit<UploadPartOptions, "signal" | "contentLength">,
    ctx: DriverCallContext,
  ): Promise<CompletedPart> {
    const context = { operation: "uploadPart", key };
    this.checkPartNumber(partNumber, context);
    const upload = this.upload(this.enter(ctx, context), key, uploadId, context);
    // KS3 doc 42473: the part's key "must equal the key used to initiate the upload".
    checkCustomerKey(upload.sseKeyMd5, options.sseC, "multipart upload", context);
    const data = await readBody(body, this.limits.multipartMaxPartBytes, "part", ctx, context);
    // The upload may have been completed or aborted while the body arrived.
    if (this.upload(this.enter(ctx, context), key, uploadId, context) !== upload) throw uploadNotFound(context);
    const part = this.storePart(upload, partNumber, data);
    return { partNumber, etag: part.etag };
  }

  /** Stores a copy of (a range of) an existing object as a part. */
  async uploadPartCopy(
    key: string,
    uploadId: string,
    partNumber: number,
    options: Omit<UploadPartCopyOptions, "signal">,
    ctx: DriverCallContext,
  ): Promise<UploadPartCopyResult> {
    const context = { operation: "uploadPartCopy", key };
    this.checkPartNumber(partNumber, context);
    const upload = this.upload(this.enter(ctx, context), key, uploadId, context);
    checkCustomerKey(upload.sseKeyMd5, options.sseC, "multipart upload", context);
    const { object: source } = this.copySource(options.source, options, context);
    const size = source.data.byteLength;
    // Seed: "Range setting must use bytes=first-last"; no range copies the whole object.
    const range: ResolvedRange | undefined =
      options.range === undefined ? undefined : callWithErrorContext(() => resolveCopySourceRange(options.range!, size), context);
    const data = range === undefined ? source.data : source.data.subarray(range.start, range.end + 1);
    if (data.byteLength > this.limits.multipartMaxPartBytes) throw entityTooLarge(this.limits.multipartMaxPartBytes, "part", context);
    const part = this.storePart(upload, partNumber, new Uint8Array(data));
    return { partNumber, etag: part.etag, lastModified: new Date(part.lastModified) };
  }

  /** Assembles the named parts into the object with an S3-style multipart ETag and closes the upload. */
  async completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: CompletedPart[],
    options: Omit<CompleteMultipartUploadOptions, "signal">,
    ctx: DriverCallContext,
  ): Promise<CompleteMultipartUploadResult> {
    const context = { operation: "completeMultipartUpload", key };
    const bucket = this.enter(ctx, context);
    const upload = this.upload(bucket, key, uploadId, context);
    const chosen = this.chooseParts(upload, parts, context);
    // Judged in the same synchronous turn as the store below, so of two concurrent Completes
    // with ifNoneMatch "*" exactly one wins; a failure leaves the upload open (S3: only a 409
    // ConditionalRequestConflict asks for a new upload).
    checkWriteConditions(options, this.writeTarget(bucket, key), context);
    const data = concatBytes(chosen.map((p) => p.data));
    // S3's multipart ETag (KS3 documents none): md5 of the concatenated binary part MD5s,
    // then "-" and the part count (ks3-api.md §6.1; s3-tests vector b2add96c…-3).
    const digest = createHash("md5").update(Buffer.concat(chosen.map((p) => p.md5))).digest("hex");
    const etag = `"${digest}-${chosen.length}"`;
    this.store(bucket, key, data, etag, upload);
    // KS3 doc 42469: "after this operation the UploadId becomes invalid".
    bucket.uploads.delete(uploadId);
    return { key, etag };
  }

  /** Discards the upload and its parts. */
  async abortMultipartUpload(key: string, uploadId: string, ctx: DriverCallContext): Promise<void> {
    const context = { operation: "abortMultipartUpload", key };
    const bucket = this.enter(ctx, context);
    this.upload(bucket, key, uploadId, context);
    // A second abort raises UploadNotFound, as the contract says of every call after an
    // abort. KS3's legacy C-SDK test saw 204 for it (ks3-api.md §7 #12); callers that abort
    // on a failure path treat UploadNotFound as done.
    bucket.uploads.delete(uploadId);
  }

  /** One page of the upload's parts in part-number order. */
  async listParts(key: string, uploadId: string, request: Omit<ListPartsOptions, "signal">, ctx: DriverCallContext): Promise<ListPartsPage> {
    const context = { operation: "listParts", key };
    const upload = this.upload(this.enter(ctx, context), key, uploadId, context);
    const limit = listPageSize(request.limit, this.limits.listPartsMaxPageSize, this.limits.listPartsMaxPageSize);
    let after = 0;
    if (request.cursor !== undefined) {
      const [cursorUpload, marker] = decodeListCursor("memory", "parts", request.cursor, ["string", "number"], context.operation) as [string, number];
      if (cursorUpload !== uploadId) throw invalidArgument("The cursor belongs to another upload", context);
      after = marker;
    }
    const numbers = [...upload.parts.keys()].filter((n) => n > after).sort((a, b) => a - b);
    const page: ListPartsPage = {
      parts: numbers.slice(0, limit).map((partNumber) => {
        const part = upload.parts.get(partNumber)!;
        return { partNumber, etag: part.etag, size: part.data.byteLength, lastModified: new Date(part.lastModified) };
      }),
    };
    if (numbers.length > limit) page.cursor = encodeListCursor("memory", "parts", [uploadId, numbers[limit - 1]!]);
    return page;
  }

  /** One page of open uploads, ordered by key, then initiation time. */
  async listMultipartUploads(request: Omit<ListMultipartUploadsOptions, "signal">, ctx: DriverCallContext): Promise<ListMultipartUploadsPage> {
    const context = { operation: "listMultipartUploads" };
    const bucket = this.enter(ctx, context);
    const prefix = request.prefix ?? "";
    const limit = listPageSize(request.limit, this.limits.listMultipartUploadsMaxPageSize, this.limits.listMultipartUploadsMaxPageSize);
    let after: Pick<Upload, "key" | "initiated" | "uploadId"> | undefined;
    if (request.cursor !== undefined) {
      const [cursorPrefix, key, initiated, uploadId] = decodeListCursor(
        "memory",
        "uploads",
        request.cursor,
        ["string", "string", "number", "string"],
        context.operation,
      ) as [string, string, number, string];
      if (cursorPrefix !== prefix) throw invalidArgument("The cursor belongs to a listing with another prefix", context);
      after = { key, initiated, uploadId };
    }
    // Ordered by key, then initiation, as ListMultipartUploads is; the upload id breaks ties
    // so the cursor names one position exactly.
    const uploads = [...bucket.uploads.values()]
      .filter((u) => u.key.startsWith(prefix) && (after === undefined || compareUploads(u, after) > 0))
      .sort(compareUploads);
    const page: ListMultipartUploadsPage = {
      uploads: uploads.slice(0, limit).map((u) => ({ key: u.key, uploadId: u.uploadId, initiated: new Date(u.initiated) })),
    };
    if (uploads.length > limit) {
      const last = uploads[limit - 1]!;
      page.cursor = encodeListCursor("memory", "uploads", [prefix, last.key, last.initiated, last.uploadId]);
    }
    return page;
  }

  /** Checks the signal and that the bucket exists; every call starts here. */
  private enter(ctx: DriverCallContext, context: ErrorContext): Bucket {
    throwIfAborted(ctx.signal);
    return bucketIn(this.world, this.bucket, context);
  }

  /** An object that exists, that the given SSE-C key opens and whose read conditions hold. */
  private readable(bucket: Bucket, key: string, options: Omit<HeadObjectOptions, "signal">, context: ErrorContext): StoredObject {
    const object = bucket.objects.get(key);
    if (object === undefined) throw objectNotFound(context);
    checkCustomerKey(object.sseKeyMd5, options.sseC, "object", context);
    checkPreconditions(options, { etag: object.etag, lastModified: new Date(object.lastModified) }, "read", context);
    return object;
  }

  /**
   * The source of a copy: its bucket must exist (and be this one unless the manifest allows
   * copies across buckets), the object must exist, the source SSE-C key must open it and the
   * copy-source conditions must hold (seed: if-match / if-unmodified-since → 412,
   * if-none-match / if-modified-since → 304).
   */
  private copySource(
    source: CopySource,
    conditions: Preconditions,
    context: ErrorContext,
  ): { bucketName: string; object: StoredObject } {
    const bucketName = source.bucket ?? this.bucket;
    if (bucketName !== this.bucket && !this.limits.copyAcrossBuckets) {
      throw new StorageError({ code: "Unsupported", message: "This store cannot copy from another bucket", ...context });
    }
    const sourceContext = { operation: context.operation, key: source.key };
    const object = bucketIn(this.world, bucketName, sourceContext).objects.get(source.key);
    if (object === undefined) throw objectNotFound(sourceContext);
    checkCustomerKey(object.sseKeyMd5, source.sseC, "copy source", sourceContext);
    checkPreconditions(conditions, { etag: object.etag, lastModified: new Date(object.lastModified) }, "copy-source", sourceContext);
    return { bucketName, object };
  }

  /** What a conditional write at `key` is judged against: the current object, or `undefined`. */
  private writeTarget(bucket: Bucket, key: string): PreconditionTarget | undefined {
    const object = bucket.objects.get(key);
    return object === undefined ? undefined : { etag: object.etag, lastModified: new Date(object.lastModified) };
  }

  /** Looks an upload up by id; it must exist and belong to `key`. */
  private upload(bucket: Bucket, key: string, uploadId: string, context: ErrorContext): Upload {
    const upload = bucket.uploads.get(uploadId);
    if (upload === undefined || upload.key !== key) throw uploadNotFound(context);
    return upload;
  }

  /**
   * Part numbers are checked here as well as in the facade: the driver is what a broken or
   * bypassing caller reaches, and KS3 itself answers `InvalidPartNum` for them.
   */
  private checkPartNumber(partNumber: number, context: ErrorContext): void {
    checkEmulatedPartNumber(partNumber, this.limits, memoryErrors, context);
  }

  /** The parts a Complete names, in order, after core's checks of the part list ({@link chooseCompletedParts}). */
  private chooseParts(upload: Upload, parts: CompletedPart[], context: ErrorContext): StoredPart[] {
    return chooseCompletedParts(parts, upload.parts, (p) => p.data.byteLength, this.limits, memoryErrors, context);
  }

  /** Stores a part; re-uploading a part number replaces the earlier part (last wins). */
  private storePart(upload: Upload, partNumber: number, data: Uint8Array): StoredPart {
    const md5 = createHash("md5").update(data).digest();
    const part: StoredPart = { data, md5, etag: `"${md5.toString("hex")}"`, lastModified: this.clock.now() };
    upload.parts.set(partNumber, part);
    return part;
  }

  /** Makes an object visible in one step; `data` must already be a private copy. */
  private store(
    bucket: Bucket,
    key: string,
    data: Uint8Array,
    etag: string,
    attributes: { contentType: string | undefined; metadata: Record<string, string> | undefined; sseKeyMd5: string | undefined },
  ): StoredObject {
    const object: StoredObject = {
      data,
      etag,
      lastModified: this.clock.now(),
      contentType: attributes.contentType ?? DEFAULT_CONTENT_TYPE,
      metadata: lowerCaseMetadataNames(attributes.metadata),
      sseKeyMd5: attributes.sseKeyMd5,
    };
    bucket.objects.set(key, object);
    bucket.order.add(key);
    return object;
  }
}

/**
 * Reads a body to a private copy, at most `max` bytes (`EntityTooLarge` past it), honouring
 * the signal between chunks. A declared length the body does not match raises
 * `InvalidArgument` (S3 `IncompleteBody`); a failing caller stream is already `InvalidArgument`
 * (core's body normalizer decides that for every adapter).
 */
async function readBody(body: NormalizedBody, max: number, what: string, ctx: DriverCallContext, context: ErrorContext): Promise<Uint8Array> {
  if (body.length !== undefined && body.length > max) throw entityTooLarge(max, what, context);
  let bytes: Uint8Array;
  try {
    bytes = await readBytes(body, { maxBytes: max, tooLargeCode: "EntityTooLarge", signal: ctx.signal });
  } catch (err) {
    throwIfAborted(ctx.signal);
    throw err instanceof StorageError && err.code === "EntityTooLarge" ? entityTooLarge(max, what, context) : err;
  }
  if (body.length !== undefined && bytes.byteLength !== body.length) {
    throw invalidArgument(`The ${what} body has ${bytes.byteLength} bytes, not the ${body.length} declared`, context, "IncompleteBody");
  }
  // Copy even when the bytes are the caller's own array, so later changes to it cannot reach
  // the stored object.
  // A private copy: `slice()` on a Node Buffer is a view, so a caller reusing its Buffer would change stored data.
  return new Uint8Array(bytes);
}

/** `"<hex md5>"`, the ETag of a single PUT or part (ks3-api.md §6.1). */
function md5Etag(data: Uint8Array): string {
  return `"${createHash("md5").update(data).digest("hex")}"`;
}

function infoOf(key: string, object: StoredObject): ObjectInfo {
  const info: ObjectInfo = {
    key,
    size: object.data.byteLength,
    etag: object.etag,
    lastModified: new Date(object.lastModified),
    metadata: { ...object.metadata },
  };
  if (object.contentType !== undefined) info.contentType = object.contentType;
  return info;
}

function summaryOf(key: string, object: StoredObject): ObjectSummary {
  return { key, size: object.data.byteLength, etag: object.etag, lastModified: new Date(object.lastModified) };
}

function compareUploads(a: Pick<Upload, "key" | "initiated" | "uploadId">, b: Pick<Upload, "key" | "initiated" | "uploadId">): number {
  return compareUtf8(a.key, b.key) || a.initiated - b.initiated || compareUtf8(a.uploadId, b.uploadId);
}

/**
 * A web stream over `data[start, end)`, pulled a chunk at a time. Every chunk is a copy, so a
 * reader that writes into what it received cannot change the stored object.
 *
 * The call's signal still covers the body after `getObject` resolves, as it does for a body
 * read off the network: firing it errors the stream with `Aborted` at once, dropping chunks
 * already queued, so no more bytes reach the reader.
 */
function streamOf(data: Uint8Array, start: number, end: number, signal: AbortSignal): ReadableStream<Uint8Array> {
  let offset = start;
  // The facade's never-firing signal is not listened to: every open body would add a
  // listener to that one shared signal.
  const listened = transportSignal(signal);
  let onAbort: (() => void) | undefined;
  const release = () => {
    if (onAbort !== undefined) listened?.removeEventListener("abort", onAbort);
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (listened === undefined) return;
      onAbort = () => controller.error(abortedError(listened));
      listened.addEventListener("abort", onAbort, { once: true });
    },
    pull(controller) {
      if (offset >= end) {
        release();
        controller.close();
        return;
      }
      const next = Math.min(end, offset + STREAM_CHUNK_BYTES);
      controller.enqueue(data.slice(offset, next));
      offset = next;
    },
    cancel() {
      release();
    },
  });
}

/** A memory object store: the core facade over a {@link MemoryObjectStoreDriver}. */
export interface MemoryObjectStore extends MultipartObjectStore {
  /** The driver behind the facade, for test hooks such as `dropBucket()` and its `world`. */
  readonly driver: MemoryObjectStoreDriver;
}

/**
 * Creates a memory object store behind the core facade. Stores sharing a `world` can copy
 * from each other's buckets.
 *
 * @example
 * ```ts
 * const world = new MemoryObjectWorld();
 * const media = createMemoryObjectStore({ world, bucket: "media" });
 * const backup = createMemoryObjectStore({ world, bucket: "backup" });
 * await media.putObject("a.txt", "hello");
 * await backup.copyObject("a.txt", { source: { bucket: "media", key: "a.txt" } });
 * ```
 */
export function createMemoryObjectStore(options: MemoryObjectStoreOptions = {}): MemoryObjectStore {
  const driver = new MemoryObjectStoreDriver(options);
  const store = createMultipartObjectStore(driver, { layers: options.layers ?? [] });
  return Object.assign(store, { driver });
}
