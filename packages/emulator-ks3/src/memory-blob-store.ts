/**
 * Blobs in memory, kept as the list of chunks they arrived in (no concatenation, so a large
 * object never needs one contiguous buffer). Chunks are immutable once stored, so a copy
 * shares them instead of duplicating bytes.
 */
import { BlobMeter, newBlobId, type Blob, type BlobStore } from "./blob-store.js";

interface ChunkList {
  readonly chunks: Uint8Array[];
  /** `offsets[i]` is the position of `chunks[i]` in the blob. */
  readonly offsets: number[];
}

/**
 * The default store: everything in this process's memory. Chunk lists hang off their blob
 * handles, so the garbage collector frees them once no object, part or reader in flight
 * refers to the blob; a read that started before an overwrite finishes with the old bytes.
 */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new WeakMap<Blob, ChunkList>();

  async write(chunks: AsyncIterable<Uint8Array>, maxBytes: number, tooLarge: () => Error): Promise<Blob> {
    const meter = new BlobMeter(maxBytes, tooLarge);
    const list: ChunkList = { chunks: [], offsets: [] };
    for await (const chunk of chunks) {
      if (chunk.byteLength === 0) continue;
      list.offsets.push(meter.size);
      meter.add(chunk);
      list.chunks.push(chunk);
    }
    const blob: Blob = { id: newBlobId(), size: meter.size, md5Hex: meter.digest() };
    this.blobs.set(blob, list);
    return blob;
  }

  async has(blob: Blob): Promise<boolean> {
    return this.blobs.has(blob);
  }

  async *read(blob: Blob, start: number, end: number): AsyncIterable<Uint8Array> {
    const list = this.blobs.get(blob);
    if (!list) throw new Error(`blob ${blob.id} is gone`);
    // Binary search for the chunk holding `start`.
    let lo = 0;
    let hi = list.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list.offsets[mid]! <= start) lo = mid;
      else hi = mid - 1;
    }
    for (let i = lo; i < list.chunks.length; i++) {
      const offset = list.offsets[i]!;
      if (offset >= end) break;
      const chunk = list.chunks[i]!;
      const from = Math.max(0, start - offset);
      const to = Math.min(chunk.byteLength, end - offset);
      if (to > from) yield chunk.subarray(from, to);
    }
  }

  recycle(): void {
    // Read chunks are the stored bytes themselves: never reused for anything else.
  }

  async delete(): Promise<void> {
    // Nothing to do: see the class comment; dropping the last reference frees the chunks.
  }

  retain(): () => void {
    // A reader holds the blob handle, which holds the chunks: nothing more to pin.
    return () => undefined;
  }
}
