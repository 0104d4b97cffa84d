/**
 * Initiate, UploadPart, UploadPartCopy, Complete and Abort (`ks3-api.md` §4.7–§4.11 and the
 * seed document for UploadPartCopy).
 */
import { randomBytes } from "node:crypto";
import { parseCopySourceRange, resolveCopySourceRange, formatUnsatisfiedContentRange, type CopySourceRange } from "@stowage/core";
import { emptyResponse, isoTime, xmlResponse, type EmulatorContext, type Ks3Request, type Ks3Response } from "./context.js";
import { resolveCopySource } from "./copy-source.js";
import { Ks3Error, toKs3Error } from "./errors.js";
import { multipartEtag } from "./multipart-etag.js";
import { checkForbidOverwrite, checkWriteConditions, readSseS3, readStoredHeaders, readUserMetadata, validateKey } from "./object-input.js";
import { deleteBlobs, encryptionHeaders, readContentMd5, replaceObject } from "./object-operations.js";
import { readObjectBytes } from "./object-reader.js";
import { readSmallBody } from "./request-body.js";
import { checkSseCKey, readSseCKeyMd5 } from "./sse-c.js";
import type { StoredBucket, StoredObject, StoredPart, StoredUpload } from "./state.js";
import { parseXmlBody } from "./xml.js";

/** The upload named by `uploadId` for this key, or `NoSuchUpload` (404, seed error table). */
export function findUpload(bucket: StoredBucket, req: Ks3Request): StoredUpload {
  const upload = bucket.uploads.get(req.query.get("uploadId") ?? "");
  if (!upload || upload.key !== req.address.key) throw new Ks3Error("NoSuchUpload");
  return upload;
}

/**
 * Seed: "The number of blocks can be any one of 1 to 10000 inclusive." Outside that range (or
 * not a number) KS3 answers `InvalidPartNum` (doc 5431), S3 `InvalidArgument` (§7 #3).
 */
function readPartNumber(ctx: EmulatorContext, req: Ks3Request): number {
  const value = req.query.get("partNumber") ?? "";
  const n = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= ctx.limits.multipartMaxPartNumber)) {
    throw new Ks3Error(ctx.quirks.partNumberErrorCode, `Part number must be an integer between 1 and ${ctx.limits.multipartMaxPartNumber}, inclusive.`);
  }
  return n;
}

/** InitiateMultipartUpload: `POST /{key}?uploads`. */
export async function initiateMultipartUpload(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  const bucket = ctx.state.bucket(req.address.bucket);
  const key = req.address.key!;
  validateKey(key, ctx.limits);
  const sseCKeyMd5 = readSseCKeyMd5(req.headers, "target");
  const sseS3 = readSseS3(req.headers);
  const upload: StoredUpload = {
    uploadId: randomBytes(16).toString("hex"),
    key,
    initiated: ctx.clock.now(),
    headers: readStoredHeaders(req.headers),
    metadata: readUserMetadata(req.headers, ctx.limits),
    parts: new Map(),
    ...(sseS3 ? { sseS3 } : {}),
    ...(sseCKeyMd5 !== undefined ? { sseCKeyMd5 } : {}),
  };
  bucket.uploads.set(upload.uploadId, upload);
  await ctx.persist();
  return xmlResponse(
    "InitiateMultipartUploadResult",
    [
      ["Bucket", bucket.name],
      ["Key", key],
      ["UploadId", upload.uploadId],
    ],
    encryptionHeaders(ctx, upload),
  );
}

/** Stores a part, replacing one with the same number ("the previous block will be overwritten"). */
async function storePart(ctx: EmulatorContext, bucket: StoredBucket, upload: StoredUpload, part: StoredPart): Promise<void> {
  // Aborted or completed while the bytes were arriving: the part has nowhere to go.
  if (bucket.uploads.get(upload.uploadId) !== upload) {
    await ctx.blobs.delete(part.blob);
    throw new Ks3Error("NoSuchUpload");
  }
  const previous = upload.parts.get(part.partNumber);
  upload.parts.set(part.partNumber, part);
  // Saved before the replaced part's bytes go (see replaceObject).
  await ctx.persist();
  if (previous) await ctx.blobs.delete(previous.blob);
}

/**
 * UploadPart: `PUT /{key}?partNumber&uploadId`, streamed into a blob. Doc 42468: "Size is
 * not checked at UploadPart, only at Complete"; only the maximum is enforced here. The SSE-C
 * key "must equal the key used to initiate the upload".
 */
