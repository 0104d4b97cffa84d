/** Keys and payloads the cases build: deterministic, so a failure reproduces byte for byte. */
import { Readable } from "node:stream";
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

/** What {@link failingAfter}'s source throws; a store must report it as the error's `cause`. */
export const SOURCE_FAILURE_MESSAGE = "the caller's source failed";

/** A body stream that yields `bytes` and then fails, as a caller's broken source would. */
export async function* failingAfter(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
  throw new Error(SOURCE_FAILURE_MESSAGE);
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

/** A body sent by {@link abortingBody}, and what became of it. */
export interface AbortingBody {
  /** The chunks: the first is yielded at once, the rest slowly, after the signal has fired. */
  body: AsyncIterable<Uint8Array>;
  /** Bytes in the whole body, to declare as its length. */
  length: number;
  /**
   * Resolves whether the store read the body to its end although the signal had fired, i.e.
   * ignored the abort. Settles when the source ends, when its reader closes it (a store that
   * honours the abort does, at most a chunk later), or, for a store that abandons the source
   * without closing it, after {@link ABORTING_BODY_WAIT_LIMIT_MS} (it read no further, so
   * `false`). A store that ignores the signal is caught here however late it would commit.
   */
  readToTheEnd: Promise<boolean>;
}

/** Milliseconds between the chunks after the abort; slow enough that a store stops before the end. */
const ABORTING_BODY_PACE_MS = 5;
/** Longest wait for a source its store has abandoned without closing it. */
const ABORTING_BODY_WAIT_LIMIT_MS = 1000;

/**
 * A slow stream body of `count` copies of `chunk` that fires `controller` once its first chunk
 * has been taken, i.e. mid-upload. A store that ignores the signal reads on to the end; one
 * that honours it stops and closes the source.
 */
export function abortingBody(controller: AbortController, chunk: Uint8Array, count: number): AbortingBody {
  let finish!: (readToTheEnd: boolean) => void;
  const finished = new Promise<boolean>((resolve) => (finish = resolve));
  async function* chunks(): AsyncIterable<Uint8Array> {
    let ended = false;
    try {
      yield chunk;
      controller.abort(new Error("aborted by the conformance suite mid-upload"));
      for (let i = 1; i < count; i++) {
        await delay(ABORTING_BODY_PACE_MS);
        yield chunk;
      }
      ended = true;
    } finally {
      finish(ended);
    }
  }
  // Unreferenced: the limit must not hold the process open once every case has finished.
  const abandoned = delay(ABORTING_BODY_WAIT_LIMIT_MS, false, { ref: false });
  return { body: chunks(), length: chunk.byteLength * count, readToTheEnd: Promise.race([finished, abandoned]) };
}

/** A Node stream body that stalls after its first chunk, and whether its store let go of it. */
export interface StallingBody {
  /** Yields one chunk, then fires the controller when asked for more, and never delivers it. */
  source: Readable;
  /** Bytes to declare as the body's length (more than ever arrive). */
  length: number;
  /**
   * Resolves whether the source was destroyed (the store released it) within
   * {@link ABORTING_BODY_WAIT_LIMIT_MS}; a store that keeps waiting on it holds the caller's
   * socket or file open.
   */
  released: Promise<boolean>;
}

/**
 * A body whose source stalls mid-upload, as a network or disk source can: the first chunk
 * arrives, then, when the store asks for the next, `controller` fires and nothing more comes.
 */
export function stallingBody(controller: AbortController, chunk: Uint8Array): StallingBody {
  let pulls = 0;
  const source = new Readable({
    read() {
      pulls += 1;
      if (pulls === 1) this.push(chunk);
      else if (pulls === 2) controller.abort(new Error("aborted by the conformance suite while the source stalls"));
    },
  });
  const closed = new Promise<boolean>((resolve) => source.once("close", () => resolve(true)));
  // Unreferenced: the limit must not hold the process open once every case has finished.
  const abandoned = delay(ABORTING_BODY_WAIT_LIMIT_MS, false, { ref: false });
  return { source, length: chunk.byteLength * 4, released: Promise.race([closed, abandoned]) };
}
