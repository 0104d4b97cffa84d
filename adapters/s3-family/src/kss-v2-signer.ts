import { createHmac } from "node:crypto";

/** The header family a V2 signature canonicalizes: KS3's native `x-kss-` or AWS's `x-amz-`. */
export type V2HeaderPrefix = "x-kss-" | "x-amz-";

/** A request, as it goes on the wire, described for V2 signing. */
export interface KssV2Request {
  /** HTTP method, upper case. */
  method: string;
  /**
   * `/bucket/key` with the key exactly as encoded on the request line (`/bucket/` for a
   * bucket-level request, `/` for the service). Never decoded here.
   */
  resource: string;
  /** The request's query; only the whitelisted sub-resources below enter the signature. */
  query: URLSearchParams;
  /** Request headers with lower-case names. */
  headers: Record<string, string>;
  /** Which headers are canonicalized: `x-kss-` for `KSS AK:sig`, `x-amz-` for `AWS AK:sig`. */
  headerPrefix: V2HeaderPrefix;
  /**
   * For a presigned URL: the `Expires` unix seconds, which replace the Date line
   * (ks3-api.md §2.1 "for presigned URLs, the Expires unix seconds").
   */
  expires?: string;
}

/**
 * The query parameters that are sub-resources and therefore signed. ks3-api.md §2.1: the union
 * of the Java (`RequestUtils.java`), Go (`signKeyList`) and aws-sdk-go fork (`signQuerys`)
 * lists, as the reference recommends for verification. Listing and paging parameters
 * (`prefix`, `marker`, `max-keys`, `delimiter`, `encoding-type`, `max-parts`,
 * `part-number-marker`, `key-marker`, `upload-id-marker`, `max-uploads`) are never signed.
 */
const SIGNED_SUB_RESOURCES: ReadonlySet<string> = new Set([
  "acl", "adp", "append", "bucketInfo", "callback", "clear", "cname", "cors", "crr",
  "dataRedundancySwitch", "delete", "encryption", "fetch", "id", "img", "inventory", "jobId",
  "jobs", "lifecycle", "live", "location", "logging", "mirror", "notification", "objectMeta",
  "partNumber", "pfop", "policy", "position", "qos", "queryadp", "querypfop", "quota",
  "recover", "recycle", "regionList", "replication", "requestPayment", "restore", "retention",
  "security-token", "stat", "status", "style", "symlink", "tagging", "thumbnail", "torrent",
  "transfer", "transferAcceleration", "uploadId", "uploads", "versionId", "versioning",
  "versions", "vod", "website", "x-ks3-process",
]);

function isSignedSubResource(name: string): boolean {
  return SIGNED_SUB_RESOURCES.has(name) || name.startsWith("response-");
}

/**
 * The V2 StringToSign (ks3-api.md §2.1):
 * `VERB\nContent-MD5\nContent-Type\nDate\n` + canonicalized prefix headers + resource with
 * the sorted, unencoded sub-resources. When the prefixed `date` header (`x-kss-date` /
 * `x-amz-date`) is present the Date line is empty, as in AWS V2, because that header is
 * already signed among the canonical headers.
 */
export function kssV2StringToSign(req: KssV2Request): string {
  const h = req.headers;
  const prefixed = Object.keys(h)
    .map((name) => name.toLowerCase())
    .filter((name) => name.startsWith(req.headerPrefix))
    .sort();
  const dateLine =
    req.expires ?? (h[`${req.headerPrefix}date`] !== undefined ? "" : (h["date"] ?? ""));
  let out = `${req.method.toUpperCase()}\n${h["content-md5"] ?? ""}\n${h["content-type"] ?? ""}\n${dateLine}\n`;
  for (const name of prefixed) out += `${name}:${(h[name] ?? "").trim()}\n`;
  return out + req.resource + canonicalSubResources(req.query);
}

function canonicalSubResources(query: URLSearchParams): string {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of query) if (isSignedSubResource(name)) pairs.push([name, value]);
  if (pairs.length === 0) return "";
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `?${pairs.map(([k, v]) => (v === "" ? k : `${k}=${v}`)).join("&")}`;
}

/** `Base64(HMAC-SHA1(secret, UTF-8(stringToSign)))`, the V2 signature. */
export function kssV2Signature(stringToSign: string, secret: string): string {
  return createHmac("sha1", secret).update(stringToSign, "utf8").digest("base64");
}

/**
 * The `Authorization` header value: `KSS AK:sig` for the `x-kss-` form, `AWS AK:sig` for the
 * `x-amz-` form (the aws-sdk-go fork's default, ks3-api.md §2.1 "Other V2 variants").
 */
export function kssV2Authorization(req: KssV2Request, accessKeyId: string, secret: string): string {
  const scheme = req.headerPrefix === "x-kss-" ? "KSS" : "AWS";
  return `${scheme} ${accessKeyId}:${kssV2Signature(kssV2StringToSign(req), secret)}`;
}

/** A request to presign with V2 query-string authentication. */
export interface KssV2PresignRequest extends Omit<KssV2Request, "expires"> {
  /** The instant the URL stops working, in whole seconds since the Unix epoch (`Expires`). */
  expires: number;
}

/**
 * The V2 presigned-URL query (ks3-api.md §2.1 "Presigned URL"): `KSSAccessKeyId` (or
 * `AWSAccessKeyId` for the `x-amz-` form, as the aws-sdk-go fork presigns), `Expires` and
 * `Signature`, computed over {@link kssV2StringToSign} with the Expires seconds on the Date
 * line. The request's own query is kept; its sub-resources are signed as usual, and the
 * content type and prefixed headers the caller must send are signed from `headers`.
 */
export function kssV2PresignQuery(req: KssV2PresignRequest, accessKeyId: string, secret: string): URLSearchParams {
  if (!Number.isSafeInteger(req.expires) || req.expires < 0) throw new RangeError("Expires must be whole seconds since the epoch");
  const expires = String(req.expires);
  const signature = kssV2Signature(kssV2StringToSign({ ...req, expires }), secret);
  const query = new URLSearchParams(req.query);
  query.set(req.headerPrefix === "x-kss-" ? "KSSAccessKeyId" : "AWSAccessKeyId", accessKeyId);
  query.set("Expires", expires);
  query.set("Signature", signature);
  return query;
}
