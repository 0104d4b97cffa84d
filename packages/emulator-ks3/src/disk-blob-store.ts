/** Blobs as files under `<dataDir>/blobs/`, one file per blob, written and read as streams. */
import { createReadStream } from "node:fs";
import { mkdir, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { BlobMeter, newBlobId, type Blob, type BlobStore } from "./blob-store.js";

/** The store behind `dataDir`: survives a restart together with the state file. */
export class DiskBlobStore implements BlobStore {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, "blobs");
  }

  /** Creates the blob directory. */
  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  private path(id: string): string {
    return join(this.dir, id);
  }

  async write(chunks: AsyncIterable<Uint8Array>, maxBytes: number, tooLarge: () => Error): Promise<Blob> {
    const id = newBlobId();
    const meter = new BlobMeter(maxBytes, tooLarge);
    const file = await open(this.path(id), "wx");
    try {
      for await (const chunk of chunks) {
        meter.add(chunk);
        // Awaiting each write is the back-pressure: the socket is not read faster than the disk takes it.
        await file.write(chunk);
      }
      await file.close();
    } catch (err) {
      await file.close().catch(() => undefined);
      await rm(this.path(id), { force: true });
      throw err;
    }
    return { id, size: meter.size, md5Hex: meter.digest() };
  }

  async *read(blob: Blob, start: number, end: number): AsyncIterable<Uint8Array> {
    if (end <= start) return;
    yield* createReadStream(this.path(blob.id), { start, end: end - 1, highWaterMark: 256 * 1024 }) as AsyncIterable<Uint8Array>;
  }

  async delete(blob: Blob): Promise<void> {
    await rm(this.path(blob.id), { force: true });
  }
}
