import type { NormalizedBody } from "@stowage/core";
import { encodeObjectKey, encodeRfc3986 } from "./uri-encode.js";

/** HTTP methods the S3 family uses. */
export type S3Method = "GET" | "HEAD" | "PUT" | "POST" | "DELETE";

/**
 * One provider call, before addressing and signing: what the pure request builders produce
 * and tests assert on.
 */
export interface S3Request {
  /** The contract operation, for errors (`putObject`, `uploadPartCopy`, …). */
  readonly operation: string;
  /** The HTTP method. */
  readonly method: S3Method;
  /** The bucket addressed (in the path or the host, depending on the addressing style). */
  readonly bucket: string;
  /** The object key, unencoded; absent for a bucket-level call. */
  readonly key?: string;
  /** Query parameters in the order they are sent; a valueless sub-resource has value `""`. */
  readonly query: URLSearchParams;
  /** Headers with lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body: bytes, or a stream whose `length` is set in `content-length`. */
  readonly body?: NormalizedBody;
}

/** Path style (`endpoint/bucket/key`) or virtual-host style (`bucket.endpoint/key`). */
export type Addressing = "path" | "virtual-host";

/** Where and how a request goes on the wire. */
export interface HttpTarget {
  /** Scheme, host and port undici connects to. */
  readonly origin: string;
  /** The `Host` header value. */
  readonly host: string;
  /** The encoded path, without the query (the SigV4 canonical URI). */
  readonly path: string;
  /** The query string without `?`, or `""`. */
  readonly search: string;
  /** `/bucket/encodedKey` (`/bucket/` for a bucket-level call): the V2 canonical resource. */
  readonly resource: string;
}

/**
 * Hosts that name the local machine by address: a virtual-host request to them connects to
 * the endpoint itself and carries the bucket in the `Host` header only, since
 * `bucket.127.0.0.1` resolves nowhere (this is how tests reach an emulator).
 */
export function isAddressLiteral(hostname: string): boolean {
  return hostname === "localhost" || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith("[");
}

/** Serializes a query with RFC 3986 encoding; a valueless parameter is written bare (`?uploads`). */
export function formatQuery(query: URLSearchParams): string {
  const parts: string[] = [];
  for (const [k, v] of query) parts.push(v === "" ? encodeRfc3986(k) : `${encodeRfc3986(k)}=${encodeRfc3986(v)}`);
  return parts.join("&");
}

/** Resolves a request against an endpoint in the chosen addressing style. Pure. */
export function resolveTarget(endpoint: URL, addressing: Addressing, req: Pick<S3Request, "bucket" | "key" | "query">): HttpTarget {
  const encodedKey = req.key === undefined ? "" : encodeObjectKey(req.key);
  const resource = `/${req.bucket}/${encodedKey}`;
  const search = formatQuery(req.query);
  if (addressing === "path") {
    return { origin: endpoint.origin, host: endpoint.host, path: resource, search, resource };
  }
  const host = `${req.bucket}.${endpoint.host}`;
  const origin = isAddressLiteral(endpoint.hostname) ? endpoint.origin : `${endpoint.protocol}//${host}`;
  return { origin, host, path: `/${encodedKey}`, search, resource };
}
