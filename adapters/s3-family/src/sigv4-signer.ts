import { createHash, createHmac } from "node:crypto";
import { encodeRfc3986 } from "./uri-encode.js";

/** `x-amz-content-sha256` value for a body the signature does not cover (AWS SigV4 docs). */
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
/** `x-amz-content-sha256` value for an `aws-chunked` body signed chunk by chunk. */
export const STREAMING_PAYLOAD = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
/** Hex SHA-256 of the empty string, the payload hash of a request without a body. */
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * Headers never signed by default: hop-by-hop or rewritten by proxies and agents (the AWS SDKs
 * leave the same ones out), so signing them would break for reasons unrelated to the request.
 */
const UNSIGNABLE: ReadonlySet<string> = new Set([
  "authorization",
  "connection",
  "expect",
  "keep-alive",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "x-amzn-trace-id",
]);

/** A request, as it goes on the wire, described for SigV4 signing. */
export interface SigV4Request {
  /** HTTP method, upper case. */
  method: string;
  /** The path as sent, already URI-encoded (S3 paths are neither normalized nor re-encoded). */
  path: string;
  /** The query string parameters, decoded. */
  query: URLSearchParams;
  /** Request headers with lower-case names; must include `host` and `x-amz-date`. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body, {@link UNSIGNED_PAYLOAD} or {@link STREAMING_PAYLOAD}. */
  payloadHash: string;
  /** Scope region, e.g. `us-east-1` or a KS3 region string such as `BEIJING`. */
  region: string;
  /** Scope service, `s3` for object storage. */
  service: string;
  /** `YYYYMMDDTHHMMSSZ`, the `x-amz-date` value. */
  amzDate: string;
  /** Access key id, placed in the Credential. */
  accessKeyId: string;
  /** Secret access key; used only to derive the signing key. */
  secret: string;
  /**
   * Lower-case header names to sign. Default: every header given except the unsignable
   * hop-by-hop ones. A verifier passes the list from the `Authorization` header.
   */
  signedHeaders?: string[];
  /**
   * The algorithm token. `AWS4-HMAC-SHA256` by default; KS3's doc example shows
   * `KSS4-HMAC-SHA256` (ks3-api.md §2.2) with otherwise AWS-compatible canonicalization.
   */
  algorithm?: string;
}

/** What {@link sigV4Sign} computed, intermediate strings included so tests and verifiers can compare. */
export interface SigV4Result {
  /** The full `Authorization` header value. */
  authorization: string;
  /** Hex signature. */
  signature: string;
  /** The canonical request that was hashed. */
  canonicalRequest: string;
  /** The string that was signed. */
  stringToSign: string;
  /** The signed header names, sorted. */
  signedHeaders: string[];
}

/** Hex SHA-256 of `data`. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/**
 * The SigV4 signing key: HMAC chain over date, region, service and `aws4_request`
 * (AWS SigV4 docs, "Calculate the signature"). Derive once per day and scope, reuse per chunk.
 */
export function sigV4SigningKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
}

