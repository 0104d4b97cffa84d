/**
 * Where an upload's parts come from. A stream is read once, in order, into the pool's buffers;
 * bytes and files are seekable: a part is read (or viewed) at its offset, so parts can be read
 * again to retry or to check a resumed upload.
 */
import { open, type FileHandle } from "node:fs/promises";
import { normalizeBody, StorageError, type BodyInput } from "@stowage/core";
import type { PoolToken } from "./buffer-pool.js";

/** One upload's source of bytes. */
export interface UploadSource {
  /** Bytes in the source, when known before reading it. */
  readonly length: number | undefined;
  /** Can a part be read again at its offset (bytes, strings, files)? Only these can resume. */
  readonly seekable: boolean;
  /**
   * The `size` bytes at `offset` (fewer at the end), in `token`'s buffer or (bytes) as a view.
   * A stream ignores `offset`: parts must be read in order.
   */
  read(offset: number, size: number, token: PoolToken): Promise<Uint8Array>;
  /** Whether no byte follows `offset` (a stream may read one chunk ahead to know). */
  atEnd(offset: number): Promise<boolean>;
  /** Releases the source: cancels a stream, closes a file. Idempotent. */
  close(): Promise<void>;
}

/** A source over bytes already in memory: parts are views, nothing is copied. */
function bytesSource(bytes: Uint8Array): UploadSource {
  return {
    length: bytes.byteLength,
    seekable: true,
    read: async (offset, size) => bytes.subarray(offset, Math.min(bytes.byteLength, offset + size)),
    atEnd: async (offset) => offset >= bytes.byteLength,
    close: async () => undefined,
  };
}

/** A source over a stream, read once and in order; the bytes past a part wait for the next one. */
function streamSource(body: BodyInput, declaredLength: number | undefined): UploadSource {
  const normalized = normalizeBody(body, declaredLength);
  const iterator = normalized.chunks[Symbol.asyncIterator]();
  let pending: Uint8Array | undefined;
  let ended = false;
  let consumed = 0;
  const pull = async (): Promise<Uint8Array | undefined> => {
    if (pending && pending.byteLength > 0) {
      const chunk = pending;
      pending = undefined;
      return chunk;
    }
    if (ended) return undefined;
    const step = await iterator.next();
    if (step.done) {
      ended = true;
      return undefined;
    }
    return step.value;
  };
  return {
    length: declaredLength,
    seekable: false,
    async read(_offset, size, token) {
      const buffer = token.buffer(size);
      let filled = 0;
      while (filled < size) {
        const chunk = await pull();
        if (chunk === undefined) break;
        const take = Math.min(chunk.byteLength, size - filled);
        buffer.set(chunk.subarray(0, take), filled);
        filled += take;
        if (take < chunk.byteLength) pending = chunk.subarray(take);
      }
      consumed += filled;
      if (declaredLength !== undefined && consumed > declaredLength) {
        throw new StorageError({ code: "InvalidArgument", message: `the body has more bytes than the ${declaredLength} declared in contentLength` });
      }
      return buffer.subarray(0, filled);
    },
    async atEnd() {
      if (pending && pending.byteLength > 0) return false;
      const chunk = await pull();
      if (chunk === undefined) return true;
      pending = chunk;
      return false;
    },
    async close() {
      if (!ended) {
        ended = true;
        normalized.cancel();
        await iterator.return?.().catch(() => undefined);
      }
    },
  };
}

/** The source for any body `upload` accepts. */
export function sourceOfBody(body: BodyInput, contentLength: number | undefined): UploadSource {
  if (typeof body === "string" || body instanceof Uint8Array) {
    const n = normalizeBody(body, contentLength);
    return bytesSource(n.bytes!);
  }
  return streamSource(body, contentLength);
}

/** A file read by position: parts are read in parallel, none through a single stream. */
export async function fileSource(path: string): Promise<UploadSource> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code === "ENOENT" ? "NotFound" : "InvalidArgument";
    throw new StorageError({ code, message: `cannot open the file to upload (${(cause as NodeJS.ErrnoException).code ?? "error"})`, cause });
  }
  const length = (await handle.stat()).size;
  let closed = false;
  return {
    length,
    seekable: true,
    async read(offset, size, token) {
      const want = Math.max(0, Math.min(size, length - offset));
      const buffer = token.buffer(want);
      let filled = 0;
      while (filled < want) {
        const { bytesRead } = await handle.read(buffer, filled, want - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled < want) {
        throw new StorageError({ code: "InvalidArgument", message: `the file shrank while it was uploaded (${offset + filled} of ${length} bytes)` });
      }
      return buffer.subarray(0, filled);
    },
    atEnd: async (offset) => offset >= length,
    async close() {
      if (closed) return;
      closed = true;
      await handle.close().catch(() => undefined);
    },
  };
}
