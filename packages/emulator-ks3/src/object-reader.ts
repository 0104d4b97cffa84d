/** Streaming an object's bytes, or any byte range of them, across the blobs it is made of. */
import type { BlobStore } from "./blob-store.js";
import type { StoredObject } from "./state.js";

async function* segments(blobs: BlobStore, object: Pick<StoredObject, "blobs">, start: number, end: number): AsyncGenerator<Uint8Array> {
  let offset = 0;
  for (const blob of object.blobs) {
    const blobStart = offset;
    offset += blob.size;
    if (offset <= start) continue;
    if (blobStart >= end) break;
    yield* blobs.read(blob, Math.max(0, start - blobStart), Math.min(blob.size, end - blobStart));
  }
}

/**
 * Bytes `start` (inclusive) to `end` (exclusive) of `object`, in order, never all at once.
 * The object's blobs are retained from this call until the bytes are consumed, fail, or the
 * consumer stops early (even before the first read), so a concurrent overwrite or delete
 * cannot cut the read short.
 */
export function readObjectBytes(blobs: BlobStore, object: Pick<StoredObject, "blobs">, start: number, end: number): AsyncIterable<Uint8Array> {
  const release = blobs.retain(object.blobs);
  const inner = segments(blobs, object, start, end);
  const iterator: AsyncIterator<Uint8Array> = {
    async next() {
      try {
        const result = await inner.next();
        if (result.done) release();
        return result;
      } catch (err) {
        release();
        throw err;
      }
    },
    async return() {
      release();
      await inner.return(undefined);
      return { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}
