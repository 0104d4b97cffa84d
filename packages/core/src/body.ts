/**
 * Bodies: what callers may pass in, the one normalized form drivers receive, and readers
 * with a size cap for when a caller really wants the bytes.
 */
import { Readable } from "node:stream";
import { abortedError, throwIfAborted } from "./abort.js";
import { transportSignal } from "./guarded-call.js";
import { StorageError, type StorageErrorCode } from "./storage-error.js";

/** Anything a write accepts. Strings are encoded as UTF-8. */
export type BodyInput = Uint8Array | string | Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * A body as drivers receive it: chunks to be read once, and the length when it is known
 * up front (always for bytes and strings; for streams only when the caller declared it).
 * `bytes` is set when the whole body is already in memory, so a driver can send it as is.
 */
export interface NormalizedBody {
  /** Bytes in the body, when known before reading it. */
  readonly length: number | undefined;
  /** The body's chunks; iterate once. */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** The whole body, when it is already in memory. */
  readonly bytes: Uint8Array | undefined;
  /**
   * Releases the caller's source at once, even while it is stalled mid-chunk: destroys a Node
   * `Readable`, cancels a web `ReadableStream`. Readers call it when they give up on the body
   * (an abort, a failed request), so a socket or file behind it is not held open. A plain async
   * iterable cannot be interrupted mid-`next()`; it is released when its pending chunk arrives.
   * Idempotent; nothing to do for bytes and strings.
   */
  readonly cancel: () => void;
}

const NOTHING_TO_CANCEL = (): void => undefined;

const encoder = new TextEncoder();
// In a `u` regex a surrogate pair is one code point, so \p{Surrogate} matches only lone halves.
const LONE_SURROGATE = /\p{Surrogate}/u;

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === "object" && v !== null && typeof (v as Record<symbol, unknown>)[Symbol.asyncIterator] === "function";
}

function isWebStream(v: unknown): v is ReadableStream<Uint8Array> {
  return typeof v === "object" && v !== null && typeof (v as ReadableStream).getReader === "function";
}

async function* single(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

/**
 * Yields the caller's chunks, checking each is bytes: a stream of strings or objects is a caller
 * bug, reported as `InvalidArgument`. A caller's stream that fails is `InvalidArgument` too, with
 * the failure as `cause` (not in the message, which could carry the caller's data): every driver
 * reads bodies through here, so the same failure gets the same code on every adapter.
 */
async function* checkedChunks(source: AsyncIterable<unknown>): AsyncIterable<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  let exhausted = false;
  let failed = false;
  try {
    for (;;) {
      let step: IteratorResult<unknown>;
      try {
        step = await iterator.next();
      } catch (cause) {
        exhausted = true;
        if (cause instanceof StorageError) throw cause;
        throw new StorageError({ code: "InvalidArgument", message: "the body stream failed while it was being read (see cause)", cause });
      }
      if (step.done) {
        exhausted = true;
        return;
      }
      if (!(step.value instanceof Uint8Array)) {
        throw new StorageError({ code: "InvalidArgument", message: "body stream must yield Uint8Array chunks" });
      }
      yield step.value;
    }
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    // Stopped early (a limit, an abort, a bad chunk): release the caller's source, as `for await`
    // would. Leaving on an error, that error is the one to report, not a failure of the release.
    if (!exhausted) {
      const release = iterator.return?.();
      if (failed) await release?.catch(() => undefined);
      else await release;
    }
  }
}

/** Whether `value` is something {@link normalizeBody} accepts. */
export function isBodyInput(value: unknown): value is BodyInput {
  return typeof value === "string" || value instanceof Uint8Array || value instanceof Readable || isWebStream(value) || isAsyncIterable(value);
}

/**
 * Turns any {@link BodyInput} into a {@link NormalizedBody}. `declaredLength` is the caller's
 * `contentLength` for a stream; for bytes and strings it must equal the real length.
 * Raises `InvalidArgument` for anything else (never a TypeError from deep inside).
 */
export function normalizeBody(input: unknown, declaredLength?: number): NormalizedBody {
  if (declaredLength !== undefined && !(Number.isSafeInteger(declaredLength) && declaredLength >= 0)) {
    throw new StorageError({ code: "InvalidArgument", message: "contentLength must be a non-negative integer" });
  }
  if (typeof input === "string" || input instanceof Uint8Array) {
    const bytes = typeof input === "string" ? encodeUtf8(input) : input;
    if (declaredLength !== undefined && declaredLength !== bytes.byteLength) {
      throw new StorageError({ code: "InvalidArgument", message: `contentLength ${declaredLength} does not match the body's ${bytes.byteLength} bytes` });
    }
    return { length: bytes.byteLength, chunks: single(bytes), bytes, cancel: NOTHING_TO_CANCEL };
  }
  if (isWebStream(input) || input instanceof Readable) {
    // A web stream through a Readable, whose destroy() cancels it.
    const readable = input instanceof Readable ? input : Readable.fromWeb(input as import("node:stream/web").ReadableStream);
    return { length: declaredLength, chunks: checkedChunks(readable), bytes: undefined, cancel: () => void readable.destroy() };
  }
  if (isAsyncIterable(input)) {
    return { length: declaredLength, chunks: checkedChunks(input), bytes: undefined, cancel: NOTHING_TO_CANCEL };
  }
  throw new StorageError({
    code: "InvalidArgument",
    message: "body must be a Uint8Array, a string, a Node Readable, a web ReadableStream or an AsyncIterable<Uint8Array>",
  });
}

