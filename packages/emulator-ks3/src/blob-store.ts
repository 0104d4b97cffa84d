/**
 * Where object and part bytes live. A blob is written once from a stream, read back as a
 * stream of any byte range, and deleted; it is never held whole in one buffer.
 */
import { createHash, randomBytes } from "node:crypto";

/** A written blob: its id in the store, its size and the hex MD5 of its bytes. */
export interface Blob {
  readonly id: string;
  readonly size: number;
  readonly md5Hex: string;
}

/** Storage of immutable blobs. */
export interface BlobStore {
  /**
   * Writes `chunks` into a new blob. Raises what `tooLarge()` returns as soon as more than
   * `maxBytes` arrive, and whatever the source raises; nothing is left behind on failure.
   */
  write(chunks: AsyncIterable<Uint8Array>, maxBytes: number, tooLarge: () => Error): Promise<Blob>;
  /** Whether the blob's bytes are still there (false only when a data directory lost them). */
  has(blob: Blob): Promise<boolean>;
  /** The bytes `start` (inclusive) to `end` (exclusive) of a blob, in order. */
  read(blob: Blob, start: number, end: number): AsyncIterable<Uint8Array>;
  /**
   * Says that the consumer of {@link read} is done with `chunk` (for example a socket has
   * sent it), so the store may reuse its memory for a later read. Optional for consumers: a
   * chunk never recycled stays the consumer's. A chunk the store did not hand out is ignored.
   */
  recycle(chunk: Uint8Array): void;
  /**
   * Forgets a blob; deleting one that is already gone is not an error. A blob that is
   * retained (being read) goes once the last reader releases it.
   */
  delete(blob: Blob): Promise<void>;
  /**
   * Keeps `blobs` readable until the returned function is called (idempotent), so that an
   * overwrite or delete during a GET or a copy does not cut the read short.
   */
  retain(blobs: readonly Blob[]): () => void;
}

/** A fresh blob id: unguessable, file-name safe. */
export function newBlobId(): string {
  return randomBytes(16).toString("hex");
}

/** Counts and hashes chunks as they pass, enforcing the size cap. */
export class BlobMeter {
  private readonly hash = createHash("md5");
  size = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly tooLarge: () => Error,
  ) {}

  /** Accounts for one chunk; raises once the cap is passed. */
  add(chunk: Uint8Array): void {
    this.size += chunk.byteLength;
    if (this.size > this.maxBytes) throw this.tooLarge();
    this.hash.update(chunk);
  }

  /** The hex MD5 of everything added. */
  digest(): string {
    return this.hash.digest("hex");
  }
}
