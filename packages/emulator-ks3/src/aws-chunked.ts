/**
 * Decoding `Content-Encoding: aws-chunked` bodies (AWS docs, "Transferring Payload in Multiple
 * Chunks"): `hex-size[;chunk-signature=sig]\r\n data \r\n` … a zero-size final chunk, then
 * optional trailer lines and an empty line. Each chunk's signature is checked by the caller's
 * `verifyChunk` before its bytes are passed on.
 */
import { Ks3Error } from "./errors.js";

/**
 * Largest single chunk accepted: a chunk is buffered whole to check its signature, so this
 * bounds the memory one request can pin. The AWS SDKs send 64 KiB–8 MiB chunks.
 */
const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
const MAX_LINE_BYTES = 4096;
const CRLF = Buffer.from("\r\n");

/** Checks one chunk: `data` is its bytes, `signature` its `chunk-signature` (if any). */
export type ChunkVerifier = (data: Uint8Array, signature: string | undefined) => void;

/** Checks the trailers (lower-case name → value) once every chunk has been verified. */
export type TrailerVerifier = (trailers: ReadonlyMap<string, string>) => void;

/** At most this many trailer lines: the SDKs send one checksum; more is not a body. */
const MAX_TRAILERS = 16;

/** Pulls exact byte counts and CRLF-terminated lines out of a stream of buffers. */
class ByteReader {
  private pending: Buffer = Buffer.alloc(0);
  private readonly iterator: AsyncIterator<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  private async fill(): Promise<void> {
    const { value, done } = await this.iterator.next();
    if (done) throw new Ks3Error("IncompleteBody", "The aws-chunked body ended before its final chunk.");
    this.pending = this.pending.length === 0 ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : Buffer.concat([this.pending, value]);
  }

  async line(): Promise<string> {
    for (;;) {
      const at = this.pending.indexOf(CRLF);
      if (at >= 0) {
        const line = this.pending.subarray(0, at).toString("latin1");
        this.pending = this.pending.subarray(at + 2);
        return line;
      }
      if (this.pending.length > MAX_LINE_BYTES) throw new Ks3Error("InvalidRequest", "An aws-chunked header line is too long.");
      await this.fill();
    }
  }

  async exactly(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let missing = n;
    while (missing > 0) {
      if (this.pending.length === 0) await this.fill();
      const take = Math.min(missing, this.pending.length);
      parts.push(this.pending.subarray(0, take));
      this.pending = this.pending.subarray(take);
      missing -= take;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, n);
  }

  /** Whether anything follows (bytes after the body are a framing error). */
  async atEnd(): Promise<boolean> {
    if (this.pending.length > 0) return false;
    const { done } = await this.iterator.next();
    return done === true;
  }
}

/**
 * The decoded bytes of an aws-chunked body. Raises `IncompleteBody` for a truncated body,
 * `InvalidRequest` for broken framing, and whatever `verifyChunk` or `verifyTrailers` raise.
 */
export async function* decodeAwsChunked(
  source: AsyncIterable<Uint8Array>,
  verifyChunk: ChunkVerifier,
  verifyTrailers: TrailerVerifier = () => undefined,
): AsyncIterable<Uint8Array> {
  const reader = new ByteReader(source);
  for (;;) {
    const header = await reader.line();
    const [sizeText, ...extensions] = header.split(";");
    if (!sizeText || !/^[0-9a-fA-F]+$/.test(sizeText.trim())) throw new Ks3Error("InvalidRequest", "Malformed aws-chunked chunk header.");
    const size = parseInt(sizeText, 16);
    if (size > MAX_CHUNK_BYTES) throw new Ks3Error("InvalidRequest", "An aws-chunked chunk is too large.");
    const signature = extensions.map((e) => /^\s*chunk-signature=([0-9a-f]+)\s*$/.exec(e)?.[1]).find((s) => s !== undefined);
    const data = size === 0 ? Buffer.alloc(0) : await reader.exactly(size);
    verifyChunk(data, signature);
    if (size === 0) {
      // Trailer lines (e.g. `x-amz-checksum-crc32:…`) up to the empty line that ends the body.
      const trailers = new Map<string, string>();
      for (let line = await reader.line(); line !== ""; line = await reader.line()) {
        const colon = line.indexOf(":");
        if (colon <= 0 || trailers.size >= MAX_TRAILERS) throw new Ks3Error("InvalidRequest", "Malformed aws-chunked trailer.");
        trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      if (!(await reader.atEnd())) throw new Ks3Error("InvalidRequest", "Bytes follow the final aws-chunked chunk.");
      verifyTrailers(trailers);
      return;
    }
    if ((await reader.line()) !== "") throw new Ks3Error("InvalidRequest", "An aws-chunked chunk is not followed by CRLF.");
    yield data;
  }
}
