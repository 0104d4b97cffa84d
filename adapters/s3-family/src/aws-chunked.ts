/**
 * The `aws-chunked` body of a `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` upload (AWS docs,
 * "Signature Calculations for the Authorization Header: Transferring Payload in Multiple
 * Chunks"): each chunk is `hex(size);chunk-signature=<sig>\r\n<data>\r\n`, signed over the
 * previous signature, and a zero-size chunk ends the body. This signs a stream without
 * reading it twice; the decoded length must still be known (`x-amz-decoded-content-length`).
 */
import { sigV4ChunkSignature } from "./sigv4-signer.js";

/** Default chunk size: 64 KiB, the size of the AWS example and the SDKs' default. */
export const AWS_CHUNK_BYTES = 64 * 1024;

/** `;chunk-signature=` + 64 hex digits + two CRLFs around the data. */
const PER_CHUNK_OVERHEAD = ";chunk-signature=".length + 64 + 4;

/** The encoded length (`Content-Length`) of a body of `decodedLength` bytes sent in `chunkBytes` chunks. */
export function awsChunkedLength(decodedLength: number, chunkBytes = AWS_CHUNK_BYTES): number {
  const full = Math.floor(decodedLength / chunkBytes);
  const rest = decodedLength % chunkBytes;
  let total = full * (chunkBytes.toString(16).length + PER_CHUNK_OVERHEAD + chunkBytes);
  if (rest > 0) total += rest.toString(16).length + PER_CHUNK_OVERHEAD + rest;
  return total + 1 + PER_CHUNK_OVERHEAD; // the final "0;chunk-signature=…\r\n\r\n"
}

/** What signs the chunks: the seed request's date and scope, its signature and the signing key. */
export interface AwsChunkSigning {
  /** The seed request's `x-amz-date`, `YYYYMMDDTHHMMSSZ`; every chunk is signed with it. */
  amzDate: string;
  /** SigV4 scope region of the seed request. */
  region: string;
  /** SigV4 scope service, `s3`. */
  service: string;
  /** The SigV4 signing key derived for that date, region and service. */
  signingKey: Buffer;
  /** The seed request's signature. */
  seedSignature: string;
}

const encoder = new TextEncoder();
const CRLF = encoder.encode("\r\n");

function frame(data: Uint8Array, signature: string): Uint8Array[] {
  return [encoder.encode(`${data.byteLength.toString(16)};chunk-signature=${signature}\r\n`), data, CRLF];
}

/**
 * Re-chunks `source` into `chunkBytes` pieces (the last may be shorter) and frames each with
 * its signature, ending with the signed zero-size chunk. Holds at most one chunk in memory.
 */
export async function* awsChunkedBody(source: AsyncIterable<Uint8Array>, signing: AwsChunkSigning, chunkBytes = AWS_CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  let previous = signing.seedSignature;
  const sign = (chunk: Uint8Array) => {
    previous = sigV4ChunkSignature({ ...signing, previousSignature: previous, chunk });
    return previous;
  };
  let buffer = new Uint8Array(chunkBytes);
  let filled = 0;
  for await (const piece of source) {
    let offset = 0;
    while (offset < piece.byteLength) {
      const take = Math.min(chunkBytes - filled, piece.byteLength - offset);
      buffer.set(piece.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === chunkBytes) {
        yield* frame(buffer, sign(buffer));
        // The framed buffer may still be queued in the socket: never overwrite it.
        buffer = new Uint8Array(chunkBytes);
        filled = 0;
      }
    }
  }
  if (filled > 0) {
    const last = buffer.subarray(0, filled);
    yield* frame(last, sign(last));
  }
  const empty = new Uint8Array(0);
  yield* frame(empty, sign(empty));
}
