/**
 * Parallel ranged download into one ordered stream. The first GET learns the object's size
 * and ETag; every later range is pinned to that ETag with `ifMatch`, so an object overwritten
 * mid-download ends the stream with `PreconditionFailed` instead of mixing two versions. At most
 * `concurrency` ranges are fetched ahead of the reader, so memory stays near
 * `(concurrency + 1) × partSize` however large the object is.
 */
import { Readable } from "node:stream";
import { isStorageError, StorageError, type GetObjectResult, type MultipartObjectStore, type RetryOptions } from "@stowage/core";
import { invalidOption } from "./errors.js";
import { ProgressTracker, type ProgressListener } from "./progress.js";
import { readBody, readRange, type RangeReader } from "./ranged-read.js";
import { retrying } from "./retry.js";

/** Options of {@link download} and {@link downloadFile}. */
export interface DownloadOptions {
  /** Bytes per ranged GET; default 8 MiB. */
  partSize?: number;
  /** Ranged GETs in flight; default 4. */
  concurrency?: number;
  /** Cancels every GET in flight; the stream (or the call) fails with `Aborted`. */
  signal?: AbortSignal;
  /** Only these bytes (0-based, inclusive; `last` past the end or absent: to the end). */
  range?: {
    /** First byte, 0-based. */
    first: number;
    /** Last byte, inclusive; absent or past the end: to the end. */
    last?: number;
  };
  /** Called as bytes arrive. */
  onProgress?: ProgressListener;
  /** `downloadFile` only: continue the partial file an earlier run left, if the object is unchanged. */
  resume?: boolean;
  /** Retry of each ranged GET; core's `RetryOptions`; default 5 attempts; `false`: none. */
  retry?: RetryOptions | false;
}

/** An object being downloaded. */
export interface DownloadResult {
  /** The bytes, in order (a Node `Readable`); errors with `PreconditionFailed` if the object changes. */
  body: Readable;
  /** Bytes in `body`: the range's length with `range`, else the object's size. */
  size: number;
  /** The object's ETag, quoted; every range is pinned to it. */
  etag: string;
  /** The object's content type. */
  contentType?: string;
  /** The object's user metadata. */
  metadata: Record<string, string>;
  /** The same bytes as a web `ReadableStream` (use either, not both). */
  toWeb(): ReadableStream<Uint8Array>;
}

const MiB = 1024 * 1024;
/** Default range size. */
export const DEFAULT_DOWNLOAD_PART_SIZE = 8 * MiB;
const DEFAULT_CONCURRENCY = 4;

/** Checked download options with defaults applied. */
export interface DownloadPlan {
  partSize: number;
  concurrency: number;
  first: number;
  last: number | undefined;
}

/** Validates download options (`InvalidArgument` before any I/O). */
export function checkDownloadOptions(key: unknown, o: DownloadOptions): DownloadPlan {
  if (typeof key !== "string") throw invalidOption("key must be a string");
  if (typeof o !== "object" || o === null) throw invalidOption("options must be an object");
  const partSize = o.partSize ?? DEFAULT_DOWNLOAD_PART_SIZE;
  const concurrency = o.concurrency ?? DEFAULT_CONCURRENCY;
  if (!(Number.isSafeInteger(partSize) && partSize >= 1)) throw invalidOption("partSize must be a positive integer");
  if (!(Number.isSafeInteger(concurrency) && concurrency >= 1 && concurrency <= 256)) throw invalidOption("concurrency must be an integer from 1 to 256");
  const first = o.range?.first ?? 0;
  const last = o.range?.last;
  if (!(Number.isSafeInteger(first) && first >= 0)) throw invalidOption("range.first must be a non-negative integer");
  if (last !== undefined && !(Number.isSafeInteger(last) && last >= first)) throw invalidOption("range.last must be an integer ≥ range.first");
  return { partSize, concurrency, first, last };
}

/** The first answer of a download: the object's identity and the first range's bytes. */
export interface FirstRange {
  /** The first response (body not yet read). */
  result: GetObjectResult;
  /** Last byte of the whole download (inclusive); `first - 1` when it is empty. */
  end: number;
}

/**
 * Opens the first range. An empty object has no range to ask for (416), so it is then read
 * whole; a store without ranged reads is read whole too.
 */
