/**
 * Pure response parsers, one per provider operation: headers and XML documents in, contract
 * results out. Anything a server must send and did not raises `Internal`.
 */
import {
  StorageError,
  parseContentRange,
  quoteEtag,
  type ListMultipartUploadsPage,
  type ListObjectsPage,
  type ListPartsPage,
  type ObjectInfo,
  type ResolvedRange,
  compareUtf8,
} from "@stowage/core";
import { formatListCursor } from "./list-cursor.js";
import { parseXml, xmlChildren, xmlText, type XmlNode } from "./xml.js";

/** Response headers with lower-case names (first value of a repeated header). */
export type ResponseHeaders = Readonly<Record<string, string | undefined>>;

function protocolError(message: string): StorageError {
  return new StorageError({ code: "Internal", message: `Unexpected S3 response: ${message}` });
}

function required(node: XmlNode, name: string, where: string): string {
  const v = xmlText(node, name);
  if (v === undefined) throw protocolError(`<${where}> lacks <${name}>`);
  return v;
}

function date(value: string | undefined, what: string): Date {
  const d = value === undefined ? new Date(Number.NaN) : new Date(value);
  if (Number.isNaN(d.getTime())) throw protocolError(`${what} is not a date`);
  return d;
}

function integer(value: string | undefined, what: string): number {
  if (value === undefined || !/^\d+$/.test(value.trim())) throw protocolError(`${what} is not an integer`);
  return Number(value.trim());
}

function truthy(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === "true";
}

/**
 * Parses a document and checks its root element is one of `roots` (S3 may answer a 200 whose
 * body is an `<Error>`: that case is handled before this point, see the HTTP client).
 */
export function parseDocument(text: string, roots: readonly string[]): XmlNode {
  const { name, root } = parseXml(text);
  if (!roots.includes(name)) throw protocolError(`expected <${roots.join("> or <")}>, got <${name}>`);
  return root;
}

/** The fields of `<Error><Code/><Message/><Resource/><RequestId/></Error>`, or `undefined` when `text` is not one. */
export function parseErrorDocument(text: string):
  | {
      /** `<Code>`, the provider's error code, e.g. `NoSuchKey`. */
      code?: string;
      /** `<Message>`, the provider's human-readable text. */
      message?: string;
      /** `<Resource>`, the bucket or object the error concerns. */
      resource?: string;
      /** `<RequestId>`, for support tickets. */
      requestId?: string;
    }
  | undefined {
  if (!/<Error[\s>]/.test(text)) return undefined;
  try {
    const { name, root } = parseXml(text);
    if (name !== "Error") return undefined;
    return {
      code: xmlText(root, "Code"),
      message: xmlText(root, "Message"),
      resource: xmlText(root, "Resource"),
      requestId: xmlText(root, "RequestId"),
    };
  } catch {
    // Not a usable error document: the status alone decides.
    return undefined;
  }
}

/**
 * User metadata from `<prefix>meta-*` headers, names lower-case without the prefix. The record
 * has no prototype, so an object another client wrote with `x-amz-meta-__proto__` reports that
 * entry instead of losing it to the prototype accessor.
 */
export function metadataFromHeaders(headers: ResponseHeaders, prefixes: readonly string[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const p of prefixes) if (name.startsWith(p)) out[name.slice(p.length)] = value;
  }
  return out;
}

/**
 * The object's info from GET/HEAD answer headers. The size is the `Content-Range` total of a
 * 206, else `Content-Length`.
 */
export function objectInfoFromHeaders(
  key: string,
  headers: ResponseHeaders,
  metadataPrefixes: readonly string[],
): {
  /** The whole object's info; `size` is the full size even for a range answer. */
  info: ObjectInfo;
  /** The byte range the body holds, from `Content-Range`; absent for a whole-object answer. */
  range?: ResolvedRange;
  /** `Content-Length` as sent: the range's length for a 206, else the object's size. */
  contentLength: number;
} {
  const contentLength = integer(headers["content-length"], "Content-Length");
  let range: ResolvedRange | undefined;
  if (headers["content-range"] !== undefined) {
    const parsed = parseContentRange(headers["content-range"]);
    if (parsed === undefined || "unsatisfied" in parsed) throw protocolError("Content-Range is malformed");
    range = parsed;
  }
  const etag = headers["etag"];
  if (etag === undefined) throw protocolError("no ETag header");
  const info: ObjectInfo = {
    key,
    size: range ? range.size : contentLength,
    etag: quoteEtag(etag),
    lastModified: date(headers["last-modified"], "Last-Modified"),
    metadata: metadataFromHeaders(headers, metadataPrefixes),
    ...(headers["content-type"] !== undefined ? { contentType: headers["content-type"] } : {}),
  };
  return range ? { info, range, contentLength } : { info, contentLength };
}

/** An ETag response header, quoted. */
export function etagHeader(headers: ResponseHeaders): string {
  const etag = headers["etag"];
  if (etag === undefined) throw protocolError("no ETag header");
  return quoteEtag(etag);
}

/**
 * Decodes a value the server percent-encoded because we asked `encoding-type=url`; only when the
 * answer says it did (`<EncodingType>url</EncodingType>`), as a server may ignore the parameter.
 */
