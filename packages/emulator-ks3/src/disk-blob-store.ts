/**
 * Blobs as files under `<dataDir>/blobs/`, one file per blob, written and read as streams.
 * A blob is fsynced (file and directory entry) before write() resolves: the state saved
 * after it may name it, and must never name a blob a crash could lose.
 */
import { access, mkdir, open, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { BlobMeter, newBlobId, type Blob, type BlobStore } from "./blob-store.js";
import { ReadBufferPool } from "./read-buffer-pool.js";
import { fsyncDirectory } from "@stowage/core";

/** Bytes of a blob gathered before one writev (the chunks are the request's own buffers, not copies). */
const WRITE_BATCH_BYTES = 1024 * 1024;

/** Reads shorter than this are not worth a pooled buffer. */
const SMALL_READ_BYTES = 64 * 1024;

/** What newBlobId() makes: 32 lower-case hex digits. */
const BLOB_ID = /^[0-9a-f]{32}$/;

/** The store behind `dataDir`: survives a restart together with the state file. */
export class DiskBlobStore implements BlobStore {
  private readonly dir: string;
  /** Readers per blob id. */
  private readonly readers = new Map<string, number>();
  /** Blobs deleted while being read: removed when their last reader releases them. */
  private readonly doomed = new Set<string>();
  /**
   * Read buffers that consumers gave back ({@link recycle}). 1 MiB reads: a quarter of the
   * thread-pool round trips and socket writes of Node's 256 KiB stream default for the same bytes;
   * 16 free ones cover a few GETs streaming at once.
   */
  private readonly buffers = new ReadBufferPool(1024 * 1024, 16);

  constructor(dataDir: string) {
    this.dir = join(dataDir, "blobs");
  }

  /** Creates the blob directory. */
  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  private path(id: string): string {
    // Ids come from newBlobId(), but after a restart they are read back from state.json: a
    // hand-edited id such as `../../x` must not reach a file outside the data directory.
    if (!BLOB_ID.test(id)) throw new Error("state.json names a blob id that newBlobId() never makes");
    return join(this.dir, id);
  }

  async write(chunks: AsyncIterable<Uint8Array>, maxBytes: number, tooLarge: () => Error): Promise<Blob> {
    const id = newBlobId();
    const meter = new BlobMeter(maxBytes, tooLarge);
    const file = await open(this.path(id), "wx");
    try {
      // Socket reads are ~64 KiB: one thread-pool write each cost an upload as much as its MD5.
      // A batch of them goes out as one writev. Awaiting each batch is the back-pressure: the
      // socket is not read more than a batch ahead of the disk.
      let batch: Uint8Array[] = [];
      let batched = 0;
      for await (const chunk of chunks) {
        meter.add(chunk);
        batch.push(chunk);
        batched += chunk.byteLength;
        if (batched >= WRITE_BATCH_BYTES) {
          await file.writev(batch);
          batch = [];
          batched = 0;
        }
      }
      if (batch.length > 0) await file.writev(batch);
      await file.sync();
      await file.close();
      await fsyncDirectory(this.dir);
    } catch (err) {
      await file.close().catch(() => undefined);
      await rm(this.path(id), { force: true });
      throw err;
    }
    return { id, size: meter.size, md5Hex: meter.digest() };
  }

  async has(blob: Blob): Promise<boolean> {
    try {
      await access(this.path(blob.id));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Removes every file in `blobs/` whose name is not in `keep`: blobs written by requests a
   * crash interrupted before their state was saved, and old blobs whose removal a crash cut
   * short after the state stopped naming them. Run at start-up, before any request.
   * Resolves with the number of files removed.
   */
  async removeUnreferenced(keep: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.dir)) {
      if (keep.has(name)) continue;
      await rm(join(this.dir, name), { force: true, recursive: true });
      removed++;
    }
    if (removed > 0) await fsyncDirectory(this.dir);
    return removed;
  }

  async *read(blob: Blob, start: number, end: number): AsyncIterable<Uint8Array> {
    if (end <= start) return;
    const file = await open(this.path(blob.id), "r");
    try {
      for (let position = start; position < end; ) {
        // A small read (a small object, a range's tail) gets a buffer of its size, not a pooled MiB.
        const left = end - position;
        const buffer = left < SMALL_READ_BYTES ? Buffer.allocUnsafe(left) : this.buffers.take();
        const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.byteLength, left), position);
        if (bytesRead === 0) throw new Error(`blob ${blob.id} is shorter than the state says`);
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
      }
    } finally {
      await file.close();
    }
  }

  recycle(chunk: Uint8Array): void {
    this.buffers.give(chunk);
  }

  async delete(blob: Blob): Promise<void> {
    if (this.readers.has(blob.id)) {
      this.doomed.add(blob.id);
      return;
    }
    await rm(this.path(blob.id), { force: true });
  }

  retain(blobs: readonly Blob[]): () => void {
    for (const blob of blobs) this.readers.set(blob.id, (this.readers.get(blob.id) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const blob of blobs) {
        const left = (this.readers.get(blob.id) ?? 1) - 1;
        if (left > 0) {
          this.readers.set(blob.id, left);
          continue;
        }
        this.readers.delete(blob.id);
        if (this.doomed.delete(blob.id)) void rm(this.path(blob.id), { force: true });
      }
    };
  }
}
