/** ListParts (`GET /{key}?uploadId`) and ListMultipartUploads (`GET /?uploads`), `ks3-api.md` §4.12–§4.13. */
import { compareUtf8 } from "@stowage/core";
import { isoTime, OWNER, xmlResponse, type EmulatorContext, type Ks3Request, type Ks3Response } from "./context.js";
import { Ks3Error } from "./errors.js";
import { listPage, readMaxKeys } from "./list-page.js";
import { findUpload } from "./multipart-operations.js";
import type { StoredUpload } from "./state.js";

/** ListParts: parts after `part-number-marker`, at most `max-parts` (1–1000, default 1000). */
export async function listParts(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  const bucket = ctx.state.bucket(req.address.bucket);
  const upload = findUpload(bucket, req);
  const maxParts = readMaxKeys(req.query, "max-parts", ctx.limits.listMaxKeys, ctx.quirks.zeroMaxKeysAllowed);
  const markerText = req.query.get("part-number-marker") ?? "0";
  if (!/^\d+$/.test(markerText)) throw new Ks3Error("InvalidArgument", "part-number-marker must be a non-negative integer.");
  const marker = Number(markerText);
  const after = [...upload.parts.values()].filter((p) => p.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
  const page = after.slice(0, maxParts);
  const truncated = after.length > page.length && maxParts > 0;
  return xmlResponse("ListPartsResult", [
    ["Bucket", bucket.name],
    ["Key", upload.key],
    ["UploadId", upload.uploadId],
    ["Initiator", OWNER],
    ["Owner", OWNER],
    ["StorageClass", "STANDARD"],
    ["PartNumberMarker", marker],
    ["NextPartNumberMarker", page.at(-1)?.partNumber ?? marker],
    ["MaxParts", maxParts],
    ["IsTruncated", truncated],
    ...page.map(
      (p) =>
        [
          "Part",
          [
            ["PartNumber", p.partNumber],
            ["LastModified", isoTime(p.lastModified)],
            ["ETag", p.etag],
            ["Size", p.blob.size],
          ],
        ] as const,
    ),
  ]);
}

/**
 * ListMultipartUploads, ordered by key then upload id. Marker semantics (Java javadoc,
 * §4.13): `key-marker` alone → keys after it; with `upload-id-marker` → the same key's later
 * upload ids, then later keys; `upload-id-marker` alone is ignored.
 */
export async function listMultipartUploads(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  const bucket = ctx.state.bucket(req.address.bucket);
  const q = req.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") || undefined;
  const maxUploads = readMaxKeys(q, "max-uploads", ctx.limits.listMaxKeys, ctx.quirks.zeroMaxKeysAllowed);
  const keyMarker = q.get("key-marker") ?? undefined;
  const uploadIdMarker = keyMarker !== undefined ? (q.get("upload-id-marker") ?? undefined) : undefined;
  const sorted = [...bucket.uploads.values()].sort((a, b) => compareUtf8(a.key, b.key) || compareUtf8(a.uploadId, b.uploadId));
  const isAfterMarker = (u: StoredUpload): boolean => {
    if (keyMarker === undefined) return true;
    if (u.key !== keyMarker) return compareUtf8(u.key, keyMarker) > 0;
    return uploadIdMarker !== undefined && compareUtf8(u.uploadId, uploadIdMarker) > 0;
  };
  const page = listPage(sorted, (u) => u.key, { prefix, delimiter, marker: uploadIdMarker === undefined ? keyMarker : undefined, isAfterMarker, maxKeys: maxUploads });
  return xmlResponse("ListMultipartUploadsResult", [
    ["Bucket", bucket.name],
    ["KeyMarker", keyMarker ?? ""],
    ["UploadIdMarker", uploadIdMarker ?? ""],
    ["NextKeyMarker", page.truncated ? (page.nextMarker ?? "") : undefined],
    ["NextUploadIdMarker", page.truncated ? (page.lastEntry?.uploadId ?? "") : undefined],
    ["Delimiter", delimiter],
    ["Prefix", prefix],
    ["MaxUploads", maxUploads],
    ["IsTruncated", page.truncated],
    ...page.entries.map(
      (u) =>
        [
          "Upload",
          [
            ["Key", u.key],
            ["UploadId", u.uploadId],
            ["Initiator", OWNER],
            ["Owner", OWNER],
            ["StorageClass", "STANDARD"],
            ["Initiated", isoTime(u.initiated)],
          ],
        ] as const,
    ),
    ...page.commonPrefixes.map((p) => ["CommonPrefixes", [["Prefix", p]]] as const),
  ]);
}
