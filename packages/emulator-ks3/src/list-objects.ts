/** ListObjects (v1, `GET /?prefix&marker&max-keys&delimiter`) and ListObjectsV2 (`list-type=2`), doc 42288 / 42287. */
import { compareUtf8 } from "@stowage/core";
import { isoTime, OWNER, xmlResponse, type EmulatorContext, type Ks3Request, type Ks3Response } from "./context.js";
import { Ks3Error } from "./errors.js";
import { listPage, readMaxKeys } from "./list-page.js";
import type { StoredObject } from "./state.js";
import type { XmlChildren } from "./xml.js";

function contents(object: StoredObject, encode: (s: string) => string, withOwner: boolean): XmlChildren {
  return [
    ["Key", encode(object.key)],
    ["LastModified", isoTime(object.lastModified)],
    ["ETag", object.etag],
    ["Size", object.size],
    ["Owner", withOwner ? OWNER : undefined],
    ["StorageClass", "STANDARD"],
  ];
}

/**
 * `encoding-type=url` as S3 applies it to listed names: every character a URL would escape
 * is percent-encoded except `/`, so `foo+1/` is listed as `foo%2B1/`.
 */
function encodeKeepingSlashes(name: string): string {
  return name.split("/").map(encodeURIComponent).join("/");
}

/**
 * Lists a bucket. `max-keys` is 1000 at most; with a delimiter KS3 caps and defaults it to
 * 100 ("如果请求参数包含delimiter，则默认值与最大值均为100", §7 #8). `encoding-type=url`
 * percent-encodes listed names (keeping `/`) in the answer.
 */
export async function listObjects(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  const bucket = ctx.state.bucket(req.address.bucket);
  const q = req.query;
  const v2 = q.get("list-type") === "2";
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") || undefined;
  const cap = delimiter ? Math.min(ctx.quirks.listObjectsWithDelimiterMaxKeys, ctx.limits.listMaxKeys) : ctx.limits.listMaxKeys;
  const maxKeys = readMaxKeys(q, "max-keys", cap, ctx.quirks.zeroMaxKeysAllowed);
  const encodingType = q.get("encoding-type");
  if (encodingType !== null && encodingType !== "url") throw new Ks3Error("InvalidArgument", "Invalid Encoding Method specified in Request");
  const encode = encodingType === "url" ? encodeKeepingSlashes : (s: string) => s;

  let marker: string | undefined;
  const token = q.get("continuation-token");
  if (v2) {
    marker = token !== null ? Buffer.from(token, "base64url").toString("utf8") : (q.get("start-after") ?? undefined);
  } else {
    marker = q.get("marker") ?? undefined;
  }
  const sorted = [...bucket.objects.values()].sort((a, b) => compareUtf8(a.key, b.key));
  const page = listPage(sorted, (o) => o.key, {
    prefix,
    delimiter,
    marker,
    isAfterMarker: (o) => marker === undefined || compareUtf8(o.key, marker) > 0,
    maxKeys,
  });
  const body: XmlChildren = [
    ["Name", bucket.name],
    // Echoed as sent, like Delimiter: S3 and Ceph encode only the names they list
    // (issue #13 §5: SDKs show an encoded Prefix to their users verbatim).
    ["Prefix", prefix],
    ...(v2
      ? ([
          ["StartAfter", q.has("start-after") ? encode(q.get("start-after")!) : undefined],
          ["ContinuationToken", token ?? undefined],
          ["KeyCount", page.entries.length + page.commonPrefixes.length],
          ["NextContinuationToken", page.truncated && page.nextMarker !== undefined ? Buffer.from(page.nextMarker).toString("base64url") : undefined],
        ] as const)
      : ([
          ["Marker", encode(marker ?? "")],
          // §4.6: "[INFERRED] always emit it when truncated".
          ["NextMarker", page.truncated && page.nextMarker !== undefined ? encode(page.nextMarker) : undefined],
        ] as const)),
    ["MaxKeys", maxKeys],
    ["Delimiter", delimiter],
    ["EncodingType", encodingType ?? undefined],
    ["IsTruncated", page.truncated],
    ...page.entries.map((o) => ["Contents", contents(o, encode, !v2 || q.get("fetch-owner") === "true")] as const),
    ...page.commonPrefixes.map((p) => ["CommonPrefixes", [["Prefix", encode(p)]]] as const),
  ];
  return xmlResponse("ListBucketResult", body);
}
