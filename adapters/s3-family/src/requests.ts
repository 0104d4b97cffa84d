/**
 * Pure request builders, one per provider operation, named as the provider names them. They
 * decide method, query and headers; addressing, dates and signatures are added when sending.
 */
import { createHash } from "node:crypto";
import {
  formatCopySourceRange,
  formatHttpDate,
  formatRangeHeader,
  quoteEtag,
  type ByteRangeSpec,
  type CompletedPart,
  type CopySource,
  type CopySourceRange,
  type NormalizedBody,
  type Preconditions,
  type SseCustomerKey,
  DEFAULT_CONTENT_TYPE,
  normalizeBody,
} from "@stowage/core";
import type { S3Request } from "./s3-request.js";
import { encodeObjectKey } from "./uri-encode.js";
import { escapeXmlText } from "./xml.js";

/** Header prefix of the dialect: `x-kss-` or `x-amz-`. */
export type HeaderPrefix = "x-kss-" | "x-amz-";

function query(entries: Array<[string, string | number | undefined]>): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of entries) if (v !== undefined) q.append(k, String(v));
  return q;
}

/** SSE-C headers: algorithm, base64 key and base64 MD5 of the raw key (ks3-api.md §6.2). */
function sseCHeaders(prefix: string, key: SseCustomerKey | undefined): Record<string, string> {
  if (!key) return {};
  const raw = Buffer.from(key.key.buffer, key.key.byteOffset, key.key.byteLength);
  return {
    [`${prefix}server-side-encryption-customer-algorithm`]: "AES256",
    [`${prefix}server-side-encryption-customer-key`]: raw.toString("base64"),
    [`${prefix}server-side-encryption-customer-key-md5`]: createHash("md5").update(raw).digest("base64"),
  };
}

/**
 * `x-…-meta-<name>` headers. Names and values were checked by core's validateObjectAttributes
 * (header-safe, no two names equal ignoring case); names are sent lower-case, as they come back.
 */
function metadataHeaders(prefix: string, metadata: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata ?? {})) out[`${prefix}meta-${name.toLowerCase()}`] = value;
  return out;
}

/** `If-*` headers of a read (RFC 9110 §13.1), or the `x-…-copy-source-if-*` ones of a copy. */
function conditionHeaders(c: Preconditions, namePrefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (c.ifMatch !== undefined) out[`${namePrefix}if-match`] = c.ifMatch === "*" ? "*" : quoteEtag(c.ifMatch);
  if (c.ifNoneMatch !== undefined) out[`${namePrefix}if-none-match`] = c.ifNoneMatch === "*" ? "*" : quoteEtag(c.ifNoneMatch);
  if (c.ifModifiedSince !== undefined) out[`${namePrefix}if-modified-since`] = formatHttpDate(c.ifModifiedSince);
  if (c.ifUnmodifiedSince !== undefined) out[`${namePrefix}if-unmodified-since`] = formatHttpDate(c.ifUnmodifiedSince);
  return out;
}

/**
 * `x-…-copy-source: /bucket/encodedKey` plus the copy-source conditions and SSE-C key. The
 * KS3 CopyObject doc: "Copy source must be URL-encoded"; the Java and Go SDKs encode it like
 * a request path.
 */
function copySourceHeaders(prefix: string, bucket: string, source: CopySource, conditions: Preconditions): Record<string, string> {
  return {
    [`${prefix}copy-source`]: `/${source.bucket ?? bucket}/${encodeObjectKey(source.key)}`,
    ...conditionHeaders(conditions, `${prefix}copy-source-`),
    ...sseCHeaders(`${prefix}copy-source-`, source.sseC),
  };
}

function bodyHeaders(body: NormalizedBody): Record<string, string> {
  return body.length === undefined ? {} : { "content-length": String(body.length) };
}

/** Options of {@link putObjectRequest}. */
export interface PutObjectInput {
  /** `Content-Type` to store; `application/octet-stream` when absent. */
  contentType?: string;
  /** User metadata, sent as `<prefix>meta-<name>` headers with lower-cased names. */
  metadata?: Record<string, string>;
  /** Customer-provided encryption key (SSE-C); the object must be read with the same key. */
  sseC?: SseCustomerKey;
  /** Conditional write: replace only this ETag (`If-Match`). */
  ifMatch?: string;
  /** Conditional write: `"*"`, create only if absent (`If-None-Match: *`). */
  ifNoneMatch?: "*";
}

/** PUT Object. */
export function putObjectRequest(prefix: HeaderPrefix, bucket: string, key: string, body: NormalizedBody, o: PutObjectInput): S3Request {
  return {
    operation: "putObject",
    method: "PUT",
    bucket,
    key,
    query: new URLSearchParams(),
    headers: {
      "content-type": o.contentType ?? DEFAULT_CONTENT_TYPE,
      ...bodyHeaders(body),
      ...metadataHeaders(prefix, o.metadata),
      ...sseCHeaders(prefix, o.sseC),
      ...(o.ifMatch !== undefined ? { "if-match": quoteEtag(o.ifMatch) } : {}),
      ...(o.ifNoneMatch !== undefined ? { "if-none-match": "*" } : {}),
    },
    body,
  };
}

