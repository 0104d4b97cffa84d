/** PutObject, GetObject, HeadObject, DeleteObject and CopyObject (`ks3-api.md` §4.1–§4.5). */
import { evaluatePreconditions, formatContentRange, formatHttpDate } from "@stowage/core";
import type { Blob } from "./blob-store.js";
import { emptyResponse, isoTime, xmlResponse, type EmulatorContext, type Ks3Request, type Ks3Response } from "./context.js";
import { resolveCopySource } from "./copy-source.js";
import { Ks3Error } from "./errors.js";
import { resolveGetRange } from "./get-range.js";
import { checkForbidOverwrite, checkWriteConditions, readSseS3, readStoredHeaders, readUserMetadata, storedHeadersOut, validateKey } from "./object-input.js";
import { readObjectBytes } from "./object-reader.js";
import { readPreconditionHeaders } from "./precondition-headers.js";
import type { RequestHeaders } from "./request-headers.js";
import { checkSseCKey, readSseCKeyMd5, sseCResponseHeaders } from "./sse-c.js";
import type { StoredBucket, StoredObject } from "./state.js";

/** Forgets the blobs of an object (or part) that was replaced or deleted. */
export async function deleteBlobs(ctx: EmulatorContext, blobs: readonly Blob[]): Promise<void> {
  for (const blob of blobs) await ctx.blobs.delete(blob);
}

/**
 * Makes `object` the current version of its key, persists, and only then forgets the blobs of
 * the version it replaced: a crash at any point leaves a saved state whose every blob is on
 * disk (the old blob may linger as an orphan, which start-up removes). The swap itself is
 * synchronous, so no request sees the key missing. When the save fails the old blobs are
 * kept: the state on disk still names them.
 */
export async function replaceObject(ctx: EmulatorContext, bucket: StoredBucket, object: StoredObject): Promise<void> {
  const previous = bucket.objects.get(object.key);
  bucket.objects.set(object.key, object);
  await ctx.persist();
  if (previous) await deleteBlobs(ctx, previous.blobs);
}

/** An object stored as one blob (PutObject, CopyObject), whose ETag is the blob's quoted MD5. */
function singleBlobObject(
  ctx: EmulatorContext,
  key: string,
  blob: Blob,
  headers: StoredObject["headers"],
  metadata: Record<string, string>,
  encryption: { sseS3: boolean; sseCKeyMd5: string | undefined },
): StoredObject {
  return {
    key,
    blobs: [blob],
    size: blob.size,
    etag: `"${blob.md5Hex}"`,
    lastModified: ctx.clock.now(),
    headers,
    metadata,
    ...(encryption.sseS3 ? { sseS3: true } : {}),
    ...(encryption.sseCKeyMd5 !== undefined ? { sseCKeyMd5: encryption.sseCKeyMd5 } : {}),
  };
}

/** The `Content-MD5` header as hex, or `undefined`; a value that is not a base64 MD5 is `InvalidDigest`. */
export function readContentMd5(headers: RequestHeaders): string | undefined {
  const value = headers.get("content-md5");
  if (value === undefined) return undefined;
  const raw = Buffer.from(value.trim(), "base64");
  if (raw.length !== 16 || raw.toString("base64") !== value.trim()) throw new Ks3Error("InvalidDigest");
  return raw.toString("hex");
}

/** The encryption headers every answer about `object` carries. */
export function encryptionHeaders(ctx: EmulatorContext, object: { sseS3?: boolean; sseCKeyMd5?: string }): Record<string, string> {
  const prefix = ctx.quirks.headerPrefix;
  return {
    ...(object.sseS3 ? { [`${prefix}server-side-encryption`]: "AES256" } : {}),
    ...sseCResponseHeaders(object.sseCKeyMd5, prefix),
  };
}

/**
 * PutObject: streams the body into a blob (never whole in memory), checks `Content-MD5`,
 * then replaces the object. `MissingContentLength` (411) without a length, `EntityTooLarge`
 * past the limit (doc 42325: "该接口上传的Object大小不能超过5GB").
 */
