/** Streaming an object's bytes, or any byte range of them, across the blobs it is made of. */
import type { BlobStore } from "./blob-store.js";
import type { StoredObject } from "./state.js";

/** Bytes `start` (inclusive) to `end` (exclusive) of `object`, in order, never all at once. */
export async function* readObjectBytes(blobs: BlobStore, object: Pick<StoredObject, "blobs">, start: number, end: number): AsyncIterable<Uint8Array> {
  let offset = 0;
  for (const blob of object.blobs) {
    const blobStart = offset;
    offset += blob.size;
    if (offset <= start) continue;
    if (blobStart >= end) break;
    yield* blobs.read(blob, Math.max(0, start - blobStart), Math.min(blob.size, end - blobStart));
  }
}