/** Options of {@link getObjectRequest} and {@link headObjectRequest}. */
export interface GetObjectInput extends Preconditions {
  /** One byte range, sent as the `Range` header; absent reads the whole object. */
  range?: ByteRangeSpec;
  /** The SSE-C key the object was written with; required to read such an object. */
  sseC?: SseCustomerKey;
}

/** GET Object, with at most one range and the four conditions. */
export function getObjectRequest(prefix: HeaderPrefix, bucket: string, key: string, o: GetObjectInput): S3Request {
  return {
    operation: "getObject",
    method: "GET",
    bucket,
    key,
    query: new URLSearchParams(),
    headers: {
      ...(o.range ? { range: formatRangeHeader(o.range) } : {}),
      ...conditionHeaders(o, ""),
      ...sseCHeaders(prefix, o.sseC),
    },
  };
}

/** HEAD Object. */
export function headObjectRequest(prefix: HeaderPrefix, bucket: string, key: string, o: Omit<GetObjectInput, "range">): S3Request {
  return { ...getObjectRequest(prefix, bucket, key, o), operation: "headObject", method: "HEAD" };
}

/** HEAD Bucket: whether the bucket exists (404 when it does not). */
export function headBucketRequest(bucket: string): S3Request {
  return { operation: "headBucket", method: "HEAD", bucket, query: new URLSearchParams(), headers: {} };
}

/** DELETE Object. */
export function deleteObjectRequest(bucket: string, key: string): S3Request {
  return { operation: "deleteObject", method: "DELETE", bucket, key, query: new URLSearchParams(), headers: {} };
}

/** Options of {@link copyObjectRequest}. */
export interface CopyObjectInput extends Preconditions {
  /** Object to copy (bucket defaults to the destination's), with its SSE-C key if it has one. The inherited conditions apply to it. */
  source: CopySource;
  /** Replacement metadata; given (or `contentType` given), the copy gets only this, else the source's. */
  metadata?: Record<string, string>;
  /** Replacement `Content-Type`; given (or `metadata` given), it defaults to `application/octet-stream`. */
  contentType?: string;
  /** SSE-C key to encrypt the copy with. */
  sseC?: SseCustomerKey;
}

/**
 * PUT Object Copy. New metadata or a new content type switches the directive to `REPLACE`
 * (otherwise the server copies the source's, as `COPY` is the default).
 */
export function copyObjectRequest(prefix: HeaderPrefix, bucket: string, key: string, o: CopyObjectInput): S3Request {
  const replace = o.metadata !== undefined || o.contentType !== undefined;
  return {
    operation: "copyObject",
    method: "PUT",
    bucket,
    key,
    query: new URLSearchParams(),
    headers: {
      ...copySourceHeaders(prefix, bucket, o.source, o),
      ...(replace
        ? {
            [`${prefix}metadata-directive`]: "REPLACE",
            "content-type": o.contentType ?? DEFAULT_CONTENT_TYPE,
            ...metadataHeaders(prefix, o.metadata),
          }
        : {}),
      ...sseCHeaders(prefix, o.sseC),
    },
  };
}

/** Options of {@link listObjectsRequest}. */
export interface ListObjectsInput {
  /** Only keys starting with this; absent lists the whole bucket. */
  prefix?: string;
  /** Groups keys sharing the prefix up to this string into common prefixes (usually `/`). */
  delimiter?: string;
  /** `max-keys`. */
  maxKeys: number;
  /** `marker`: keys strictly after it. */
  marker?: string;
}

/**
 * GET Bucket (ListObjects v1). `encoding-type=url` makes the server percent-encode keys, so
 * keys holding characters XML 1.0 cannot carry (most control characters) still list.
 */
export function listObjectsRequest(bucket: string, o: ListObjectsInput): S3Request {
  return {
    operation: "listObjects",
    method: "GET",
    bucket,
    query: query([
      ["prefix", o.prefix],
      ["delimiter", o.delimiter],
      ["marker", o.marker],
      ["max-keys", o.maxKeys],
      ["encoding-type", "url"],
    ]),
    headers: {},
  };
}

/** Options of {@link initiateMultipartUploadRequest}. */
export type InitiateMultipartUploadInput = PutObjectInput;

/** Initiate Multipart Upload (`POST /key?uploads`). */
export function initiateMultipartUploadRequest(prefix: HeaderPrefix, bucket: string, key: string, o: InitiateMultipartUploadInput): S3Request {
  return {
    operation: "createMultipartUpload",
    method: "POST",
    bucket,
    key,
    query: query([["uploads", ""]]),
    headers: {
      "content-type": o.contentType ?? DEFAULT_CONTENT_TYPE,
      ...metadataHeaders(prefix, o.metadata),
      ...sseCHeaders(prefix, o.sseC),
    },
  };
}

