/**
 * A request's payload as a stream of bytes, whatever its framing: plain, `aws-chunked` with
 * chunk signatures (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`) or with trailers
 * (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`, what @aws-sdk/client-s3 sends for a stream). A
 * SigV4 payload hash is checked as the bytes pass; the caller commits nothing until the
 * stream has ended without error.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { crc32 } from "node:zlib";
import { sigV4ChunkSignature, UNSIGNED_PAYLOAD, STREAMING_PAYLOAD } from "@stowage/adapter-s3-family";
import { decodeAwsChunked, type ChunkVerifier, type TrailerVerifier } from "./aws-chunked.js";
import { Ks3Error } from "./errors.js";
import type { RequestHeaders } from "./request-headers.js";
import type { Authenticated, SigV4Context } from "./verify-signature.js";

const UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

/** The payload and the length its sender declared (decoded length for aws-chunked). */
export interface RequestBody {
  chunks: AsyncIterable<Uint8Array>;
  /** `x-amz-decoded-content-length` for aws-chunked, else `Content-Length`; absent when neither was sent. */
  declaredLength: number | undefined;
}

function lengthHeader(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new Ks3Error("InvalidArgument", "The content length is not a valid number.");
  return Number(value);
}

async function* checkSha256(source: AsyncIterable<Uint8Array>, expectedHex: string): AsyncIterable<Uint8Array> {
  const hash = createHash("sha256");
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
  if (hash.digest("hex") !== expectedHex.toLowerCase()) throw new Ks3Error("XAmzContentSHA256Mismatch");
}

async function* checkLength(source: AsyncIterable<Uint8Array>, expected: number | undefined): AsyncIterable<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    yield chunk;
  }
  if (expected !== undefined && total !== expected) throw new Ks3Error("IncompleteBody");
}

function chunkSignatureVerifier(context: SigV4Context): (data: Uint8Array, signature: string | undefined) => void {
  let previous = context.signature;
  return (data, signature) => {
    if (signature === undefined) throw new Ks3Error("SignatureDoesNotMatch", "An aws-chunked chunk carries no chunk-signature.");
    const expected = sigV4ChunkSignature({
      amzDate: context.amzDate,
      region: context.region,
      service: context.service,
      secret: "",
      signingKey: context.signingKey,
      previousSignature: previous,
      chunk: data,
    });
    const a = Buffer.from(expected);
    const b = Buffer.from(signature);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new Ks3Error("SignatureDoesNotMatch", "A chunk signature does not match.");
    previous = signature;
  };
}

/**
 * Trailer checksums verified over the decoded bytes, as S3 does ("BadDigest: the checksum
 * value that you specified did not match what the server received"). `x-amz-checksum-crc32c`
 * and `-crc64nvme` need code Node does not ship; they pass unchecked (a declared gap).
 */
const TRAILER_CHECKSUMS: Readonly<Record<string, () => { update(data: Uint8Array): void; digest(): string }>> = {
  "x-amz-checksum-crc32": () => {
    let crc = 0;
    return {
      update: (data) => {
        crc = crc32(data, crc);
      },
      digest: () => {
        const bytes = Buffer.alloc(4);
        bytes.writeUInt32BE(crc >>> 0);
        return bytes.toString("base64");
      },
    };
  },
  "x-amz-checksum-sha1": () => {
    const hash = createHash("sha1");
    return { update: (data) => hash.update(data), digest: () => hash.digest("base64") };
  },
  "x-amz-checksum-sha256": () => {
    const hash = createHash("sha256");
    return { update: (data) => hash.update(data), digest: () => hash.digest("base64") };
  },
};

/**
 * The chunk and trailer checks of an aws-chunked body: `verifyChunk` first (chunk signatures),
 * then the running checksum of the one algorithm `x-amz-trailer` announces, compared with its
 * trailer at the end.
 */
function chunkedVerifiers(headers: RequestHeaders, verifyChunk: ChunkVerifier): { chunk: ChunkVerifier; trailers: TrailerVerifier } {
  const name = (headers.get("x-amz-trailer") ?? "").trim().toLowerCase();
  const checksum = TRAILER_CHECKSUMS[name]?.();
  if (checksum === undefined) return { chunk: verifyChunk, trailers: () => undefined };
  return {
    chunk: (data, signature) => {
      verifyChunk(data, signature);
      checksum.update(data);
    },
    trailers: (trailers) => {
      const sent = trailers.get(name);
      if (sent === undefined) throw new Ks3Error("InvalidRequest", `The trailer ${name} announced by x-amz-trailer is missing.`);
      if (sent !== checksum.digest()) throw new Ks3Error("BadDigest", `The ${name.slice("x-amz-checksum-".length).toUpperCase()} you specified did not match the calculated checksum.`);
    },
  };
}

/** Reads the payload of `req` as its signature and framing say. */
export function requestBody(req: IncomingMessage, headers: RequestHeaders, auth: Authenticated): RequestBody {
  const raw = req as AsyncIterable<Uint8Array>;
  const payloadHash = auth.sigV4?.payloadHash;
  const chunked = (headers.get("content-encoding") ?? "").split(",").some((e) => e.trim() === "aws-chunked");

  if (payloadHash === STREAMING_PAYLOAD || payloadHash === UNSIGNED_TRAILER || (chunked && payloadHash === undefined)) {
    const declaredLength = lengthHeader(headers.get("x-amz-decoded-content-length"));
    const verify = chunkedVerifiers(headers, payloadHash === STREAMING_PAYLOAD && auth.sigV4 ? chunkSignatureVerifier(auth.sigV4) : () => undefined);
    return { chunks: checkLength(decodeAwsChunked(raw, verify.chunk, verify.trailers), declaredLength), declaredLength };
  }
  if (payloadHash !== undefined && payloadHash.startsWith("STREAMING-")) {
    throw new Ks3Error("NotImplemented", `The payload signing mode ${payloadHash} is not supported by this emulator.`);
  }
  const declaredLength = lengthHeader(headers.get("content-length"));
  if (payloadHash !== undefined && payloadHash !== UNSIGNED_PAYLOAD) {
    if (!/^[0-9a-fA-F]{64}$/.test(payloadHash)) throw new Ks3Error("InvalidArgument", "x-amz-content-sha256 must be a hex SHA-256, UNSIGNED-PAYLOAD or a streaming mode.");
    return { chunks: checkSha256(raw, payloadHash), declaredLength };
  }
  return { chunks: raw, declaredLength };
}

/** Reads a small body (an XML document) whole, refusing more than `maxBytes`. */
export async function readSmallBody(body: RequestBody, maxBytes: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body.chunks) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new Ks3Error("MalformedXML", "The XML body is too large.");
    parts.push(chunk);
  }
  return Buffer.concat(parts, total);
}

