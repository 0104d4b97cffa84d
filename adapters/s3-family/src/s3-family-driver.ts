import { createHash } from "node:crypto";
import type { Dispatcher } from "undici";
import {
  StorageError,
  evaluatePreconditions,
  isStorageError,
  normalizeBody,
  readBytes,
  systemClock,
  type Clock,
  type CompleteMultipartUploadOptions,
  type CompleteMultipartUploadResult,
  type CompletedPart,
  type CopyObjectOptions,
  type CopyObjectResult,
  type CreateMultipartUploadOptions,
  type DriverCallContext,
  type GetObjectOptions,
  type GetObjectResult,
  type HeadObjectOptions,
  type ListMultipartUploadsOptions,
  type ListMultipartUploadsPage,
  type ListObjectsOptions,
  type ListObjectsPage,
  type ListPartsOptions,
  type ListPartsPage,
  type MultipartObjectStoreDriver,
  type MultipartUpload,
  type NormalizedBody,
  type ObjectInfo,
  type ObjectStoreLimits,
  type PresignMethod,
  type PresignOptions,
  type PresignedRequest,
  type PutObjectOptions,
  type PutObjectResult,
  type UploadPartCopyOptions,
  type UploadPartCopyResult,
  type UploadPartOptions,
  type StoreTarget,
  formatStorageErrorMessage,
} from "@stowage/core";
import type { S3Dialect } from "./dialect.js";
import { S3HttpClient } from "./http-client.js";
import type { S3Credentials } from "./credentials.js";
import type { SignatureVersion } from "./request-signer.js";
import * as rq from "./requests.js";
import { parseListCursor } from "./list-cursor.js";
import { presignObjectRequest } from "./presign-request.js";
import * as rs from "./responses.js";
import type { Addressing } from "./s3-request.js";
import { XML_MAX_BYTES } from "./xml.js";

/** Options of {@link createS3FamilyDriver}. */
export interface S3FamilyDriverOptions {
  /** Which member of the S3 family this is. */
  readonly dialect: S3Dialect;
  /** The limits manifest the store declares (and the driver reads: page sizes, contiguity). */
  readonly limits: ObjectStoreLimits;
  /** The bucket every call goes to; not checked here (the provider adapter validates the name). */
  readonly bucket: string;
  /** `http(s)://host[:port]`, without the bucket. */
  readonly endpoint: string | URL;
  /** `virtual-host` (`bucket.endpoint`) or `path` (`endpoint/bucket`). */
  readonly addressing: Addressing;
  /** `v2` (HMAC-SHA1 header, with the dialect's header prefix) or `sigv4`. */
  readonly signature: SignatureVersion;
  /** SigV4 scope region. */
  readonly region: string;
  /** Absent: unsigned requests. */
  readonly credentials?: S3Credentials;
  /** SigV4: sign streamed bodies chunk by chunk (`aws-chunked`) instead of `UNSIGNED-PAYLOAD`. */
  readonly sigV4ChunkedStreams?: boolean;
  /** Source of the request date header. Default: the system clock. */
  readonly clock?: Clock;
  /** A shared undici dispatcher (e.g. with custom TLS); default: one keep-alive Agent per store. */
  readonly dispatcher?: Dispatcher;
  /**
   * Largest stream of unknown length a single PUT buffers. S3-family PUTs need
   * `Content-Length` up front (KS3 `MissingContentLength`, 411), and aws-chunked SigV4 still
   * wants the decoded length (`x-amz-decoded-content-length`), so a stream without a declared
   * `contentLength` is read into memory up to this size and refused with `InvalidArgument`
   * beyond it. Default 8 MiB.
   */
  readonly maxBufferedBodyBytes?: number;
}

const DEFAULT_MAX_BUFFERED_BODY_BYTES = 8 * 1024 * 1024;

/**
 * The S3-family `MultipartObjectStoreDriver`, written once and parameterized by a dialect.
 * Wrap it with core's `createMultipartObjectStore` (validation, bodies, paging) and retry layer.
 */
export function createS3FamilyDriver(options: S3FamilyDriverOptions): MultipartObjectStoreDriver {
  return new S3FamilyDriver(options);
}

class S3FamilyDriver implements MultipartObjectStoreDriver {
  readonly limits: ObjectStoreLimits;
  /** What error messages name: the dialect (`ks3`, `s3`) and the bucket. */
  readonly target: StoreTarget;
  readonly #dialect: S3Dialect;
  readonly #bucket: string;
  readonly #client: S3HttpClient;
  readonly #maxBuffered: number;

