/**
 * Object bytes in and out: a caller's body streamed into a temp file with its MD5, and a byte
 * range of a record streamed out to a reader. Neither holds a whole object in memory.
 */
import { createHash, type Hash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { StorageError, abortedError, throwIfAborted, transportSignal, type DriverCallContext, type ErrorContext, type NormalizedBody } from "@stowage/core";
import { readFully, type TempFile } from "./durable-file.js";
import { entityTooLarge, invalidArgument } from "./errors.js";

/** Bytes read from disk per chunk handed to a reader or copied between files. */
export const STREAM_CHUNK_BYTES = 256 * 1024;

/**
 * Streams `body` into `temp`, at most `max` bytes (`EntityTooLarge` past it), honouring the
 * signal between chunks; resolves the binary MD5. A declared length the body does not match
 * raises `InvalidArgument` (S3 `IncompleteBody`). On an abort the caller's source is released.
 */
export async function writeBody(temp: TempFile, body: NormalizedBody, max: number, what: string, ctx: DriverCallContext, context: ErrorContext): Promise<Buffer> {
  if (body.length !== undefined && body.length > max) throw entityTooLarge(max, what, context);
  const md5 = createHash("md5");
  const listened = transportSignal(ctx.signal);
  const iterator = body.chunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      throwIfAborted(ctx.signal);
      const step = await nextOrAbort(iterator, listened);
      if (step.done) break;
      const chunk = step.value;
      if (temp.bytesWritten + chunk.byteLength > max) throw entityTooLarge(max, what, context);
      md5.update(chunk);
      await temp.write(chunk);
    }
    throwIfAborted(ctx.signal);
  } catch (err) {
    // A source stalled mid-chunk cannot be stopped through its iterator (return() queues
    // behind the pending next()): cancel it directly so the caller's socket or file is freed.
    if (ctx.signal.aborted) {
      body.cancel();
      iterator.return?.()?.catch(() => undefined);
      throw abortedError(ctx.signal);
    }
    await iterator.return?.()?.catch(() => undefined);
    throw err;
  }
  if (body.length !== undefined && temp.bytesWritten !== body.length) {
    throw invalidArgument(`The ${what} body has ${temp.bytesWritten} bytes, not the ${body.length} declared`, context, "IncompleteBody");
  }
  return md5.digest();
}

/** `iterator.next()`, rejected with `Aborted` as soon as the signal fires, even while the source stalls. */
function nextOrAbort<T>(iterator: AsyncIterator<T>, signal: AbortSignal | undefined): Promise<IteratorResult<T>> {
  const next = iterator.next();
  if (signal === undefined) return next;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      next.catch(() => undefined);
      reject(abortedError(signal));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    next.then(
      (step) => {
        signal.removeEventListener("abort", onAbort);
        resolve(step);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

/** Copies `[start, end)` of an open file into `temp`, feeding `md5`, checking the signal between chunks. */
export async function copyRange(source: FileHandle, start: number, end: number, temp: TempFile, md5: Hash, signal: AbortSignal): Promise<void> {
  const buffer = Buffer.allocUnsafe(Math.min(STREAM_CHUNK_BYTES, Math.max(end - start, 1)));
  for (let offset = start; offset < end; ) {
    throwIfAborted(signal);
    const chunk = buffer.subarray(0, Math.min(buffer.byteLength, end - offset));
    await readFully(source, chunk, offset);
    md5.update(chunk);
    await temp.write(chunk);
    offset += chunk.byteLength;
  }
}

/**
 * A web stream over `[start, end)` of an open record, pulled a chunk at a time; the handle is
 * closed when the stream ends, errors or is cancelled. Reads go through the handle opened
 * before the call resolved, so a reader keeps the version it started with even if the object
 * is overwritten or deleted meanwhile.
 *
 * The call's signal still covers the body: firing it errors the stream with `Aborted` at once.
 */
export function recordStream(handle: FileHandle, start: number, end: number, signal: AbortSignal): ReadableStream<Uint8Array> {
  let offset = start;
  let closed = false;
  const listened = transportSignal(signal);
  let onAbort: (() => void) | undefined;
  const release = async () => {
    if (onAbort !== undefined) listened?.removeEventListener("abort", onAbort);
    if (closed) return;
    closed = true;
    await handle.close().catch(() => undefined);
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (listened === undefined) return;
      onAbort = () => {
        controller.error(abortedError(listened));
        void release();
      };
      listened.addEventListener("abort", onAbort, { once: true });
    },
    async pull(controller) {
      if (offset >= end) {
        await release();
        controller.close();
        return;
      }
      const chunk = Buffer.allocUnsafe(Math.min(STREAM_CHUNK_BYTES, end - offset));
      try {
        await readFully(handle, chunk, offset);
      } catch (err) {
        await release();
        // Errored by an abort meanwhile: the stream already carries `Aborted`.
        if (closed && listened?.aborted) return;
        controller.error(err instanceof StorageError ? err : new StorageError({ code: "Internal", message: "Reading the object from disk failed", cause: err }));
        return;
      }
      if (closed) return;
      offset += chunk.byteLength;
      controller.enqueue(chunk);
    },
    async cancel() {
      await release();
    },
  });
}