function decoder(root: XmlNode): (v: string) => string {
  if (xmlText(root, "EncodingType")?.toLowerCase() !== "url") return (v) => v;
  return (v) => {
    try {
      return decodeURIComponent(v.replace(/\+/g, "%20"));
    } catch {
      throw protocolError("an url-encoded key is not valid percent-encoding");
    }
  };
}

/**
 * `<ListBucketResult>`. The cursor carries `NextMarker`, or, when the server omits it (S3 does
 * without a delimiter), the last key or common prefix of the page.
 */
export function parseListObjects(text: string): ListObjectsPage {
  const root = parseDocument(text, ["ListBucketResult"]);
  const decode = decoder(root);
  const objects = xmlChildren(root, "Contents").map((c) => ({
    key: decode(required(c, "Key", "Contents")),
    size: integer(xmlText(c, "Size"), "Size"),
    etag: quoteEtag(required(c, "ETag", "Contents")),
    lastModified: date(xmlText(c, "LastModified"), "LastModified"),
  }));
  const commonPrefixes = xmlChildren(root, "CommonPrefixes").map((p) => decode(required(p, "Prefix", "CommonPrefixes")));
  const page: ListObjectsPage = { objects, commonPrefixes };
  if (!truthy(xmlText(root, "IsTruncated"))) return page;
  const next = xmlText(root, "NextMarker");
  const lastKey = objects.at(-1)?.key;
  const lastPrefix = commonPrefixes.at(-1);
  const fallback = lastKey === undefined ? lastPrefix : lastPrefix === undefined || compareUtf8(lastKey, lastPrefix) > 0 ? lastKey : lastPrefix;
  const cursor = next !== undefined && next !== "" ? decode(next) : fallback;
  if (cursor === undefined) throw protocolError("a truncated listing without NextMarker or entries");
  return { ...page, cursor: formatListCursor("objects", [cursor]) };
}

/** `<CopyObjectResult>` / `<CopyPartResult>` (whichever of `roots` the dialect accepts). */
export function parseCopyResult(
  text: string,
  roots: readonly string[],
): {
  /** `<ETag>` of the copy (or the copied part), quoted. */
  etag: string;
  /** `<LastModified>` of the copy. */
  lastModified: Date;
} {
  const root = parseDocument(text, roots);
  return {
    etag: quoteEtag(required(root, "ETag", "CopyResult")),
    lastModified: date(xmlText(root, "LastModified"), "LastModified"),
  };
}

/** `<InitiateMultipartUploadResult>` → the upload id. */
export function parseInitiateMultipartUpload(text: string): string {
  return required(parseDocument(text, ["InitiateMultipartUploadResult"]), "UploadId", "InitiateMultipartUploadResult");
}

/** `<CompleteMultipartUploadResult>` → the object's ETag. */
export function parseCompleteMultipartUpload(text: string): string {
  return quoteEtag(required(parseDocument(text, ["CompleteMultipartUploadResult"]), "ETag", "CompleteMultipartUploadResult"));
}

/**
 * `<CompleteMultipartUploadResult>` → the quoted ETag, or `undefined` when the element is empty
 * or missing (Ceph RGW 16 answers `<ETag/>`; the object's HEAD has the right one).
 */
export function parseCompleteMultipartUploadEtag(text: string): string | undefined {
  const etag = xmlText(parseDocument(text, ["CompleteMultipartUploadResult"]), "ETag");
  return etag ? quoteEtag(etag) : undefined;
}

/** `<ListPartsResult>`; the cursor carries `NextPartNumberMarker` while truncated. */
export function parseListParts(text: string): ListPartsPage {
  const root = parseDocument(text, ["ListPartsResult"]);
  const parts = xmlChildren(root, "Part").map((p) => ({
    partNumber: integer(xmlText(p, "PartNumber"), "PartNumber"),
    etag: quoteEtag(required(p, "ETag", "Part")),
    size: integer(xmlText(p, "Size"), "Size"),
    lastModified: date(xmlText(p, "LastModified"), "LastModified"),
  }));
  if (!truthy(xmlText(root, "IsTruncated"))) return { parts };
  const next = xmlText(root, "NextPartNumberMarker") || String(parts.at(-1)?.partNumber ?? "");
  if (next === "") throw protocolError("a truncated part listing without NextPartNumberMarker");
  return { parts, cursor: formatListCursor("parts", [next]) };
}

/** `<ListMultipartUploadsResult>`; the cursor carries `NextKeyMarker` and `NextUploadIdMarker`. */
export function parseListMultipartUploads(text: string): ListMultipartUploadsPage {
  const root = parseDocument(text, ["ListMultipartUploadsResult"]);
  const decode = decoder(root);
  const uploads = xmlChildren(root, "Upload").map((u) => ({
    key: decode(required(u, "Key", "Upload")),
    uploadId: required(u, "UploadId", "Upload"),
    initiated: date(xmlText(u, "Initiated"), "Initiated"),
  }));
  if (!truthy(xmlText(root, "IsTruncated"))) return { uploads };
  const last = uploads.at(-1);
  const nextKey = xmlText(root, "NextKeyMarker");
  const keyMarker = nextKey ? decode(nextKey) : last?.key;
  const uploadIdMarker = xmlText(root, "NextUploadIdMarker") || last?.uploadId || "";
  if (keyMarker === undefined) throw protocolError("a truncated upload listing without NextKeyMarker");
  return { uploads, cursor: formatListCursor("uploads", [keyMarker, uploadIdMarker]) };
}