  constructor(o: S3FamilyDriverOptions) {
    this.limits = o.limits;
    this.#dialect = o.dialect;
    this.#bucket = o.bucket;
    this.target = { provider: o.dialect.name, bucket: o.bucket };
    this.#maxBuffered = o.maxBufferedBodyBytes ?? DEFAULT_MAX_BUFFERED_BODY_BYTES;
    this.#client = new S3HttpClient({
      endpoint: new URL(o.endpoint),
      addressing: o.addressing,
      dialect: o.dialect,
      maxDocumentBytes: XML_MAX_BYTES,
      ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
      signing: {
        signature: o.signature,
        region: o.region,
        headerPrefix: o.dialect.headerPrefix,
        clock: o.clock ?? systemClock,
        chunkedStreams: o.sigV4ChunkedStreams === true,
        ...(o.credentials ? { credentials: o.credentials } : {}),
      },
    });
  }

  get #prefix(): rq.HeaderPrefix {
    return this.#dialect.headerPrefix;
  }

  async putObject(key: string, body: NormalizedBody, options: Omit<PutObjectOptions, "signal" | "contentLength">, ctx: DriverCallContext): Promise<PutObjectResult> {
    const sized = await this.#sized(body, "putObject", key, ctx);
    const res = await this.#client.sendForHeaders(rq.putObjectRequest(this.#prefix, this.#bucket, key, sized, options), ctx);
    return { etag: rs.etagHeader(res.headers) };
  }

  async getObject(key: string, options: Omit<GetObjectOptions, "signal">, ctx: DriverCallContext): Promise<GetObjectResult> {
    const res = await this.#client.sendForStream(rq.getObjectRequest(this.#prefix, this.#bucket, key, options), ctx);
    try {
      const { info, range, contentLength } = rs.objectInfoFromHeaders(key, res.headers, this.#dialect.metadataResponsePrefixes);
      // A 200 to a ranged request (e.g. KS3's `bytes=` quirk) is the whole object: no range.
      return res.status === 206 && range ? { info, body: res.body, contentLength, range } : { info, body: res.body, contentLength };
    } catch (err) {
      await res.body.cancel().catch(() => undefined);
      throw err;
    }
  }

  async headObject(key: string, options: Omit<HeadObjectOptions, "signal">, ctx: DriverCallContext): Promise<ObjectInfo> {
    try {
      const res = await this.#client.sendForHeaders(rq.headObjectRequest(this.#prefix, this.#bucket, key, options), ctx);
      return rs.objectInfoFromHeaders(key, res.headers, this.#dialect.metadataResponsePrefixes).info;
    } catch (err) {
      throw await this.#bodylessNotFound(err, key, ctx);
    }
  }

  async deleteObject(key: string, ctx: DriverCallContext): Promise<void> {
    try {
      await this.#client.sendForHeaders(rq.deleteObjectRequest(this.#bucket, key), ctx);
    } catch (err) {
      // KS3 answers 404 for a missing key (§7 #4); the contract makes delete idempotent.
      // A missing bucket maps to BucketNotFound and still raises.
      if (this.#dialect.quirks.deleteMissingAnswers404 && err instanceof StorageError && err.code === "NotFound") return;
      throw err;
    }
  }

  async copyObject(key: string, options: Omit<CopyObjectOptions, "signal">, ctx: DriverCallContext): Promise<CopyObjectResult> {
    try {
      const res = await this.#client.sendForDocument(rq.copyObjectRequest(this.#prefix, this.#bucket, key, options), ctx);
      return rs.parseCopyResult(res.text, ["CopyObjectResult"]);
    } catch (err) {
      throw await this.#copySourceFailure(err, options, ctx);
    }
  }

  async listObjects(request: Omit<ListObjectsOptions, "signal">, ctx: DriverCallContext): Promise<ListObjectsPage> {
    const max = request.delimiter ? this.limits.listObjectsWithDelimiterMaxPageSize : this.limits.listObjectsMaxPageSize;
    const res = await this.#client.sendForText(
      rq.listObjectsRequest(this.#bucket, {
        prefix: request.prefix || undefined,
        delimiter: request.delimiter || undefined,
        marker: request.cursor === undefined ? undefined : parseListCursor("objects", request.cursor, 1, "listObjects")[0],
        maxKeys: request.limit ?? max,
      }),
      ctx,
    );
    return rs.parseListObjects(res.text);
  }

  async createMultipartUpload(key: string, options: Omit<CreateMultipartUploadOptions, "signal">, ctx: DriverCallContext): Promise<MultipartUpload> {
    const res = await this.#client.sendForDocument(rq.initiateMultipartUploadRequest(this.#prefix, this.#bucket, key, options), ctx);
    return { key, uploadId: rs.parseInitiateMultipartUpload(res.text) };
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, body: NormalizedBody, options: Omit<UploadPartOptions, "signal" | "contentLength">, ctx: DriverCallContext): Promise<CompletedPart> {
    const sized = await this.#sized(body, "uploadPart", key, ctx);
    const res = await this.#client.sendForHeaders(rq.uploadPartRequest(this.#prefix, this.#bucket, key, uploadId, partNumber, sized, options), ctx);
    return { partNumber, etag: rs.etagHeader(res.headers) };
  }

  async uploadPartCopy(key: string, uploadId: string, partNumber: number, options: Omit<UploadPartCopyOptions, "signal">, ctx: DriverCallContext): Promise<UploadPartCopyResult> {
    try {
      const res = await this.#client.sendForDocument(rq.uploadPartCopyRequest(this.#prefix, this.#bucket, key, uploadId, partNumber, options), ctx);
      return { partNumber, ...rs.parseCopyResult(res.text, this.#dialect.quirks.copyPartResultRoots) };
    } catch (err) {
      throw await this.#copySourceFailure(err, options, ctx);
    }
  }

  async completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: CompletedPart[],
    options: Omit<CompleteMultipartUploadOptions, "signal">,
    ctx: DriverCallContext,
  ): Promise<CompleteMultipartUploadResult> {
    const sorted = orderParts(parts, this.limits.multipartPartNumbersContiguous, key);
    // The conditions go as S3's plain If-Match / If-None-Match headers (conditional writes); a
    // failure is 412 PreconditionFailed, or 409 ConditionalRequestConflict when a concurrent
    // write raced it (the dialect's error table maps both).
    const res = await this.#client.sendForDocument(rq.completeMultipartUploadRequest(this.#bucket, key, uploadId, sorted, options), ctx);
    const etag = rs.parseCompleteMultipartUploadEtag(res.text);
    if (etag !== undefined) return { key, etag };
    // An empty <ETag/> (Ceph RGW 16, noted in its profile). The S3-family multipart ETag is
    // md5 of the parts' binary MD5s, then "-N" (ks3-api.md §6.1; ceph-rgw.md: Ceph's HEAD shows
    // the same), so it follows from the parts sent; a HEAD would need the upload's SSE-C key.
    const computed = multipartEtag(sorted);
    if (computed !== undefined) return { key, etag: computed };
    const head = await this.#client.sendForHeaders(rq.headObjectRequest(this.#prefix, this.#bucket, key, {}), ctx);
    return { key, etag: rs.etagHeader(head.headers) };
  }

  async abortMultipartUpload(key: string, uploadId: string, ctx: DriverCallContext): Promise<void> {
    await this.#client.sendForHeaders(rq.abortMultipartUploadRequest(this.#bucket, key, uploadId), ctx);
  }

  async listParts(key: string, uploadId: string, request: Omit<ListPartsOptions, "signal">, ctx: DriverCallContext): Promise<ListPartsPage> {
    const res = await this.#client.sendForText(
      rq.listPartsRequest(this.#bucket, key, uploadId, {
        maxParts: request.limit ?? this.limits.listPartsMaxPageSize,
        partNumberMarker: request.cursor === undefined ? undefined : parseListCursor("parts", request.cursor, 1, "listParts")[0],
      }),
      ctx,
    );
    return rs.parseListParts(res.text);
  }

  async listMultipartUploads(request: Omit<ListMultipartUploadsOptions, "signal">, ctx: DriverCallContext): Promise<ListMultipartUploadsPage> {
    const [keyMarker, uploadIdMarker] = request.cursor === undefined ? [] : parseListCursor("uploads", request.cursor, 2, "listMultipartUploads");
    const res = await this.#client.sendForText(
      rq.listMultipartUploadsRequest(this.#bucket, {
        prefix: request.prefix || undefined,
        maxUploads: request.limit ?? this.limits.listMultipartUploadsMaxPageSize,
        keyMarker,
        uploadIdMarker: uploadIdMarker || undefined,
      }),
      ctx,
    );
    return rs.parseListMultipartUploads(res.text);
  }

  async presign(method: PresignMethod, key: string, options: Omit<PresignOptions, "signal">, _ctx: DriverCallContext): Promise<PresignedRequest> {
    const { expiresInSeconds, ...rest } = options;
    const { url, headers } = this.#client.presign(presignObjectRequest(this.#prefix, this.#bucket, key, method, rest), expiresInSeconds);
    return { method, url, headers };
  }

  async close(): Promise<void> {
    await this.#client.close();
  }

  /**
   * A HEAD answer has no body, so a 404 cannot say whether the key or the bucket is missing
   * (ks3-api.md §4.3: "HEAD returns no body, so the client cannot know the specific error").
   * The contract distinguishes them, so on that path only, one HEAD Bucket decides.
   */
  async #bodylessNotFound(err: unknown, key: string, ctx: DriverCallContext): Promise<unknown> {
    if (!isStorageError(err, "NotFound") || err.providerCode !== undefined) return err;
    try {
      await this.#client.sendForHeaders(rq.headBucketRequest(this.#bucket), ctx);
      return err;
    } catch (probe) {
      if (!isStorageError(probe, "NotFound")) return err;
      return new StorageError({
        code: "BucketNotFound",
        providerCode: "NoSuchBucket",
        httpStatus: 404,
        message: formatStorageErrorMessage({ operation: "headObject", key, bucket: this.#bucket, code: "BucketNotFound", httpStatus: 404 }),
        detail: `the bucket ${this.#bucket} does not exist`,
        operation: "headObject",
        key,
        ...(err.requestId !== undefined ? { requestId: err.requestId } : {}),
      });
    }
  }

  /**
   * The seed document answers a failed copy-source if-none-match / if-modified-since with 304,
   * which the contract calls `NotModified`; AWS S3 answers 412 for every failed copy-source
   * condition (s3-tests `test_copy_object_ifnonematch_good`). A 412 is therefore re-judged:
   * with only those two conditions sent it can only be theirs; with if-match or
   * if-unmodified-since sent too, the source's ETag and Last-Modified (one HEAD) go through
   * core's evaluator, in copy-source mode, to tell which failed.
   */
  async #copySourceFailure(err: unknown, options: Omit<CopyObjectOptions | UploadPartCopyOptions, "signal">, ctx: DriverCallContext): Promise<unknown> {
    if (!isStorageError(err, "PreconditionFailed") || (options.ifNoneMatch === undefined && options.ifModifiedSince === undefined)) return err;
    const notModified = () =>
      new StorageError({
        code: "NotModified",
        httpStatus: err.httpStatus,
        providerCode: err.providerCode,
        requestId: err.requestId,
        message: `${err.operation ?? "copy"}: the copy source was not modified`,
        operation: err.operation,
        key: err.key,
      });
    if (options.ifMatch === undefined && options.ifUnmodifiedSince === undefined) return notModified();
    try {
      const source = options.source;
      const res = await this.#client.sendForHeaders(
        rq.headObjectRequest(this.#prefix, source.bucket ?? this.#bucket, source.key, source.sseC ? { sseC: source.sseC } : {}),
        ctx,
      );
      const { info } = rs.objectInfoFromHeaders(source.key, res.headers, this.#dialect.metadataResponsePrefixes);
      return evaluatePreconditions(options, info, "copy-source") === "not-modified" ? notModified() : err;
    } catch {
      // The source changed or vanished meanwhile: the server's answer stands.
      return err;
    }
  }

  /** A body whose length is known: as is, or a short stream read into memory (see `maxBufferedBodyBytes`). */
  async #sized(body: NormalizedBody, operation: string, key: string, ctx: DriverCallContext): Promise<NormalizedBody> {
    if (body.length !== undefined) return body;
    const bytes = await readBytes(body, { maxBytes: this.#maxBuffered, signal: ctx.signal }).catch((err: unknown) => {
      if (!isStorageError(err, "ValueTooLarge")) throw err;
      throw new StorageError({
        code: "InvalidArgument",
        message: `${operation}: a stream body over ${this.#maxBuffered} bytes needs contentLength (S3-family PUTs require Content-Length)`,
        operation,
        key,
      });
    });
    return normalizeBody(bytes);
  }
}

