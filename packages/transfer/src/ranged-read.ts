/**
 * Reading one byte range of an object fully into memory, pinned to an ETag, with the engine's
 * retry and byte-granular progress. Shared by `download` and `downloadFile`.
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

/** Reads a response body into one buffer of exactly `length` bytes, counting progress. */
export async function readBody(result: GetObjectResult, length: number, progress: ProgressTracker, into?: Uint8Array): Promise<Uint8Array> {
  const out = into ?? Buffer.allocUnsafe(length);
  let filled = 0;
  try {
    for await (const chunk of result.body as unknown as AsyncIterable<Uint8Array>) {
      if (filled + chunk.byteLength > length) throw new StorageError({ code: "Internal", message: `the store sent more than the ${length} bytes of the range` });
      out.set(chunk, filled);
      filled += chunk.byteLength;
      progress.addBytes(chunk.byteLength);
    }
  } catch (err) {
    progress.addBytes(-filled);
    throw err;
  }
  if (filled !== length) {
    progress.addBytes(-filled);
    throw new StorageError({ code: "Network", message: `the range ended after ${filled} of ${length} bytes` });
  }
  return out.subarray(0, length);
}

/** Bytes `first..last` (inclusive) of the object, pinned to `r.etag`; `PreconditionFailed` if it changed. */
export function readRange(r: RangeReader, first: number, last: number): Promise<Uint8Array> {
  return retrying(
    async () => {
      const result = await r.store.getObject(r.key, { range: { first, last }, ifMatch: r.etag, signal: r.signal });
      return readBody(result, last - first + 1, r.progress);
    },
    r.retry,
    r.signal,
  );
}
