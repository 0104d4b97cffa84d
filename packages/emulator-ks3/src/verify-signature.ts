/**
 * Request authentication: KSS V2 (`Authorization: KSS AK:sig`), AWS V2 (`AWS AK:sig`), SigV4
 * (`AWS4-HMAC-SHA256` or KS3's `KSS4-HMAC-SHA256`) and the presigned-URL forms of both. The
 * signatures are computed by @stowage/adapter-s3-family's signers; this file only decides
 * which strings they are computed over and compares the results.
 */
import { timingSafeEqual } from "node:crypto";
import { kssV2Signature, kssV2StringToSign, sigV4Sign, sigV4SigningKey, encodeObjectKey, UNSIGNED_PAYLOAD, type V2HeaderPrefix } from "@stowage/adapter-s3-family";
import { parseHttpDate, type Clock } from "@stowage/core";
import type { Address } from "./addressing.js";
import { Ks3Error } from "./errors.js";
import { vendorPrefixOf, type RequestHeaders } from "./request-headers.js";

/** Doc 5431: "the request time is more than 15 minutes from server time" → RequestTimeTooSkewed. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** The longest `X-Amz-Expires` a SigV4 presigned URL may carry: seven days. */
const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;

/** What a verified SigV4 request lends to the body decoder for chunk signatures. */
export interface SigV4Context {
  amzDate: string;
  region: string;
  service: string;
  signingKey: Buffer;
  /** The seed signature: the first chunk's "previous signature". */
  signature: string;
}

/** Who sent the request, which of its headers the signature covers, and how the body is covered. */
export interface Authenticated {
  accessKeyId: string;
  /**
   * The request's headers as far as the signature vouches for them: what the operations may
   * read. Under a V2 signature, the vendor headers of the signed prefix only (`x-kss-*` for
   * `KSS`, `x-amz-*` for `AWS`); under SigV4, every header (each vendor header was required
   * to be signed).
   */
  headers: RequestHeaders;
  /** Present for a SigV4 header signature: its payload hash and chunk-signing context. */
  sigV4?: SigV4Context & { payloadHash: string };
}

/** The request as the verifier sees it. */
export interface SignedRequest {
  method: string;
  /** The request-line path, still percent-encoded. */
  rawPath: string;
  query: URLSearchParams;
  headers: RequestHeaders;
  address: Address;
}

function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function checkSkew(requestTime: number | undefined, clock: Clock): void {
  if (requestTime === undefined || Number.isNaN(requestTime)) {
    throw new Ks3Error("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header.");
  }
  if (Math.abs(clock.now() - requestTime) > MAX_CLOCK_SKEW_MS) throw new Ks3Error("RequestTimeTooSkewed");
}