/**
 * Encodes a string as UTF-8. A lone surrogate has no UTF-8 encoding; TextEncoder would
 * silently write U+FFFD instead, so the stored value would not round-trip: `InvalidArgument`.
 */
export function encodeUtf8(text: string): Uint8Array {
  if (LONE_SURROGATE.test(text)) {
    throw new StorageError({ code: "InvalidArgument", message: "string contains a lone UTF-16 surrogate, which has no UTF-8 encoding" });
  }
  return encoder.encode(text);
}

/** Options of {@link readBytes}. */
export interface ReadBytesOptions {
  /** Raise `tooLargeCode` as soon as more than this many bytes arrive. Default: no cap (the caller trusts the source). */
  maxBytes?: number;
  /** The code raised past `maxBytes`; default `ValueTooLarge`. */
  tooLargeCode?: StorageErrorCode;
  /**
   * Firing it raises `Aborted` at once, even while the source is stalled. The source is then
   * released (its `return()` called), but only once its pending chunk arrives: an async
   * iterator cannot be interrupted in the middle of `next()`.
   */
  signal?: AbortSignal;
}

/**
 * Reads a body to bytes, stopping (and cancelling the source) as soon as it passes
 * `maxBytes`. Accepts the same inputs as {@link normalizeBody} plus a {@link NormalizedBody}.
 * Without options it reads the whole body, e.g. `await readBytes(result.body)`.
 */
export async function readBytes(body: BodyInput | NormalizedBody, options: ReadBytesOptions = {}): Promise<Uint8Array> {
  const normalized = isNormalizedBody(body) ? body : normalizeBody(body);
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const tooLarge = () =>
    new StorageError({ code: options.tooLargeCode ?? "ValueTooLarge", message: `body exceeds ${maxBytes} bytes` });
  throwIfAborted(options.signal);
  if (normalized.bytes) {
    if (normalized.bytes.byteLength > maxBytes) throw tooLarge();
    return normalized.bytes;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  // The facade's never-firing signal (a call made without one) needs no listener per chunk:
  // every stream read in flight would add and remove one on that single shared signal.
  const listened = transportSignal(options.signal);
  const iterator = normalized.chunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      throwIfAborted(options.signal);
      const { value, done } = await nextOrAbort(iterator, listened);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw tooLarge();
      chunks.push(value);
    }
  } catch (err) {
    // An async generator queues return() behind a pending next(), so after an abort of a
    // stalled source awaiting it would hang: cancel without waiting, and swallow its outcome.
    const closing = iterator.return?.();
    if (options.signal?.aborted) {
      normalized.cancel();
      closing?.catch(() => undefined);
    } else await closing;
    throw err;
  }
  return concatBytes(chunks, total);
}

/** `iterator.next()`, settled early with `Aborted` when the signal fires (a stalled source must not hang the caller). */
function nextOrAbort<T>(iterator: AsyncIterator<T>, signal: AbortSignal | undefined): Promise<IteratorResult<T>> {
  const next = iterator.next();
  if (!signal) return next;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal));
    // The source's next() may itself have fired the signal, before a listener was there to hear it.
    if (signal.aborted) {
      next.catch(() => undefined);
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    next.then(
      (r) => {
        signal.removeEventListener("abort", onAbort);
        resolve(r);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** {@link readBytes} decoded as UTF-8; invalid UTF-8 raises `InvalidArgument`. */
export async function readText(body: BodyInput | NormalizedBody, options: ReadBytesOptions = {}): Promise<string> {
  return decodeUtf8(await readBytes(body, options));
}

// ignoreBOM: keep a leading U+FEFF; the default strips it, and a stored value must round-trip.
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes UTF-8, raising `InvalidArgument` for invalid sequences instead of inserting U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch (cause) {
    throw new StorageError({ code: "InvalidArgument", message: "value is not valid UTF-8", cause });
  }
}

/** Joins chunks into one array. */
export function concatBytes(chunks: readonly Uint8Array[], total = chunks.reduce((n, c) => n + c.byteLength, 0)): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function isNormalizedBody(v: unknown): v is NormalizedBody {
  return typeof v === "object" && v !== null && "chunks" in v && "length" in v && "bytes" in v && "cancel" in v && !(v instanceof Uint8Array);
}

/** A web stream over chunks, pulling lazily so back-pressure reaches the source. */
export function toWebStream(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