export async function uploadPart(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  const bucket = ctx.state.bucket(req.address.bucket);
  const upload = findUpload(bucket, req);
  const partNumber = readPartNumber(ctx, req);
  checkSseCKey(upload.sseCKeyMd5, readSseCKeyMd5(req.headers, "target"));
  const contentMd5 = readContentMd5(req.headers);
  const body = req.body();
  if (body.declaredLength === undefined) throw new Ks3Error("MissingContentLength");
  if (body.declaredLength > ctx.limits.multipartMaxPartBytes) throw new Ks3Error("EntityTooLarge");
  const blob = await ctx.blobs.write(body.chunks, ctx.limits.multipartMaxPartBytes, () => new Ks3Error("EntityTooLarge"));
  if (contentMd5 !== undefined && contentMd5 !== blob.md5Hex) {
    await ctx.blobs.delete(blob);
    throw new Ks3Error("BadDigest");
  }
  const part: StoredPart = { partNumber, blob, etag: `"${blob.md5Hex}"`, lastModified: ctx.clock.now() };
  await storePart(ctx, bucket, upload, part);
  return emptyResponse(200, { etag: part.etag, ...encryptionHeaders(ctx, upload) });
}

function readCopyRange(value: string | undefined): CopySourceRange | undefined {
  if (value === undefined) return undefined;
  try {
    // Seed: "Range setting must use bytes=first-last. Its value is based on 0."
    return parseCopySourceRange(value);
  } catch (err) {
    throw toKs3Error(err);
  }
}

/**
 * UploadPartCopy: a part from a byte range of an existing object (seed document). The range
 * must be `bytes=first-last` (malformed → 400 InvalidArgument) and inside the source (→ 416
 * InvalidRange); the four `x-kss-copy-source-if-*` conditions give 412 / 304; the answer's
 * root is `<CopyPartResult>` with `ETag` and `LastModified`.
 */
export async function uploadPartCopy(ctx: EmulatorContext, req: Ks3Request, copySourceHeader: string): Promise<Ks3Response> {
  const bucket = ctx.state.bucket(req.address.bucket);
  const upload = findUpload(bucket, req);
  const partNumber = readPartNumber(ctx, req);
  const requested = readCopyRange(req.headers.prefixed("copy-source-range"));
  const source = resolveCopySource(ctx, req.headers, copySourceHeader);
  checkSseCKey(upload.sseCKeyMd5, readSseCKeyMd5(req.headers, "target"));
  let start = 0;
  let end = source.object.size;
  if (requested !== undefined) {
    try {
      const range = resolveCopySourceRange(requested, source.object.size);
      start = range.start;
      end = range.end + 1;
    } catch (err) {
      const ks3 = toKs3Error(err);
      throw ks3.code === "InvalidRange" ? new Ks3Error("InvalidRange", ks3.message, { "content-range": formatUnsatisfiedContentRange(source.object.size) }) : ks3;
    }
  }
  if (end - start > ctx.limits.multipartMaxPartBytes) throw new Ks3Error("EntityTooLarge");
  const blob = await ctx.blobs.write(readObjectBytes(ctx.blobs, source.object, start, end), ctx.limits.multipartMaxPartBytes, () => new Ks3Error("EntityTooLarge"));
  const part: StoredPart = { partNumber, blob, etag: `"${blob.md5Hex}"`, lastModified: ctx.clock.now() };
  await storePart(ctx, bucket, upload, part);
  return xmlResponse(
    ctx.quirks.uploadPartCopyResultRoot,
    [
      ["LastModified", isoTime(part.lastModified)],
      ["ETag", part.etag],
    ],
    encryptionHeaders(ctx, upload),
  );
}

interface ListedPart {
  partNumber: number;
  etag: string;
}

/** The `<Part>` list of a Complete body; empty or unreadable is `MalformedXML` (s3-tests `test_multipart_upload_empty`). */
function readCompleteBody(doc: Record<string, unknown>): ListedPart[] {
  const root = doc["CompleteMultipartUpload"];
  const parts = typeof root === "object" && root !== null ? (root as Record<string, unknown>)["Part"] : undefined;
  if (!Array.isArray(parts) || parts.length === 0) throw new Ks3Error("MalformedXML");
  return parts.map((p: unknown) => {
    const fields = (typeof p === "object" && p !== null ? p : {}) as Record<string, unknown>;
    const number = String(fields["PartNumber"] ?? "");
    const etag = fields["ETag"];
    if (!/^\d{1,6}$/.test(number) || typeof etag !== "string") throw new Ks3Error("MalformedXML");
    return { partNumber: Number(number), etag };
  });
}

function unquote(etag: string): string {
  return etag.trim().replace(/^"|"$/g, "");
}

function completeResult(req: Ks3Request, bucket: string, key: string, etag: string): Ks3Response {
  const host = req.headers.get("host") ?? "127.0.0.1";
  return xmlResponse("CompleteMultipartUploadResult", [
    ["Location", `http://${host}/${encodeURIComponent(bucket)}/${key.split("/").map(encodeURIComponent).join("/")}`],
    ["Bucket", bucket],
    ["Key", key],
    ["ETag", etag],
  ]);
}