/** `"<md5 of the parts' binary MD5s>-N"`, or `undefined` when a part's ETag is not a plain MD5. */
function multipartEtag(parts: readonly CompletedPart[]): string | undefined {
  const md5s: Buffer[] = [];
  for (const p of parts) {
    const hex = p.etag.replace(/^"|"$/g, "");
    if (!/^[0-9a-f]{32}$/i.test(hex)) return undefined;
    md5s.push(Buffer.from(hex, "hex"));
  }
  return `"${createHash("md5").update(Buffer.concat(md5s)).digest("hex")}-${parts.length}"`;
}

/**
 * Sorts the parts by number (Complete requires ascending order; callers often finish parts out
 * of order) and enforces, before any request, what the server would refuse: a part number
 * listed twice, and where the manifest says so a gap in 1..N (KS3 doc 42469: "用户提交的part
 * 列表必须是升序连续的", the submitted part list must be ascending and contiguous).
 */
export function orderParts(parts: readonly CompletedPart[], contiguous: boolean, key?: string): CompletedPart[] {
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  sorted.forEach((p, i) => {
    const fail = (why: string) =>
      new StorageError({ code: "InvalidPartOrder", message: `completeMultipartUpload: ${why}`, operation: "completeMultipartUpload", key });
    if (i > 0 && sorted[i - 1]!.partNumber === p.partNumber) throw fail(`part ${p.partNumber} is listed twice`);
    if (contiguous && p.partNumber !== i + 1) throw fail(`part numbers must be contiguous from 1; expected ${i + 1}, got ${p.partNumber}`);
  });
  return sorted;
}