export async function openFirstRange(
  store: MultipartObjectStore,
  key: string,
  plan: DownloadPlan,
  signal: AbortSignal,
  retry: RetryOptions | false | undefined,
  ifMatch?: string,
): Promise<FirstRange> {
  const conditions = ifMatch === undefined ? {} : { ifMatch };
  if (!store.limits.getObjectWithRange) {
    const result = await retrying(() => store.getObject(key, { ...conditions, signal }), retry, signal);
    return { result, end: result.info.size - 1 };
  }
  const firstLast = plan.first + plan.partSize - 1;
  try {
    const result = await retrying(
      () => store.getObject(key, { ...conditions, range: { first: plan.first, last: plan.last === undefined ? firstLast : Math.min(plan.last, firstLast) }, signal }),
      retry,
      signal,
    );
    const size = result.info.size;
    const end = Math.min(size - 1, plan.last ?? size - 1);
    return { result, end };
  } catch (err) {
    if (isStorageError(err, "InvalidRange") && plan.first === 0 && (err.objectSize === 0 || err.objectSize === undefined)) {
      const result = await retrying(() => store.getObject(key, { ...conditions, signal }), retry, signal);
      if (result.info.size === 0) return { result, end: -1 };
      await result.body.cancel().catch(() => undefined);
    }
    throw err;
  }
}

/**
 * Downloads `key` (or `options.range` of it) with parallel ranged GETs into one ordered stream.
 *
 * @example
 * ```ts
 * const { body, size } = await download(store, "videos/big.mp4", { concurrency: 8 });
 * await pipeline(body, createWriteStream("big.mp4"));
 * ```
 */
export async function download(store: MultipartObjectStore, key: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const plan = checkDownloadOptions(key, options);
  const controller = new AbortController();
  const callerSignal = options.signal;
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) controller.abort(callerSignal.reason);
  callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  const signal = controller.signal;
  const progress = new ProgressTracker(options.onProgress);
  let opened: FirstRange;
  try {
    opened = await openFirstRange(store, key, plan, signal, options.retry);
  } catch (err) {
    callerSignal?.removeEventListener("abort", onCallerAbort);
    throw err;
  }
  const { result, end } = opened;
  const info = result.info;
  const size = Math.max(0, end - plan.first + 1);
  progress.setTotals(size, Math.ceil(size / plan.partSize));
  const reader: RangeReader = { store, key, etag: info.etag, signal, retry: options.retry, progress };

  async function* ordered(): AsyncGenerator<Uint8Array> {
    try {
      if (!store.limits.getObjectWithRange || size === 0) {
        // One whole-object answer: streamed through as it comes.
        for await (const chunk of result.body as unknown as AsyncIterable<Uint8Array>) {
          progress.addBytes(chunk.byteLength);
          yield chunk;
        }
        progress.partDone();
        return;
      }
      const firstBytes = await readBody(result, Math.min(result.contentLength, size), progress);
      progress.partDone();
      yield firstBytes;
      let next = plan.first + firstBytes.byteLength;
      const queue: Array<Promise<Uint8Array>> = [];
      while (queue.length > 0 || next <= end) {
        while (queue.length < plan.concurrency && next <= end) {
          const last = Math.min(end, next + plan.partSize - 1);
          const pending = readRange(reader, next, last);
          // Awaited in order below; this only keeps a failure behind another from being "unhandled".
          pending.catch(() => undefined);
          queue.push(pending);
          next = last + 1;
        }
        const bytes = await queue.shift()!;
        progress.partDone();
        yield bytes;
      }
    } finally {
      // The reader stopped early (or a range failed): stop the other ranges at once.
      if (!signal.aborted) controller.abort(new StorageError({ code: "Aborted", message: "the download stream was closed" }));
      callerSignal?.removeEventListener("abort", onCallerAbort);
    }
  }

  const body = Readable.from(ordered(), { objectMode: false, highWaterMark: 64 * 1024 });
  return {
    body,
    size,
    etag: info.etag,
    ...(info.contentType !== undefined ? { contentType: info.contentType } : {}),
    metadata: info.metadata,
    toWeb: () => Readable.toWeb(body) as unknown as ReadableStream<Uint8Array>,
  };
}