/** `date/region/service/aws4_request`. */
export function sigV4Scope(amzDate: string, region: string, service: string): string {
  return `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
}

function canonicalQuery(query: URLSearchParams): string {
  const pairs = [...query].map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const);
  // Sorted by encoded name, then encoded value (AWS SigV4 docs: "sort the parameters by
  // name"; equal names are ordered by value).
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function canonicalHeaderValue(value: string): string {
  // "Trimall": leading/trailing spaces removed, sequential spaces collapsed (SigV4 docs).
  return value.trim().replace(/\s+/g, " ");
}

/**
 * Signs a request with AWS Signature Version 4, header form. The payload hash is taken as
 * given, so the same function covers a hashed body, `UNSIGNED-PAYLOAD` and the seed request
 * of a streaming `aws-chunked` upload (whose signature is the seed for
 * {@link sigV4ChunkSignature}).
 */
export function sigV4Sign(req: SigV4Request): SigV4Result {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) lower[name.toLowerCase()] = value;
  const signedHeaders = (req.signedHeaders ?? Object.keys(lower).filter((n) => !UNSIGNABLE.has(n)))
    .map((n) => n.toLowerCase())
    .sort();
  const canonicalHeaders = signedHeaders
    .map((n) => `${n}:${canonicalHeaderValue(lower[n] ?? "")}\n`)
    .join("");
  const canonicalRequest = [
    req.method.toUpperCase(),
    req.path === "" ? "/" : req.path,
    canonicalQuery(req.query),
    canonicalHeaders,
    signedHeaders.join(";"),
    req.payloadHash,
  ].join("\n");
  const algorithm = req.algorithm ?? "AWS4-HMAC-SHA256";
  const scope = sigV4Scope(req.amzDate, req.region, req.service);
  const stringToSign = `${algorithm}\n${req.amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const key = sigV4SigningKey(req.secret, req.amzDate.slice(0, 8), req.region, req.service);
  const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
  const authorization =
    `${algorithm} Credential=${req.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`;
  return { authorization, signature, canonicalRequest, stringToSign, signedHeaders };
}

/** Inputs of one `aws-chunked` chunk signature. */
export interface SigV4ChunkInput {
  /** The `x-amz-date` of the seed request. */
  amzDate: string;
  /** Scope region of the seed request. */
  region: string;
  /** Scope service of the seed request. */
  service: string;
  /** Secret access key; needed unless `signingKey` is given. */
  secret?: string;
  /** A key from {@link sigV4SigningKey}, reused across chunks (wins over `secret`). */
  signingKey?: Buffer;
  /** The seed signature for the first chunk, then the previous chunk's signature. */
  previousSignature: string;
  /** The chunk's data bytes (empty for the final chunk). */
  chunk: Uint8Array;
}

/**
 * The signature of one chunk of a `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` body (AWS docs,
 * "Signature Calculations for the Authorization Header: Transferring Payload in Multiple
 * Chunks"): HMAC over `AWS4-HMAC-SHA256-PAYLOAD\ndate\nscope\nprevious-signature\n
 * sha256("")\nsha256(chunk)`.
 */
export function sigV4ChunkSignature(input: SigV4ChunkInput): string {
  if (input.signingKey === undefined && input.secret === undefined) throw new TypeError("sigV4ChunkSignature needs secret or signingKey");
  const key = input.signingKey ?? sigV4SigningKey(input.secret!, input.amzDate.slice(0, 8), input.region, input.service);
  const stringToSign = [
    "AWS4-HMAC-SHA256-PAYLOAD",
    input.amzDate,
    sigV4Scope(input.amzDate, input.region, input.service),
    input.previousSignature,
    EMPTY_SHA256,
    sha256Hex(input.chunk),
  ].join("\n");
  return createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
}

/** SigV4 query authentication allows at most seven days: "the maximum is 604800" (AWS S3 API Reference, "Authenticating Requests: Using Query Parameters"). */
export const SIGV4_MAX_EXPIRES_SECONDS = 604_800;

/** A request to presign with SigV4 query authentication. */
export interface SigV4PresignRequest {
  /** HTTP method, upper case. */
  method: string;
  /** The path as sent, already URI-encoded. */
  path: string;
  /** Query parameters the request itself carries (decoded); the `X-Amz-*` ones are added. */
  query: URLSearchParams;
  /**
   * Lower-case headers the URL's user must send, `host` included. Every one is signed (listed
   * in `X-Amz-SignedHeaders`), so leaving one out or changing it fails the signature.
   */
  headers: Record<string, string>;
  /** Scope region. */
  region: string;
  /** Scope service, `s3`. */
  service: string;
  /** `YYYYMMDDTHHMMSSZ`: when the URL's validity starts (`X-Amz-Date`). */
  amzDate: string;
  /** `X-Amz-Expires`: seconds from `amzDate`, 1 to {@link SIGV4_MAX_EXPIRES_SECONDS}. */
  expiresInSeconds: number;
  /** Access key id, placed in `X-Amz-Credential`. */
  accessKeyId: string;
  /** Secret access key; used only to derive the signing key. */
  secret: string;
  /** Temporary credentials' token, sent (and signed) as `X-Amz-Security-Token`. */
  sessionToken?: string;
  /** The algorithm token; `AWS4-HMAC-SHA256` by default. */
  algorithm?: string;
}

/** What {@link sigV4Presign} computed. */
export interface SigV4PresignResult {
  /** The request's query plus every `X-Amz-*` authentication parameter, `X-Amz-Signature` last. */
  query: URLSearchParams;
  /** Hex signature (`X-Amz-Signature`). */
  signature: string;
  /** The canonical request that was hashed. */
  canonicalRequest: string;
  /** The string that was signed. */
  stringToSign: string;
}

/**
 * Presigns a request with SigV4 query-string authentication (AWS S3 API Reference,
 * "Authenticating Requests: Using Query Parameters"): the authentication parameters other
 * than the signature join the query before the canonical request is built, the payload is
 * `UNSIGNED-PAYLOAD` ("you don't know the payload when you create a presigned URL"), and the
 * signature is computed by {@link sigV4Sign}, so canonicalization and key derivation stay in
 * one place.
 */
export function sigV4Presign(req: SigV4PresignRequest): SigV4PresignResult {
  if (!Number.isSafeInteger(req.expiresInSeconds) || req.expiresInSeconds < 1 || req.expiresInSeconds > SIGV4_MAX_EXPIRES_SECONDS) {
    throw new RangeError(`X-Amz-Expires must be an integer from 1 to ${SIGV4_MAX_EXPIRES_SECONDS}`);
  }
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) lower[name.toLowerCase()] = value;
  const signedHeaders = Object.keys(lower).sort();
  const algorithm = req.algorithm ?? "AWS4-HMAC-SHA256";
  const query = new URLSearchParams(req.query);
  query.set("X-Amz-Algorithm", algorithm);
  query.set("X-Amz-Credential", `${req.accessKeyId}/${sigV4Scope(req.amzDate, req.region, req.service)}`);
  query.set("X-Amz-Date", req.amzDate);
  query.set("X-Amz-Expires", String(req.expiresInSeconds));
  // "If you are using temporary security credentials, you need to include the
  // X-Amz-Security-Token parameter" — as a query parameter, so it is signed with the rest.
  if (req.sessionToken) query.set("X-Amz-Security-Token", req.sessionToken);
  query.set("X-Amz-SignedHeaders", signedHeaders.join(";"));
  const signed = sigV4Sign({
    method: req.method,
    path: req.path,
    query,
    headers: lower,
    payloadHash: UNSIGNED_PAYLOAD,
    region: req.region,
    service: req.service,
    amzDate: req.amzDate,
    accessKeyId: req.accessKeyId,
    secret: req.secret,
    signedHeaders,
    algorithm,
  });
  query.set("X-Amz-Signature", signed.signature);
  return { query, signature: signed.signature, canonicalRequest: signed.canonicalRequest, stringToSign: signed.stringToSign };
}
