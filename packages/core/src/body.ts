/**
 * Bodies: what callers may pass in, the one normalized form drivers receive, and readers
 * with a size cap for when a caller really wants the bytes.
 */
import { Readable } from "node:stream";
import { throwIfAborted } from "./abort.js";
import { StorageError, type StorageErrorCode } from "./storage-error.js";

/** Anything a write accepts. Strings are encoded as UTF-8. */
export type BodyInput = Uint8Array | string | Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * A body as drivers receive it: chunks to be read once, and the length when it is known
 * up front (always for bytes and strings; for streams only when the caller declared it).
 * `bytes` is set when the whole body is already in memory, so a driver can send it as is.
 */
export interface NormalizedBody {
  readonly length: number | undefined;
  readonly chunks: AsyncIterable<Uint8Array>;
  readonly bytes: Uint8Array | undefined;
}

const encoder = new TextEncoder();

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === "object" && v !== null && typeof (v as Record<symbol, unknown>)[Symbol.asyncIterator] === "function";
}

function isWebStream(v: unknown): v is ReadableStream<Uint8Array> {
  return typeof v === "object" && v !== null && typeof (v as ReadableStream).getReader === "function";
}

async function* single(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

/** Yields chunks, checking each is bytes: a stream of strings or objects is a caller bug, reported as `InvalidArgument`. */
async function* checkedChunks(source: AsyncIterable<unknown>): AsyncIterable<Uint8Array> {
  for await (const chunk of source) {
    if (!(chunk instanceof Uint8Array)) {
      throw new StorageError({ code: "InvalidArgument", message: "body stream must yield Uint8Array chunks" });
    }
    yield chunk;
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
    const bytes = typeof input === "string" ? encoder.encode(input) : input;
    if (declaredLength !== undefined && declaredLength !== bytes.byteLength) {
      throw new StorageError({ code: "InvalidArgument", message: `contentLength ${declaredLength} does not match the body's ${bytes.byteLength} bytes` });
    }
    return { length: bytes.byteLength, chunks: single(bytes), bytes };
  }
  if (isWebStream(input)) {
    return { length: declaredLength, chunks: checkedChunks(Readable.fromWeb(input as import("node:stream/web").ReadableStream)), bytes: undefined };
  }
  if (input instanceof Readable || isAsyncIterable(input)) {
    return { length: declaredLength, chunks: checkedChunks(input as AsyncIterable<unknown>), bytes: undefined };
  }
  throw new StorageError({
    code: "InvalidArgument",
    message: "body must be a Uint8Array, a string, a Node Readable, a web ReadableStream or an AsyncIterable<Uint8Array>",
  });
}

/** Options of {@link readBytes}. */
export interface ReadBytesOptions {
  /** Raise `tooLargeCode` as soon as more than this many bytes arrive. */
  maxBytes: number;
  /** The code raised past `maxBytes`; default `ValueTooLarge`. */
  tooLargeCode?: StorageErrorCode;
  signal?: AbortSignal;
}

/**
 * Reads a body to bytes, stopping (and cancelling the source) as soon as it passes
 * `maxBytes`. Accepts the same inputs as {@link normalizeBody} plus a {@link NormalizedBody}.
 */
export async function readBytes(body: BodyInput | NormalizedBody, options: ReadBytesOptions): Promise<Uint8Array> {
  const normalized = isNormalizedBody(body) ? body : normalizeBody(body);
  const tooLarge = () =>
    new StorageError({ code: options.tooLargeCode ?? "ValueTooLarge", message: `body exceeds ${options.maxBytes} bytes` });
  if (normalized.bytes) {
    if (normalized.bytes.byteLength > options.maxBytes) throw tooLarge();
    return normalized.bytes;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const iterator = normalized.chunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      throwIfAborted(options.signal);
      const { value, done } = await iterator.next();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) throw tooLarge();
      chunks.push(value);
    }
  } catch (err) {
    await iterator.return?.();
    throw err;
  }
  return concatBytes(chunks, total);
}

/** {@link readBytes} decoded as UTF-8; invalid UTF-8 raises `InvalidArgument`. */
export async function readText(body: BodyInput | NormalizedBody, options: ReadBytesOptions): Promise<string> {
  return decodeUtf8(await readBytes(body, options));
}

const strictDecoder = new TextDecoder("utf-8", { fatal: true });

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
  return typeof v === "object" && v !== null && "chunks" in v && "length" in v && "bytes" in v && !(v instanceof Uint8Array);
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
