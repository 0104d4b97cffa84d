/**
 * ACS3-HMAC-SHA256, the V3 request signature the official SDKs use by default
 * ("V3 request structure and signature", help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature).
 *
 *   CanonicalRequest = METHOD \n URI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
 *   StringToSign     = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest))
 *   Signature        = hex(hmac_sha256(AccessKeySecret, StringToSign))
 */
import { createHmac, hash } from "node:crypto";

/** The algorithm name, first word of the `Authorization` header. */
export const ACS3_ALGORITHM = "ACS3-HMAC-SHA256";

/** `x-acs-content-sha256` of an empty body. */
export const EMPTY_PAYLOAD_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** What the signature covers. Header names may have any case; values are signed trimmed. */
export interface Acs3SigningInput {
  /** HTTP method, upper case (`GET`, `POST`). */
  method: string;
  /** `/` for every RPC-style action. */
  pathname: string;
  /** Business parameters, not yet encoded. */
  query: Readonly<Record<string, string>>;
  /** Every header that will be sent; `host`, `content-type` and `x-acs-*` are signed. */
  headers: Readonly<Record<string, string>>;
  /** hex(sha256(body)), i.e. the `x-acs-content-sha256` header. */
  hashedPayload: string;
  /**
   * `canonicalQueryString(query)`, when the caller has already built it (it is also the query
   * the request is sent with), so it is not built twice.
   */
  canonicalQuery?: string;
}

const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/;

/**
 * RFC 3986 percent-encoding: everything but `A–Z a–z 0–9 - _ . ~`. `encodeURIComponent` leaves
 * `! ' ( ) *` alone, which the SDKs (and the server) encode, so they are fixed up here.
 */
export function percentEncode(value: string): string {
  // Most names and keys need no encoding at all; testing for that is cheaper than encoding.
  if (UNRESERVED_ONLY.test(value)) return value;
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** hex(sha256(body)): the `x-acs-content-sha256` header and the canonical request's last line. */
export function hashPayload(body: Uint8Array | string): string {
  if (body.length === 0) return EMPTY_PAYLOAD_SHA256;
  // The one-shot hash skips the Hash object a streaming createHash() would allocate.
  return hash("sha256", body, "hex");
}

/** The sorted, encoded query string; also the one the request is sent with, so both agree byte for byte. */
export function canonicalQueryString(query: Readonly<Record<string, string>>): string {
  return Object.keys(query)
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(query[name]!)}`)
    .join("&");
}

function signedHeaderNames(headers: Readonly<Record<string, string>>): { names: string[]; values: Map<string, string> } {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === "host" || lower === "content-type" || lower.startsWith("x-acs-")) values.set(lower, value.trim());
  }
  return { names: [...values.keys()].sort(), values };
}

function canonicalize(input: Acs3SigningInput): { canonicalRequest: string; signedHeaders: string } {
  const { names, values } = signedHeaderNames(input.headers);
  let canonicalHeaders = "";
  for (const name of names) canonicalHeaders += `${name}:${values.get(name)}\n`;
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    input.method.toUpperCase(),
    input.pathname,
    input.canonicalQuery ?? canonicalQueryString(input.query),
    canonicalHeaders,
    signedHeaders,
    input.hashedPayload,
  ].join("\n");
  return { canonicalRequest, signedHeaders };
}

/** The canonical request, exactly as hashed (exported so tests compare it with the published example). */
export function acs3CanonicalRequest(input: Acs3SigningInput): string {
  return canonicalize(input).canonicalRequest;
}

/** The hex signature of a canonical request. */
export function acs3Signature(canonicalRequest: string, accessKeySecret: string): string {
  const stringToSign = `${ACS3_ALGORITHM}\n${hash("sha256", canonicalRequest, "hex")}`;
  return createHmac("sha256", accessKeySecret).update(stringToSign).digest("hex");
}

/**
 * The `Authorization` header value:
 * `ACS3-HMAC-SHA256 Credential=<AK>,SignedHeaders=<h1;h2;…>,Signature=<hex>`.
 */
export function acs3Authorization(input: Acs3SigningInput, accessKeyId: string, accessKeySecret: string): string {
  const { canonicalRequest, signedHeaders } = canonicalize(input);
  return `${ACS3_ALGORITHM} Credential=${accessKeyId},SignedHeaders=${signedHeaders},Signature=${acs3Signature(canonicalRequest, accessKeySecret)}`;
}
