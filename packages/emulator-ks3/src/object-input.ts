/**
 * What a write request says about the object it creates: the key (checked against the
 * limits), the stored headers and the user metadata.
 */
import { checkWriteConditions as checkConditions, isStorageError, type WriteConditions } from "@stowage/core";
import type { Ks3EmulatorLimits } from "./profile.js";
import { Ks3Error } from "./errors.js";
import type { RequestHeaders } from "./request-headers.js";
import type { StoredBucket, StoredHeaders } from "./state.js";

/**
 * Doc 42325: "Key is 1–1024 characters and may not contain `@base@` or `@style@`" — counted
 * in UTF-8 bytes, as the aws fork's README counts the encoded length.
 */
export function validateKey(key: string, limits: Ks3EmulatorLimits): void {
  if (Buffer.byteLength(key, "utf8") > limits.keyMaxBytes) throw new Ks3Error("KeyTooLong");
  const forbidden = limits.keyForbiddenSubstrings.find((s) => key.includes(s));
  if (forbidden !== undefined) throw new Ks3Error("InvalidKey", `Object names may not contain ${forbidden}.`);
}

/** The standard headers a write stores and a read returns. */
export function readStoredHeaders(headers: RequestHeaders): StoredHeaders {
  const stored: StoredHeaders = {};
  const contentType = headers.get("content-type");
  if (contentType !== undefined) stored.contentType = contentType;
  const cacheControl = headers.get("cache-control");
  if (cacheControl !== undefined) stored.cacheControl = cacheControl;
  const disposition = headers.get("content-disposition");
  if (disposition !== undefined) stored.contentDisposition = disposition;
  // `aws-chunked` is framing, not a property of the object.
  const encoding = (headers.get("content-encoding") ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "" && e !== "aws-chunked")
    .join(",");
  if (encoding !== "") stored.contentEncoding = encoding;
  const language = headers.get("content-language");
  if (language !== undefined) stored.contentLanguage = language;
  const expires = headers.get("expires");
  if (expires !== undefined) stored.expires = expires;
  return stored;
}

/**
 * User metadata (`x-kss-meta-*` / `x-amz-meta-*`). Names must match the Java SDK's
 * `^[-0-9A-Z_a-z]+$`; the total of names and values is capped (`MetadataTooLarge`).
 */
export function readUserMetadata(headers: RequestHeaders, limits: Ks3EmulatorLimits): Record<string, string> {
  const metadata = headers.userMetadata();
  let total = 0;
  for (const [name, value] of Object.entries(metadata)) {
    if (!/^[-0-9A-Za-z_]+$/.test(name)) throw new Ks3Error("InvalidArgument", "User metadata names may contain only letters, digits, '-' and '_'.");
    total += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  if (total > limits.userMetadataMaxBytes) throw new Ks3Error("MetadataTooLarge");
  return metadata;
}

/** `x-kss-server-side-encryption`: only `AES256` exists (doc 37480: "any other value → error"). */
export function readSseS3(headers: RequestHeaders): boolean {
  const value = headers.prefixed("server-side-encryption");
  if (value === undefined) return false;
  if (value !== "AES256") throw new Ks3Error("InvalidArgument", "The server-side encryption algorithm must be AES256.");
  return true;
}

/** Headers that describe a stored object on GET / HEAD. */
export function storedHeadersOut(stored: StoredHeaders): Record<string, string> {
  const out: Record<string, string> = { "content-type": stored.contentType ?? "application/octet-stream" };
  if (stored.cacheControl !== undefined) out["cache-control"] = stored.cacheControl;
  if (stored.contentDisposition !== undefined) out["content-disposition"] = stored.contentDisposition;
  if (stored.contentEncoding !== undefined) out["content-encoding"] = stored.contentEncoding;
  if (stored.contentLanguage !== undefined) out["content-language"] = stored.contentLanguage;
  if (stored.expires !== undefined) out["expires"] = stored.expires;
  return out;
}

/**
 * `x-kss-forbid-overwrite: true` (§4.5, the 2026 aws-fork model): a write onto an existing
 * key fails with 400 InvalidKey, the code the Java README gives for "目标object已经存在"
 * (the target object already exists). Without the header, writes overwrite.
 */
export function checkForbidOverwrite(headers: RequestHeaders, bucket: StoredBucket, key: string): void {
  if ((headers.prefixed("forbid-overwrite") ?? "").toLowerCase() === "true" && bucket.objects.has(key)) {
    throw new Ks3Error("InvalidKey", "The target object already exists and x-kss-forbid-overwrite is true.");
  }
}

/**
 * Conditional writes (S3 profile) on PutObject and CompleteMultipartUpload: `If-None-Match: *`
 * creates only when the key is absent, `If-Match: <etag>` replaces only that version; otherwise
 * 412 PreconditionFailed, and `If-Match` on a missing key is 404 NoSuchKey (S3 User Guide,
 * "Conditional writes", error responses). S3 accepts only `*` in `If-None-Match` on a write (501
 * NotImplemented otherwise). Judged by core's one evaluator (`checkWriteConditions`), before the
 * body is read and again just before the object is swapped in, synchronously with the swap, so
 * of two racing creators exactly one wins.
 */
export function checkWriteConditions(headers: RequestHeaders, conditionalWrites: boolean, bucket: StoredBucket, key: string): void {
  if (!conditionalWrites) return;
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== "*") throw new Ks3Error("NotImplemented", "If-None-Match on a write supports only *.");
  const conditions: WriteConditions = {};
  if (ifNoneMatch !== undefined) conditions.ifNoneMatch = "*";
  const ifMatch = headers.get("if-match");
  if (ifMatch !== undefined) conditions.ifMatch = ifMatch;
  const current = bucket.objects.get(key);
  try {
    checkConditions(conditions, current && { etag: current.etag, lastModified: new Date(current.lastModified) });
  } catch (err) {
    throw new Ks3Error(isStorageError(err, "NotFound") ? "NoSuchKey" : "PreconditionFailed");
  }
}
