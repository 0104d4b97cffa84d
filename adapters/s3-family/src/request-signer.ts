import { formatHttpDate, type Clock } from "@stowage/core";
import type { S3Credentials } from "./credentials.js";
import { kssV2Authorization } from "./kss-v2-signer.js";
import type { HeaderPrefix } from "./requests.js";
import type { HttpTarget, S3Method } from "./s3-request.js";
import { awsChunkedBody, awsChunkedLength } from "./aws-chunked.js";
import { EMPTY_SHA256, STREAMING_PAYLOAD, UNSIGNED_PAYLOAD, sha256Hex, sigV4Sign, sigV4SigningKey } from "./sigv4-signer.js";

/**
 * `v2`: HMAC-SHA1 header signature, `KSS AK:sig` with `x-kss-` headers or `AWS AK:sig` with
 * `x-amz-` ones (ks3-api.md §2.1). `sigv4`: AWS Signature Version 4, header form.
 */
export type SignatureVersion = "v2" | "sigv4";

/** How requests are signed. */
export interface SigningConfig {
  /** Signature scheme: `v2` (HMAC-SHA1 header) or `sigv4`. */
  readonly signature: SignatureVersion;
  /** Absent: requests go unsigned (anonymous access to a public bucket). */
  readonly credentials?: S3Credentials;
  /** SigV4 scope region. */
  readonly region: string;
  /** The dialect's header prefix, which the V2 signature canonicalizes. */
  readonly headerPrefix: HeaderPrefix;
  /** Source of the request date (injectable so clock-skew handling is testable). */
  readonly clock: Clock;
  /**
   * SigV4 only: sign a streamed body chunk by chunk (`aws-chunked`,
   * `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`) instead of sending it as `UNSIGNED-PAYLOAD`.
   * Default false: KS3 documents neither, and UNSIGNED-PAYLOAD is what its official fork sends.
   */
  readonly chunkedStreams?: boolean;
}

/** The headers to send and, for an `aws-chunked` upload, how the body is framed on the way out. */
export interface SignedRequest {
  /** The request's headers plus `host`, the date and (with credentials) `authorization`. */
  readonly headers: Record<string, string>;
  /** For an `aws-chunked` upload only: wraps the body stream in signed chunks; absent otherwise. */
  readonly frameBody?: (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;
}

/** A request ready to sign: its target, method, headers and body (bytes when in memory). */
export interface SignableRequest {
  /** HTTP method. */
  readonly method: S3Method;
  /** Where the request goes: host, encoded path and the V2 canonical resource. */
  readonly target: HttpTarget;
  /** Query parameters, signed as sent. */
  readonly query: URLSearchParams;
  /** Headers the request builder set; the signer adds `host`, the date and `authorization`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The whole body when it is in memory; `undefined` for a stream (or no body, see `hasBody`). */
  readonly bodyBytes: Uint8Array | undefined;
  /** Whether there is a body at all. */
  readonly hasBody: boolean;
  /** The body's length when known (always, once the driver has sized it). */
  readonly bodyLength: number | undefined;
}

/** `YYYYMMDDTHHMMSSZ`. */
export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * Signs a request: its own headers plus `host`, the date and `authorization`.
 *
 * SigV4 payload hash: the SHA-256 of a body in memory; for a streamed body either
 * `UNSIGNED-PAYLOAD` or, with `chunkedStreams`, `aws-chunked` framing with per-chunk
 * signatures. Hashing a stream first would mean reading it twice (or holding it whole),
 * which streaming exists to avoid. TLS protects the bytes in transit; the ETag (MD5) still
 * checks them.
 */
export function signRequest(config: SigningConfig, req: SignableRequest): SignedRequest {
  const now = config.clock.now();
  const headers: Record<string, string> = { ...req.headers, host: req.target.host };
  if (config.signature === "v2") {
    headers["date"] = formatHttpDate(new Date(now));
    if (config.credentials) {
      headers["authorization"] = kssV2Authorization(
        { method: req.method, resource: req.target.resource, query: req.query, headers, headerPrefix: config.headerPrefix },
        config.credentials.accessKeyId,
        config.credentials.secretAccessKey,
      );
    }
    return { headers };
  }
  const amzDate = formatAmzDate(now);
  const stream = req.hasBody && req.bodyBytes === undefined;
  const chunked = stream && config.chunkedStreams === true && config.credentials !== undefined && req.bodyLength !== undefined;
  const payloadHash = !req.hasBody ? EMPTY_SHA256 : req.bodyBytes ? sha256Hex(req.bodyBytes) : chunked ? STREAMING_PAYLOAD : UNSIGNED_PAYLOAD;
  headers["x-amz-date"] = amzDate;
  headers["x-amz-content-sha256"] = payloadHash;
  // AWS temporary credentials: "add the x-amz-security-token header … include it in the
  // signature" (SigV4 docs), so it is set before signing.
  if (config.credentials?.sessionToken) headers["x-amz-security-token"] = config.credentials.sessionToken;
  if (chunked) {
    headers["content-encoding"] = "aws-chunked";
    headers["x-amz-decoded-content-length"] = String(req.bodyLength);
    headers["content-length"] = String(awsChunkedLength(req.bodyLength!));
  }
  if (!config.credentials) return { headers };
  const signed = sigV4Sign({
    method: req.method,
    path: req.target.path,
    query: req.query,
    headers,
    payloadHash,
    region: config.region,
    service: "s3",
    amzDate,
    accessKeyId: config.credentials.accessKeyId,
    secret: config.credentials.secretAccessKey,
  });
  headers["authorization"] = signed.authorization;
  if (!chunked) return { headers };
  const signing = {
    amzDate,
    region: config.region,
    service: "s3",
    signingKey: sigV4SigningKey(config.credentials.secretAccessKey, amzDate.slice(0, 8), config.region, "s3"),
    seedSignature: signed.signature,
  };
  return { headers, frameBody: (chunks) => awsChunkedBody(chunks, signing) };
}
