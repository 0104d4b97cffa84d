import { createHmac, hash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Clock } from "@stowage/core";
import { EsaKvEmulatorError } from "./errors.js";
import type { NonceCache } from "./nonce-cache.js";

/**
 * Request signature verification: V3 `ACS3-HMAC-SHA256` (the SDK default) and the legacy V2
 * RPC `HMAC-SHA1` (`signatureAlgorithm: "v2"`), reference §3.1 and §3.2. Errors are the
 * gateway's common codes (reference §1.4): unknown key `404 InvalidAccessKeyId.NotFound`, bad
 * signature `400 SignatureDoesNotMatch`, stale date `400 InvalidTimeStamp.Expired`.
 * Messages never contain the secret or the expected signature.
 *
 * The three ACS3 primitives below are written here, not imported from the adapter's signer:
 * the adapter's tests run against this emulator (importing would make a dependency cycle),
 * and an independent verifier cannot mirror a bug of the signer it checks. Both are held to
 * the official worked examples, and the official SDK's requests are verified here too.
 */

/** What verification needs from a request; parameters are already percent-decoded. */
export interface SignedRequest {
  /** HTTP method, upper case. */
  method: string;
  /** The request path without the query, e.g. `/`. */
  path: string;
  /** Query parameters in wire order. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Form-body parameters (empty unless the body is `application/x-www-form-urlencoded`). */
  form: ReadonlyArray<readonly [string, string]>;
  /** Request headers, names in lower case (Node's form). */
  headers: IncomingHttpHeaders;
  /** The raw body bytes. */
  body: Uint8Array;
}

/** The access keys the emulator accepts: id → secret. */
export type AccessKeys = ReadonlyMap<string, string>;

/** Which scheme signed a verified request. */
export type SignatureScheme = "ACS3-HMAC-SHA256" | "HMAC-SHA1";

/** RFC 3986 percent-encoding as both SDKs apply it: unreserved `A-Z a-z 0-9 - _ . ~` kept. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Hex SHA-256 of `data`; `x-acs-content-sha256` and the hashed canonical request use it. */
export function sha256Hex(data: Uint8Array | string): string {
  return hash("sha256", data, "hex");
}

/** The pieces of a V3 canonical request (reference §3.1). */
export interface Acs3CanonicalInput {
  /** HTTP method, upper case. */
  method: string;
  /** The canonical URI; `/` for RPC. */
  path: string;
  /** Decoded query parameters; encoded and sorted here. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Lowercase header name → value, for the signed headers only. */
  signedHeaderValues: ReadonlyMap<string, string>;
  /** Hex SHA-256 of the body (`x-acs-content-sha256`). */
  hashedPayload: string;
}

/**
 * The V3 CanonicalRequest: method, URI, sorted encoded query, `name:value\n` headers sorted by
 * name, the signed-header list, the payload hash, joined by `\n`.
 */
export function acs3CanonicalRequest(input: Acs3CanonicalInput): string {
  const query = [...input.query]
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
  const names = [...input.signedHeaderValues.keys()].sort();
  const headers = names.map((name) => `${name}:${input.signedHeaderValues.get(name)}\n`).join("");
  return [input.method, input.path, query, headers, names.join(";"), input.hashedPayload].join("\n");
}

/** Hex `HMAC-SHA256(secret, "ACS3-HMAC-SHA256\n" + hex(sha256(canonicalRequest)))`. */
export function acs3Signature(secret: string, canonicalRequest: string): string {
  const stringToSign = `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`;
  return createHmac("sha256", secret).update(stringToSign).digest("hex");
}

/** The V2 StringToSign: `METHOD&%2F&` + the encoded, sorted, encoded parameter string. */
export function rpcV2StringToSign(method: string, params: ReadonlyArray<readonly [string, string]>): string {
  const canonical = params
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
  return `${method}&${percentEncode("/")}&${percentEncode(canonical)}`;
}

/** Base64 `HMAC-SHA1(secret + "&", stringToSign)`. */
export function rpcV2Signature(secret: string, stringToSign: string): string {
  return createHmac("sha1", `${secret}&`).update(stringToSign).digest("base64");
}

// Both schemes stamp time as `yyyy-MM-ddTHH:mm:ssZ` in UTC (the SDK's getTimestamp).
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

const V3_REQUIRED_SIGNED_HEADERS = [
  "host",
  "x-acs-action",
  "x-acs-content-sha256",
  "x-acs-date",
  "x-acs-signature-nonce",
  "x-acs-version",
];

export { NonceCache } from "./nonce-cache.js";

/** What can be checked before the body is read: everything but the body and the form. */
export type RequestHead = Omit<SignedRequest, "body" | "form">;

/** The rest of a verification, once the body has been read (and the form parsed). */
export type BodyVerification = (body: Uint8Array, form: SignedRequest["form"]) => SignatureScheme;

/**
 * Verifies what a request's head allows before its body is read, so an unsigned or badly
 * signed request is refused without its body being buffered: under V3 that is everything
 * but the body's hash (the signature covers the declared `x-acs-content-sha256`, not the
 * bytes); under V2 the key, method and timestamp (the signature covers the form). Returns
 * the check that completes the verification once the body is there.
 */
