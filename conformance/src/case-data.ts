/** Keys and payloads the cases build: deterministic, so a failure reproduces byte for byte. */
import { readBytes } from "@stowage/core";

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** `length` bytes of a repeating, position-dependent pattern (so misplaced slices show). */
export function pattern(length: number, seed = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}

/** Every byte value 0..255 once, in order. */
export function allByteValues(): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, i) => i);
}

/** An ASCII key of exactly `bytes` bytes (letters and digits only, valid on every provider). */
export function asciiKey(bytes: number, stem = "k"): string {
  const filler = "abcdefghijklmnopqrstuvwxyz0123456789";
  let key = stem.slice(0, bytes);
  while (key.length < bytes) key += filler[key.length % filler.length];
  return key;
}

/** A three-byte UTF-8 character (U+20AC EURO SIGN). */
export const THREE_BYTE_CHAR = "\u20ac";

/** Reads a stream to bytes, with a generous cap so a runaway body cannot exhaust memory. */
export async function bytesOf(body: ReadableStream<Uint8Array>, maxBytes = 64 * 1024 * 1024): Promise<Uint8Array> {
  return readBytes(body, { maxBytes, tooLargeCode: "Internal" });
}

/** Chunks of `bytes` as an async iterable, for stream-body cases. */
export async function* chunksOf(bytes: Uint8Array, chunkSize: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += chunkSize) yield bytes.slice(i, i + chunkSize);
}

/** A body stream that yields `bytes` and then fails, as a caller's broken source would. */
export async function* failingAfter(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
  throw new Error("the caller's source failed");
}

/** A signal that has already fired. */
export function abortedSignal(): AbortSignal {
  const controller = new AbortController();
  controller.abort(new Error("aborted by the conformance suite"));
  return controller.signal;
}

/** A Date `seconds` away from `base` (HTTP dates have one-second precision). */
export function shiftSeconds(base: Date, seconds: number): Date {
  return new Date(Math.floor(base.getTime() / 1000) * 1000 + seconds * 1000);
}