/**
 * CompleteMultipartUpload. Checks, in order: the list is ascending (`InvalidPartOrder`), and
 * in the ks3 profile contiguous from 1 (doc 42469: "用户提交的part列表必须是升序连续的");
 * every listed part exists with that ETag (`InvalidPart`); every part but the last is at
 * least `multipartMinPartBytes` (`EntityTooSmall`; seed: "the size of other blocks is
 * required to be more than 5MB"). The object is the listed parts' blobs, unlisted parts are
 * dropped, and the ETag is the md5-of-md5s `-N`. A failed Complete leaves the upload as it was.
 */
export async function completeMultipartUpload(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  const bucket = ctx.state.bucket(req.address.bucket);
  const uploadId = req.query.get("uploadId") ?? "";
  const xml = await readSmallBody(req.body(), ctx.limits.xmlBodyMaxBytes);
  const listed = readCompleteBody(parseXmlBody(xml, ctx.limits.xmlBodyMaxBytes));
  const partList = listed.map((p) => `${p.partNumber}:${unquote(p.etag)}`).join(",");

  const upload = bucket.uploads.get(uploadId);
  if (!upload || upload.key !== req.address.key) {
    const done = bucket.completed.get(uploadId);
    if (ctx.quirks.repeatCompleteSucceeds && done && done.key === req.address.key && done.partList === partList) {
      return completeResult(req, bucket.name, done.key, done.etag);
    }
    throw new Ks3Error("NoSuchUpload");
  }

  checkForbidOverwrite(req.headers, bucket, upload.key);
  // Synchronous from here to the swap in replaceObject: no other write can slip in between.
  checkWriteConditions(req.headers, ctx.quirks.conditionalWrites, bucket, upload.key);
  for (let i = 1; i < listed.length; i++) {
    if (listed[i]!.partNumber <= listed[i - 1]!.partNumber) throw new Ks3Error("InvalidPartOrder");
  }
  if (ctx.quirks.completeRequiresContiguousParts && listed.some((p, i) => p.partNumber !== i + 1)) {
    throw new Ks3Error("InvalidPartOrder", "Part numbers must be ascending and contiguous, starting at 1.");
  }
  const parts = listed.map((p) => {
    const part = upload.parts.get(p.partNumber);
    if (!part || unquote(part.etag) !== unquote(p.etag)) throw new Ks3Error("InvalidPart");
    return part;
  });
  parts.forEach((part, i) => {
    if (i < parts.length - 1 && part.blob.size < ctx.limits.multipartMinPartBytes) {
      throw new Ks3Error("EntityTooSmall", `Part ${part.partNumber} is ${part.blob.size} bytes; every part but the last must be at least ${ctx.limits.multipartMinPartBytes} bytes.`);
    }
  });

  const object: StoredObject = {
    key: upload.key,
    blobs: parts.map((p) => p.blob),
    size: parts.reduce((n, p) => n + p.blob.size, 0),
    etag: multipartEtag(parts.map((p) => p.blob.md5Hex)),
    lastModified: ctx.clock.now(),
    headers: upload.headers,
    metadata: upload.metadata,
    ...(upload.sseS3 ? { sseS3: true } : {}),
    ...(upload.sseCKeyMd5 !== undefined ? { sseCKeyMd5: upload.sseCKeyMd5 } : {}),
  };
  const used = new Set(parts.map((p) => p.partNumber));
  const unused = [...upload.parts.values()].filter((p) => !used.has(p.partNumber)).map((p) => p.blob);
  bucket.uploads.delete(uploadId);
  bucket.completed.set(uploadId, { key: upload.key, etag: object.etag, partList });
  await replaceObject(ctx, bucket, object);
  await deleteBlobs(ctx, unused);
  return completeResult(req, bucket.name, object.key, object.etag);
}

/**
 * AbortMultipartUpload: 204. A never-existing id is 404 NoSuchUpload; an already-aborted one is
 * 204 again in the ks3 profile (§7 #12, C-SDK `abort_multipart_upload.c:82-116`).
 */
export async function abortMultipartUpload(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  const bucket = ctx.state.bucket(req.address.bucket);
  const uploadId = req.query.get("uploadId") ?? "";
  const upload = bucket.uploads.get(uploadId);
  if (!upload || upload.key !== req.address.key) {
    if (ctx.quirks.abortIsIdempotent && bucket.aborted.has(uploadId)) return emptyResponse(204);
    throw new Ks3Error("NoSuchUpload");
  }
  bucket.uploads.delete(uploadId);
  bucket.aborted.add(uploadId);
  await ctx.persist();
  await deleteBlobs(ctx, [...upload.parts.values()].map((p) => p.blob));
  return emptyResponse(204);
}
