/**
 * The source of CopyObject and UploadPartCopy: `x-kss-copy-source: /{bucket}/{urlencoded key}`
 * (seed: "The combination of the space name and the object key name … separated by a slash"),
 * its SSE-C key, and the four `x-kss-copy-source-if-*` conditions.
 */
import { evaluatePreconditions } from "@stowage/core";
import type { EmulatorContext } from "./context.js";
import { Ks3Error } from "./errors.js";
import { readPreconditionHeaders } from "./precondition-headers.js";
import type { RequestHeaders } from "./request-headers.js";
import { checkSseCKey, readSseCKeyMd5 } from "./sse-c.js";
import type { StoredObject } from "./state.js";

/** A copy source that exists, may be read with the given key and passed its conditions. */
export interface CopySource {
  bucket: string;
  key: string;
  object: StoredObject;
}

/** Splits the header into bucket and key; the leading `/` is optional (the AWS SDK omits it). */
function parseCopySourceHeader(value: string): { bucket: string; key: string } {
  // A `?versionId=` suffix names a version; the emulator keeps none, so the current one is used.
  const withoutVersion = value.replace(/\?versionId=[^&]*$/, "");
  let decoded: string;
  try {
    decoded = decodeURIComponent(withoutVersion);
  } catch {
    throw new Ks3Error("InvalidArgument", "The copy source is not valid percent-encoded UTF-8.");
  }
  const path = decoded.startsWith("/") ? decoded.slice(1) : decoded;
  const slash = path.indexOf("/");
  if (slash <= 0 || slash === path.length - 1) throw new Ks3Error("InvalidArgument", "Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.");
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

/**
 * Resolves the copy source of a request: `NoSuchBucket` / `NoSuchKey` (404) when it is
 * missing, the SSE-C errors of {@link checkSseCKey}, then the conditions. Seed: if-match and
 * if-unmodified-since fail with 412, if-none-match and if-modified-since with 304; the s3
 * profile answers 412 for all four, as AWS does.
 */
export function resolveCopySource(ctx: EmulatorContext, headers: RequestHeaders, header: string): CopySource {
  const { bucket, key } = parseCopySourceHeader(header);
  const sourceBucket = ctx.state.buckets.get(bucket);
  if (!sourceBucket) throw new Ks3Error("NoSuchBucket", `The specified bucket does not exist: ${bucket}.`);
  const object = sourceBucket.objects.get(key);
  if (!object) throw new Ks3Error("NoSuchKey");
  checkSseCKey(object.sseCKeyMd5, readSseCKeyMd5(headers, "copy-source"));
  const outcome = evaluatePreconditions(readPreconditionHeaders((name) => headers.prefixed(`copy-source-${name}`)), { etag: object.etag, lastModified: new Date(object.lastModified) }, "copy-source");
  if (outcome === "precondition-failed") throw new Ks3Error("PreconditionFailed");
  if (outcome === "not-modified") {
    throw ctx.quirks.copySourceNotModifiedIs304 ? new Ks3Error("NotModified", undefined, { etag: object.etag }) : new Ks3Error("PreconditionFailed");
  }
  return { bucket, key, object };
}
