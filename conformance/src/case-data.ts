/** Keys and payloads the cases build: deterministic, so a failure reproduces byte for byte. */
import { setTimeout as delay } from "node:timers/promises";
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

/** A body sent by {@link abortingBody}, and when its source is done with. */
export interface AbortingBody {
  /** The chunks: the first is yielded at once, the rest slowly, after the signal has fired. */
  body: AsyncIterable<Uint8Array>;
  /** Bytes in the whole body, to declare as its length. */
  length: number;
  /**
   * Settles once the source has ended or its reader has closed it, i.e. once nothing more can
   * be written from it, plus a short grace for a store that ignores the signal to finish
   * writing what it read. A store that neither reads on nor closes the source writes nothing
   * from it either, so after {@link ABORTING_BODY_WAIT_LIMIT_MS} it settles regardless.
   */
  settled: Promise<void>;
}

/** Milliseconds between the chunks after the abort; slow enough that a store stops before the end. */
const ABORTING_BODY_PACE_MS = 5;
/** Grace after the source is done, for a store that read it all despite the abort to make its write visible. */
const ABORTING_BODY_GRACE_MS = 50;
/** Longest wait for a source its store has abandoned without closing it. */
const ABORTING_BODY_WAIT_LIMIT_MS = 1000;

/**
 * A slow stream body of `count` copies of `chunk` that fires `controller` once its first chunk
 * has been taken, i.e. mid-upload. A store that ignores the signal reads on to the end and
 * writes it; one that honours it stops and closes the source.
 */
export function abortingBody(controller: AbortController, chunk: Uint8Array, count: number): AbortingBody {
  let done!: () => void;
  const closed = new Promise<void>((resolve) => (done = resolve));
  async function* chunks(): AsyncIterable<Uint8Array> {
    try {
      yield chunk;
      controller.abort(new Error("aborted by the conformance suite mid-upload"));
      for (let i = 1; i < count; i++) {
        await delay(ABORTING_BODY_PACE_MS);
        yield chunk;
      }
    } finally {
      done();
    }
  }
  // Unreferenced: the limit must not hold the process open once every case has finished.
  const abandoned = delay(ABORTING_BODY_WAIT_LIMIT_MS, undefined, { ref: false });
  const settled = Promise.race([closed.then(() => delay(ABORTING_BODY_GRACE_MS)), abandoned]);
  return { body: chunks(), length: chunk.byteLength * count, settled };
}