/** Upload Part (`PUT /key?partNumber=n&uploadId=id`), body streamed with its length. */
export function uploadPartRequest(
  prefix: HeaderPrefix,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
  body: NormalizedBody,
  o: { sseC?: SseCustomerKey },
): S3Request {
  return {
    operation: "uploadPart",
    method: "PUT",
    bucket,
    key,
    query: query([["partNumber", partNumber], ["uploadId", uploadId]]),
    headers: { ...bodyHeaders(body), ...sseCHeaders(prefix, o.sseC) },
    body,
  };
}

/** Options of {@link uploadPartCopyRequest}. */
export interface UploadPartCopyInput extends Preconditions {
  /** Object to copy the part from, with its SSE-C key if it has one. The inherited conditions apply to it. */
  source: CopySource;
  /** Bytes of the source to copy (`<prefix>copy-source-range`); absent copies the whole source. */
  range?: CopySourceRange;
  /** The upload's SSE-C key (the one it was initiated with). */
  sseC?: SseCustomerKey;
}

/**
 * Upload Part - Copy, as the seed document specifies: `x-kss-copy-source`,
 * `x-kss-copy-source-range: bytes=first-last`, the four `x-kss-copy-source-if-*`, the
 * destination SSE-C headers and the copy-source SSE-C headers.
 */
export function uploadPartCopyRequest(
  prefix: HeaderPrefix,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
  o: UploadPartCopyInput,
): S3Request {
  return {
    operation: "uploadPartCopy",
    method: "PUT",
    bucket,
    key,
    query: query([["partNumber", partNumber], ["uploadId", uploadId]]),
    headers: {
      ...copySourceHeaders(prefix, bucket, o.source, o),
      ...(o.range ? { [`${prefix}copy-source-range`]: formatCopySourceRange(o.range) } : {}),
      ...sseCHeaders(prefix, o.sseC),
    },
  };
}

/** The `<CompleteMultipartUpload>` document, parts in the order given. */
export function completeMultipartUploadXml(parts: readonly CompletedPart[]): string {
  const items = parts
    .map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${escapeXmlText(quoteEtag(p.etag))}</ETag></Part>`)
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload>${items}</CompleteMultipartUpload>`;
}

/** The conditions of a Complete Multipart Upload (S3 conditional writes, plain `If-*` headers). */
export interface CompleteMultipartUploadInput {
  /** Complete only over this ETag (`If-Match`). */
  ifMatch?: string;
  /** `"*"`: complete only if the key is absent (`If-None-Match: *`). */
  ifNoneMatch?: "*";
}

/** Complete Multipart Upload (`POST /key?uploadId=id`), conditional with `If-Match` / `If-None-Match`. */
export function completeMultipartUploadRequest(bucket: string, key: string, uploadId: string, parts: readonly CompletedPart[], o: CompleteMultipartUploadInput = {}): S3Request {
  const bytes = new TextEncoder().encode(completeMultipartUploadXml(parts));
  return {
    operation: "completeMultipartUpload",
    method: "POST",
    bucket,
    key,
    query: query([["uploadId", uploadId]]),
    headers: {
      "content-type": "application/xml",
      "content-length": String(bytes.byteLength),
      ...(o.ifMatch !== undefined ? { "if-match": quoteEtag(o.ifMatch) } : {}),
      ...(o.ifNoneMatch !== undefined ? { "if-none-match": "*" } : {}),
    },
    body: normalizeBody(bytes),
  };
}

/** Abort Multipart Upload (`DELETE /key?uploadId=id`). */
export function abortMultipartUploadRequest(bucket: string, key: string, uploadId: string): S3Request {
  return { operation: "abortMultipartUpload", method: "DELETE", bucket, key, query: query([["uploadId", uploadId]]), headers: {} };
}

/** List Parts (`GET /key?uploadId=id&max-parts=n&part-number-marker=m`). */
export function listPartsRequest(bucket: string, key: string, uploadId: string, o: { maxParts: number; partNumberMarker?: string }): S3Request {
  return {
    operation: "listParts",
    method: "GET",
    bucket,
    key,
    query: query([["uploadId", uploadId], ["max-parts", o.maxParts], ["part-number-marker", o.partNumberMarker]]),
    headers: {},
  };
}

/** Options of {@link listMultipartUploadsRequest}. */
export interface ListMultipartUploadsInput {
  /** Only uploads whose key starts with this. */
  prefix?: string;
  /** `max-uploads`: the most uploads in one answer. */
  maxUploads: number;
  /** `key-marker`: uploads of keys after it (with `uploadIdMarker`, also later uploads of that key). */
  keyMarker?: string;
  /** `upload-id-marker`: with `keyMarker`, uploads of that key after this id. */
  uploadIdMarker?: string;
}

/** List Multipart Uploads (`GET /?uploads`). */
export function listMultipartUploadsRequest(bucket: string, o: ListMultipartUploadsInput): S3Request {
  return {
    operation: "listMultipartUploads",
    method: "GET",
    bucket,
    query: query([
      ["uploads", ""],
      ["prefix", o.prefix],
      ["key-marker", o.keyMarker],
      ["upload-id-marker", o.uploadIdMarker],
      ["max-uploads", o.maxUploads],
      ["encoding-type", "url"],
    ]),
    headers: {},
  };
}