/** `YYYYMMDDTHHMMSSZ` → epoch milliseconds. */
function parseAmzDate(value: string | undefined): number | undefined {
  const m = value === undefined ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function secretFor(accessKeyId: string, credentials: ReadonlyMap<string, string>): string {
  const secret = credentials.get(accessKeyId);
  if (secret === undefined) throw new Ks3Error("InvalidAccessKeyId");
  return secret;
}

/**
 * The V2 canonical resources worth trying: the key as encoded on the request line, then the
 * Go/Java encoding, then the Python SDK's (`+` for space, `*` literal), `ks3-api.md` §2.1
 * "verify against the Java/Go form first, then also accept the Python form".
 */
function v2Resources(address: Address): string[] {
  const out = [address.resource];
  // A bucket-level resource is `/bucket/`; some clients sign it without the slash.
  if (address.bucket !== undefined && address.key === undefined) out.push(address.resource.replace(/\/$/, ""));
  if (address.bucket !== undefined && address.key !== undefined) {
    const goJava = `/${address.bucket}/${encodeObjectKey(address.key)}`;
    out.push(goJava, goJava.replace(/%20/g, "+").replace(/%2A/g, "*"));
  }
  return [...new Set(out)];
}

function verifyV2(req: SignedRequest, prefix: V2HeaderPrefix, signature: string, secret: string, expires?: string): void {
  const query = new URLSearchParams(req.query);
  for (const name of ["Signature", "Expires", "KSSAccessKeyId", "AccessKeyId", "AWSAccessKeyId"]) query.delete(name);
  const headers = { ...req.headers.all };
  const ok = v2Resources(req.address).some((resource) => {
    const stringToSign = kssV2StringToSign({ method: req.method, resource, query, headers, headerPrefix: prefix, expires });
    return sameSignature(kssV2Signature(stringToSign, secret), signature);
  });
  if (!ok) throw new Ks3Error("SignatureDoesNotMatch");
}

function v2RequestTime(headers: RequestHeaders, prefix: V2HeaderPrefix): number | undefined {
  const value = headers.get(`${prefix}date`) ?? headers.get("date");
  return value === undefined ? undefined : parseHttpDate(value)?.getTime();
}

interface ParsedV4 {
  algorithm: string;
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseCredential(algorithm: string, credential: string | undefined, signedHeaders: string | undefined, signature: string | undefined): ParsedV4 {
  const scope = credential?.split("/");
  if (!scope || scope.length !== 5 || scope[4] !== "aws4_request" || !signedHeaders || !signature) {
    throw new Ks3Error("AuthorizationHeaderMalformed");
  }
  return {
    algorithm,
    accessKeyId: scope[0]!,
    date: scope[1]!,
    region: scope[2]!,
    service: scope[3]!,
    signedHeaders: signedHeaders.split(";").map((h) => h.trim().toLowerCase()),
    signature,
  };
}

function parseV4Header(authorization: string): ParsedV4 {
  const space = authorization.indexOf(" ");
  const fields = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return parseCredential(authorization.slice(0, space), fields.get("Credential"), fields.get("SignedHeaders"), fields.get("Signature"));
}

/**
 * AWS SigV4: `host` and every `x-amz-*` header present must be among the signed headers, else
 * 403 AccessDenied "There were headers present in the request which were not signed". KS3
 * follows AWS SigV4 (`ks3-api.md` §2.2) and its operations read `x-kss-*` and `x-amz-*` as
 * aliases, so `x-kss-*` headers are held to the same rule. `x-amz-content-sha256` is exempt:
 * its value is the canonical request's payload line, so the signature covers it either way.
 */
function requireVendorHeadersSigned(headers: RequestHeaders, signedHeaders: readonly string[]): void {
  const signed = new Set(signedHeaders);
  const mustSign = Object.keys(headers.all).filter((name) => vendorPrefixOf(name) !== undefined && name !== "x-amz-content-sha256");
  if ([...mustSign, "host"].some((name) => !signed.has(name))) {
    throw new Ks3Error("AccessDenied", "There were headers present in the request which were not signed");
  }
}

function verifyV4(req: SignedRequest, v4: ParsedV4, amzDate: string, payloadHash: string, query: URLSearchParams, secret: string): SigV4Context {
  requireVendorHeadersSigned(req.headers, v4.signedHeaders);
  if (amzDate.slice(0, 8) !== v4.date) throw new Ks3Error("AuthorizationHeaderMalformed", "The credential scope date does not match the request date.");
  const signed = sigV4Sign({
    method: req.method,
    path: req.rawPath,
    query,
    headers: { ...req.headers.all },
    payloadHash,
    region: v4.region,
    service: v4.service,
    amzDate,
    accessKeyId: v4.accessKeyId,
    secret,
    signedHeaders: v4.signedHeaders,
    algorithm: v4.algorithm,
  });
  if (!sameSignature(signed.signature, v4.signature)) throw new Ks3Error("SignatureDoesNotMatch");
  return { amzDate, region: v4.region, service: v4.service, signingKey: sigV4SigningKey(secret, v4.date, v4.region, v4.service), signature: v4.signature };
}

/**
 * Verifies a request's signature and time, or raises the documented error:
 * `AccessDenied` (anonymous, expired presigned URL, a SigV4 request with `host` or a vendor
 * header left unsigned), `InvalidAccessKeyId`, `SignatureDoesNotMatch`,
 * `RequestTimeTooSkewed` (all 403) or `AuthorizationHeaderMalformed`. Returns the headers the
 * signature covers, the only ones the operations may read.
 */
export function verifySignature(req: SignedRequest, credentials: ReadonlyMap<string, string>, clock: Clock): Authenticated {
  const authorization = req.headers.get("authorization");
  const q = req.query;

  if (authorization !== undefined) {
    const v2 = /^(KSS|AWS) ([^:\s]+):(\S+)$/.exec(authorization.trim());
    if (v2) {
      const prefix: V2HeaderPrefix = v2[1] === "KSS" ? "x-kss-" : "x-amz-";
      const accessKeyId = v2[2]!;
      const secret = secretFor(accessKeyId, credentials);
      // S3 checks the date before the signature: a missing or malformed date is AccessDenied,
      // a skewed one RequestTimeTooSkewed, whatever the signature (s3-tests `test_bad_auth`).
      checkSkew(v2RequestTime(req.headers, prefix), clock);
      verifyV2(req, prefix, v2[3]!, secret);
      return { accessKeyId, headers: req.headers.coveredBy([prefix]) };
    }
    if (/^(AWS4|KSS4)-HMAC-SHA256 /.test(authorization)) {
      const v4 = parseV4Header(authorization);
      const secret = secretFor(v4.accessKeyId, credentials);
      const amzDate = req.headers.get("x-amz-date") ?? req.headers.get("x-kss-date");
      const payloadHash = req.headers.get("x-amz-content-sha256");
      if (amzDate === undefined) throw new Ks3Error("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header.");
      if (payloadHash === undefined) throw new Ks3Error("InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
      const context = verifyV4(req, v4, amzDate, payloadHash, q, secret);
      checkSkew(parseAmzDate(amzDate), clock);
      return { accessKeyId: v4.accessKeyId, headers: req.headers, sigV4: { ...context, payloadHash } };
    }
    throw new Ks3Error("AuthorizationHeaderMalformed", "Unsupported authorization type.");
  }

  const v2AccessKeyId = q.get("KSSAccessKeyId") ?? q.get("AccessKeyId") ?? q.get("AWSAccessKeyId");
  if (v2AccessKeyId !== null) {
    const expires = q.get("Expires");
    const signature = q.get("Signature");
    if (expires === null || signature === null || !/^\d+$/.test(expires)) throw new Ks3Error("AccessDenied", "Query-string authentication requires the Signature, Expires and access key id parameters.");
    const prefix: V2HeaderPrefix = q.has("AWSAccessKeyId") ? "x-amz-" : "x-kss-";
    verifyV2(req, prefix, signature, secretFor(v2AccessKeyId, credentials), expires);
    if (Number(expires) * 1000 < clock.now()) throw new Ks3Error("AccessDenied", "Request has expired.");
    return { accessKeyId: v2AccessKeyId, headers: req.headers.coveredBy([prefix]) };
  }

  const algorithm = q.get("X-Amz-Algorithm");
  if (algorithm !== null) {
    const v4 = parseCredential(algorithm, q.get("X-Amz-Credential") ?? undefined, q.get("X-Amz-SignedHeaders") ?? undefined, q.get("X-Amz-Signature") ?? undefined);
    const secret = secretFor(v4.accessKeyId, credentials);
    const amzDate = q.get("X-Amz-Date") ?? "";
    const start = parseAmzDate(amzDate);
    const expiresSeconds = Number(q.get("X-Amz-Expires") ?? "NaN");
    if (start === undefined || !Number.isInteger(expiresSeconds)) throw new Ks3Error("AuthorizationHeaderMalformed");
    // SigV4 query authentication: "The minimum value you can set is 1, and the maximum is
    // 604800 (seven days)", the lifetime of the signing key; S3 refuses the URL outright.
    if (expiresSeconds < 0) throw new Ks3Error("AuthorizationQueryParametersError", "X-Amz-Expires must be non-negative");
    if (expiresSeconds > MAX_PRESIGNED_EXPIRES_SECONDS) {
      throw new Ks3Error("AuthorizationQueryParametersError", "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds");
    }
    const query = new URLSearchParams(q);
    query.delete("X-Amz-Signature");
    const payloadHash = req.headers.get("x-amz-content-sha256");
    const context = verifyV4(req, v4, amzDate, payloadHash ?? UNSIGNED_PAYLOAD, query, secret);
    if (start + expiresSeconds * 1000 < clock.now()) throw new Ks3Error("AccessDenied", "Request has expired.");
    // A URL dated later than the clock skew allows is not valid yet (S3: 403 AccessDenied).
    if (start - clock.now() > MAX_CLOCK_SKEW_MS) throw new Ks3Error("AccessDenied", "Request is not valid yet");
    // A presigned URL without the header covers no body (UNSIGNED-PAYLOAD). With it, the URL
    // was signed over that hash, so the body must be held to it like a header-signed one;
    // otherwise whoever holds the URL could upload other bytes than the signer hashed.
    const authenticated = { accessKeyId: v4.accessKeyId, headers: req.headers };
    return payloadHash === undefined ? authenticated : { ...authenticated, sigV4: { ...context, payloadHash } };
  }

  throw new Ks3Error("AccessDenied", "Anonymous access is not allowed.");
}
