/**
 * Reading one byte range of an object, pinned to an ETag, with the engine's retry and
 * byte-granular progress. Shared by `download` and `downloadFile`.
 *
 * The bytes are kept as the chunks the transport delivered, never copied into a range-sized
 * buffer: each chunk is a buffer of its own (a socket read), so handing it on is safe, and a
 * fresh 8 MiB buffer per range cost a copy of every byte plus the page faults of new memory
 * (a third of a download's CPU when measured). A range that fails mid-body resumes from its
 * next byte, pinned to the same ETag, so the chunks already received stay valid.
 */
import { StorageError, type GetObjectResult, type MultipartObjectStore, type RetryOptions } from "@stowage/core";
import type { ProgressTracker } from "./progress.js";
import { retrying } from "./retry.js";

/** What every range read of one download shares. */
export interface RangeReader {
  /** The store. */
  store: MultipartObjectStore;
  /** The object's key. */
  key: string;
  /** The ETag every range is pinned to (`ifMatch`). */
  etag: string;
  /** Cancels every read. */
  signal: AbortSignal;
  /** Retry policy. */
  retry: RetryOptions | false | undefined;
  /** Counts received bytes. */
  progress: ProgressTracker;
}

/** One range being received: its chunks wait here, in order, until they are taken. */
export class RangeFill {
  /** Chunks received and not yet taken. */
  readonly chunks: Uint8Array[] = [];
  /** Bytes received so far (taken or not). */
  received = 0;
  /** Whether the range is complete or failed for good. */
  settled = false;
  /** Called after each chunk and once when the range settles. */
  onChange: (() => void) | undefined;

  /** Bytes `first..last` (inclusive); `last = first - 1` is an empty range. */
  constructor(
    readonly first: number,
    readonly last: number,
  ) {}

  /** Bytes in the range. */
  get length(): number {
    return this.last - this.first + 1;
  }
}

/** Reads `result.body` into `fill` until it holds the whole range. */
async function drain(result: GetObjectResult, fill: RangeFill, progress: ProgressTracker): Promise<void> {
  const length = fill.length;
  for await (const chunk of result.body as unknown as AsyncIterable<Uint8Array>) {
    if (chunk.byteLength === 0) continue;
    if (fill.received + chunk.byteLength > length) throw new StorageError({ code: "Internal", message: `the store sent more than the ${length} bytes of the range` });
    fill.chunks.push(chunk);
    fill.received += chunk.byteLength;
    progress.addBytes(chunk.byteLength);
    fill.onChange?.();
  }
  if (fill.received !== length) throw new StorageError({ code: "Network", message: `the range ended after ${fill.received} of ${length} bytes` });
}

/**
 * Receives `fill`'s range into it. The first attempt reads `opened` when given (the answer that
 * told the object's identity); a retry asks for the bytes still missing, pinned to `r.etag`
 * (`PreconditionFailed` if the object changed). `ranged: false` (a store without ranged reads)
 * means a failure cannot be resumed, so it is final. Settles `fill` either way.
 */
export async function fillRange(r: RangeReader, fill: RangeFill, opened?: GetObjectResult, ranged = true): Promise<void> {
  let pending = opened;
  try {
    await retrying(
      async () => {
        const from = fill.first + fill.received;
        let result = pending;
        pending = undefined;
        result ??= await r.store.getObject(r.key, { range: { first: from, last: fill.last }, ifMatch: r.etag, signal: r.signal });
        if (ranged && result.range !== undefined && result.range.start !== from) {
          await result.body.cancel().catch(() => undefined);
          throw new StorageError({ code: "Internal", message: `asked for bytes from ${from}, the store answered from ${result.range.start}`, key: r.key });
        }
        await drain(result, fill, r.progress);
      },
      ranged ? r.retry : false,
      r.signal,
    );
  } finally {
    // An attempt that never ran leaves the opened body to be released here.
    await pending?.body.cancel().catch(() => undefined);
    fill.settled = true;
    fill.onChange?.();
  }
}

/** Bytes `first..last` (inclusive) of the object as the chunks they came in, pinned to `r.etag`. */
export async function readRange(r: RangeReader, first: number, last: number, opened?: GetObjectResult, ranged = true): Promise<Uint8Array[]> {
  const fill = new RangeFill(first, last);
  await fillRange(r, fill, opened, ranged);
  return fill.chunks;
}