export async function putObject(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  const bucket = ctx.state.bucket(req.address.bucket);
  const key = req.address.key!;
  validateKey(key, ctx.limits);
  const headers = readStoredHeaders(req.headers);
  const metadata = readUserMetadata(req.headers, ctx.limits);
  const sseCKeyMd5 = readSseCKeyMd5(req.headers, "target");
  const sseS3 = readSseS3(req.headers);
  const contentMd5 = readContentMd5(req.headers);
  checkForbidOverwrite(req.headers, bucket, key);
  checkWriteConditions(req.headers, ctx.quirks.conditionalWrites, bucket, key);
  const body = req.body();
  if (body.declaredLength === undefined) throw new Ks3Error("MissingContentLength");
  if (body.declaredLength > ctx.limits.putObjectMaxBytes) throw new Ks3Error("EntityTooLarge");
  const blob = await ctx.blobs.write(body.chunks, ctx.limits.putObjectMaxBytes, () => new Ks3Error("EntityTooLarge"));
  if (contentMd5 !== undefined && contentMd5 !== blob.md5Hex) {
    await ctx.blobs.delete(blob);
    throw new Ks3Error("BadDigest");
  }
  // Checked again: another write may have created the key while this body was arriving.
  try {
    checkForbidOverwrite(req.headers, bucket, key);
    checkWriteConditions(req.headers, ctx.quirks.conditionalWrites, bucket, key);
  } catch (err) {
    await ctx.blobs.delete(blob);
    throw err;
  }
  const object = singleBlobObject(ctx, key, blob, headers, metadata, { sseS3, sseCKeyMd5 });
  await replaceObject(ctx, bucket, object);
  return emptyResponse(200, { etag: object.etag, ...encryptionHeaders(ctx, object) });
}

/** `response-*` query overrides (doc 42320) → the response headers they replace. */
const RESPONSE_OVERRIDES: Readonly<Record<string, string>> = {
  "response-content-type": "content-type",
  "response-content-language": "content-language",
  "response-expires": "expires",
  "response-cache-control": "cache-control",
  "response-content-disposition": "content-disposition",
  "response-content-encoding": "content-encoding",
};

/**
 * GetObject and HeadObject: SSE-C key check, then the conditions in RFC 9110 order (core's
 * evaluator: 412 / 304), then the range (206 with `Content-Range`, or 416).
 */
export async function getObject(ctx: EmulatorContext, req: Ks3Request, head: boolean): Promise<Ks3Response> {
  const bucket = ctx.state.bucket(req.address.bucket);
  const object = bucket.objects.get(req.address.key!);
  if (!object) throw new Ks3Error("NoSuchKey");
  checkSseCKey(object.sseCKeyMd5, readSseCKeyMd5(req.headers, "target"));

  const validators = { etag: object.etag, "last-modified": formatHttpDate(new Date(object.lastModified)) };
  const outcome = evaluatePreconditions(readPreconditionHeaders((name) => req.headers.get(name)), { etag: object.etag, lastModified: new Date(object.lastModified) }, "read");
  // s3-tests test_get_object_ifnonematch_good: a 304 "still carries the etag header".
  if (outcome === "not-modified") throw new Ks3Error("NotModified", undefined, validators);
  if (outcome === "precondition-failed") throw new Ks3Error("PreconditionFailed");

  const rangeHeader = req.headers.get("range");
  const range = rangeHeader === undefined ? undefined : resolveGetRange(rangeHeader, object.size, ctx.quirks.strictRangeHeader);
  const start = range?.start ?? 0;
  const end = range ? range.end + 1 : object.size;

  const headers: Record<string, string> = {
    ...storedHeadersOut(object.headers),
    ...validators,
    "content-length": String(end - start),
    "accept-ranges": "bytes",
    ...encryptionHeaders(ctx, object),
  };
  for (const [name, value] of Object.entries(object.metadata)) headers[`${ctx.quirks.headerPrefix}meta-${name}`] = value;
  if (range) headers["content-range"] = formatContentRange(range);
  if (!range || !ctx.quirks.responseOverridesOnlyOn200) {
    for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
      const value = req.query.get(param);
      if (value !== null) headers[header] = value;
    }
  }
  const status = range ? 206 : 200;
  // Retained before the check, so an overwrite cannot remove a blob between check and read.
  const body = readObjectBytes(ctx.blobs, object, start, end);
  try {
    await checkBlobsPresent(ctx, object);
  } catch (err) {
    await body[Symbol.asyncIterator]().return?.();
    throw err;
  }
  if (head) {
    await body[Symbol.asyncIterator]().return?.();
    return { status, headers };
  }
  return { status, headers, body, recycle: (chunk) => ctx.blobs.recycle(chunk) };
}