export function verifyHead(head: RequestHead, keys: AccessKeys, clock: Clock, clockSkewMs: number, nonces: NonceCache): BodyVerification {
  const authorization = headerValue(head.headers, "authorization");
  if (authorization !== undefined) {
    const finish = verifyAcs3Head(head, authorization, keys, clock, clockSkewMs, nonces);
    return (body) => {
      finish(body);
      return "ACS3-HMAC-SHA256";
    };
  }
  if (head.query.some(([name]) => name === "Signature")) {
    const finish = verifyRpcV2Head(head, keys, clock, clockSkewMs, nonces);
    return (_body, form) => {
      finish(form);
      return "HMAC-SHA1";
    };
  }
  throw new EsaKvEmulatorError("IncompleteSignature", "The request carries neither an Authorization header nor a Signature parameter.");
}

/** Verifies `request` against `keys`; returns the scheme, or raises a gateway error. */
export function verifySignature(
  request: SignedRequest,
  keys: AccessKeys,
  clock: Clock,
  clockSkewMs: number,
  nonces: NonceCache,
): SignatureScheme {
  return verifyHead(request, keys, clock, clockSkewMs, nonces)(request.body, request.form);
}

function verifyAcs3Head(
  request: RequestHead,
  authorization: string,
  keys: AccessKeys,
  clock: Clock,
  clockSkewMs: number,
  nonces: NonceCache,
): (body: Uint8Array) => void {
  const space = authorization.indexOf(" ");
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (algorithm !== "ACS3-HMAC-SHA256") {
    throw new EsaKvEmulatorError("InvalidSignatureMethod", `Signature algorithm ${JSON.stringify(algorithm.slice(0, 40))} is not supported.`);
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get("Credential");
  const signedHeaderList = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!accessKeyId || !signedHeaderList || !signature) {
    throw new EsaKvEmulatorError("IncompleteSignature", "Authorization must carry Credential, SignedHeaders and Signature.");
  }
  const signedHeaders = signedHeaderList.split(";").map((name) => name.trim().toLowerCase());
  for (const required of V3_REQUIRED_SIGNED_HEADERS) {
    if (!signedHeaders.includes(required) || headerValue(request.headers, required) === undefined) {
      throw new EsaKvEmulatorError("IncompleteSignature", `Header ${required} must be present and signed.`);
    }
  }
  const secret = keys.get(accessKeyId);
  if (secret === undefined) throw new EsaKvEmulatorError("InvalidAccessKeyId.NotFound");
  const requestTime = checkTimestamp(headerValue(request.headers, "x-acs-date") ?? "", clock, clockSkewMs);

  const declaredHash = (headerValue(request.headers, "x-acs-content-sha256") ?? "").toLowerCase();
  const signedHeaderValues = new Map<string, string>();
  for (const name of signedHeaders) signedHeaderValues.set(name, (headerValue(request.headers, name) ?? "").trim());
  const canonical = acs3CanonicalRequest({
    method: request.method,
    path: request.path,
    query: request.query,
    signedHeaderValues,
    hashedPayload: headerValue(request.headers, "x-acs-content-sha256") ?? "",
  });
  if (!equalStrings(acs3Signature(secret, canonical), signature.toLowerCase())) {
    throw new EsaKvEmulatorError("SignatureDoesNotMatch");
  }
  return (body) => {
    if (declaredHash !== sha256Hex(body)) {
      throw new EsaKvEmulatorError("SignatureDoesNotMatch", "x-acs-content-sha256 does not match the request body.");
    }
    nonces.use(headerValue(request.headers, "x-acs-signature-nonce") ?? "", requestTime);
  };
}

function verifyRpcV2Head(
  request: RequestHead,
  keys: AccessKeys,
  clock: Clock,
  clockSkewMs: number,
  nonces: NonceCache,
): (form: SignedRequest["form"]) => void {
  const query = new Map(request.query);
  const method = query.get("SignatureMethod");
  if (method !== "HMAC-SHA1") {
    throw new EsaKvEmulatorError("InvalidSignatureMethod", `SignatureMethod ${JSON.stringify((method ?? "").slice(0, 40))} is not supported.`);
  }
  for (const required of ["AccessKeyId", "SignatureNonce", "Timestamp", "SignatureVersion"]) {
    if (!query.get(required)) throw new EsaKvEmulatorError("IncompleteSignature", `Parameter ${required} is required.`);
  }
  const secret = keys.get(query.get("AccessKeyId") ?? "");
  if (secret === undefined) throw new EsaKvEmulatorError("InvalidAccessKeyId.NotFound");
  const requestTime = checkTimestamp(query.get("Timestamp") ?? "", clock, clockSkewMs);
  return (form) => {
    // "The signed params are the query params plus the form-body params" (reference §3.2).
    const params = [...request.query.filter(([name]) => name !== "Signature"), ...form];
    const expected = rpcV2Signature(secret, rpcV2StringToSign(request.method, params));
    if (!equalStrings(expected, query.get("Signature") ?? "")) throw new EsaKvEmulatorError("SignatureDoesNotMatch");
    nonces.use(query.get("SignatureNonce") ?? "", requestTime);
  };
}

/** Checks a request timestamp against the clock; returns it as epoch milliseconds. */
function checkTimestamp(value: string, clock: Clock, clockSkewMs: number): number {
  const match = TIMESTAMP.exec(value);
  if (!match) throw new EsaKvEmulatorError("InvalidTimeStamp.Format");
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const at = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(at)) throw new EsaKvEmulatorError("InvalidTimeStamp.Format");
  if (Math.abs(clock.now() - at) > clockSkewMs) throw new EsaKvEmulatorError("InvalidTimeStamp.Expired");
  return at;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function equalStrings(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