/**
 * A data directory whose blob files went missing (lost by hand or by a crash before this
 * emulator ordered its writes) must answer a clean 500, not headers followed by a dropped
 * connection; HEAD answers the same so that it never promises bytes GET cannot deliver.
 */
async function checkBlobsPresent(ctx: EmulatorContext, object: StoredObject): Promise<void> {
  for (const blob of object.blobs) {
    if (!(await ctx.blobs.has(blob))) throw new Ks3Error("InternalError", "The object's data is missing from the emulator's data directory.");
  }
}

/** DeleteObject: 204; a missing key is 404 NoSuchKey in the ks3 profile (§7 #4), 204 in s3. */
export async function deleteObject(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  const bucket = ctx.state.bucket(req.address.bucket);
  const key = req.address.key!;
  const object = bucket.objects.get(key);
  if (!object) {
    if (ctx.quirks.deleteMissingIs404) throw new Ks3Error("NoSuchKey");
    return emptyResponse(204);
  }
  bucket.objects.delete(key);
  // Saved before the bytes go (see replaceObject).
  await ctx.persist();
  await deleteBlobs(ctx, object.blobs);
  return emptyResponse(204);
}

/**
 * CopyObject (PUT with `x-kss-copy-source`): source ≤ `copyObjectMaxSourceBytes` (doc 27926:
 * "Source object must be ≤ 1 GB; use Upload Part Copy above that"); metadata copied or
 * replaced per `x-kss-metadata-directive`; copying onto itself without REPLACE is 400
 * InvalidRequest (s3-tests `test_object_copy_to_itself`). The bytes are copied as a stream.
 */
export async function copyObject(ctx: EmulatorContext, req: Ks3Request, copySourceHeader: string): Promise<Ks3Response> {
  const bucket = ctx.state.bucket(req.address.bucket);
  const key = req.address.key!;
  validateKey(key, ctx.limits);
  const source = resolveCopySource(ctx, req.headers, copySourceHeader);
  const directive = (req.headers.prefixed("metadata-directive") ?? "COPY").toUpperCase();
  if (directive !== "COPY" && directive !== "REPLACE") throw new Ks3Error("InvalidArgument", "Unknown metadata directive.");
  const sseCKeyMd5 = readSseCKeyMd5(req.headers, "target");
  const sseS3 = readSseS3(req.headers);
  if (source.bucket === bucket.name && source.key === key && directive === "COPY" && sseCKeyMd5 === source.object.sseCKeyMd5 && !sseS3) {
    throw new Ks3Error(
      "InvalidRequest",
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  checkForbidOverwrite(req.headers, bucket, key);
  if (source.object.size > ctx.limits.copyObjectMaxSourceBytes) {
    throw new Ks3Error("EntityTooLarge", "The copy source is larger than the maximum allowed for CopyObject; use UploadPartCopy.");
  }
  const blob = await ctx.blobs.write(readObjectBytes(ctx.blobs, source.object, 0, source.object.size), ctx.limits.copyObjectMaxSourceBytes, () => new Ks3Error("EntityTooLarge"));
  const object = singleBlobObject(
    ctx,
    key,
    blob,
    directive === "REPLACE" ? readStoredHeaders(req.headers) : { ...source.object.headers },
    directive === "REPLACE" ? readUserMetadata(req.headers, ctx.limits) : { ...source.object.metadata },
    { sseS3, sseCKeyMd5 },
  );
  await replaceObject(ctx, bucket, object);
  return xmlResponse(
    "CopyObjectResult",
    [
      ["LastModified", isoTime(object.lastModified)],
      ["ETag", object.etag],
    ],
    encryptionHeaders(ctx, object),
  );
}
