/**
 * Parallel ranged download into one ordered stream. The first GET learns the object's size
 * and ETag; every later range is pinned to that ETag with `ifMatch`, so an object overwritten
 * mid-download ends the stream with `PreconditionFailed` instead of mixing two versions. At most
 * `concurrency` GETs run and `concurrency + 1` ranges are held, so memory stays near
 * `(concurrency + 1) × partSize` however large the object is. The stream hands on the chunks
 * the transport delivered: no byte is copied between the socket and the reader.
 */
import { Readable } from "node:stream";
import { isStorageError, StorageError, type GetObjectResult, type MultipartObjectStore, type RetryOptions } from "@stowage/core";
import { invalidOption } from "./errors.js";
import { ProgressTracker, type ProgressListener } from "./progress.js";
import { fillRange, RangeFill, type RangeReader } from "./ranged-read.js";
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
  const ranged = store.limits.getObjectWithRange && size > 0;
  // A store without ranged reads (or an empty object) answers whole: that one answer is the stream.
  const firstFill = ranged ? new RangeFill(plan.first, Math.min(end, plan.first + result.contentLength - 1)) : new RangeFill(0, result.contentLength - 1);

  // Ranges in order: the head is being read by the consumer, the others fill meanwhile. At most
  // `concurrency` GETs run and `concurrency + 1` ranges are held, so memory stays near
  // `(concurrency + 1) × partSize` plus the stream's own small buffer.
  const queue: RangeFill[] = [];
  let next = plan.first;
  let wanted = false;
  let pumping = false;
  let failed = false;

  const fail = (err: unknown): void => {
    if (failed) return;
    failed = true;
    body.destroy(err instanceof Error ? err : new StorageError({ code: "Internal", message: "the download failed", cause: err }));
  };
  const startRange = (fill: RangeFill, opened?: GetObjectResult): void => {
    queue.push(fill);
    next = fill.last + 1;
    fill.onChange = onChange;
    fillRange(reader, fill, opened, ranged).catch(fail);
  };
  const fetching = (): number => queue.reduce((n, f) => (f.settled ? n : n + 1), 0);
  const fillAhead = (): void => {
    while (ranged && !failed && next <= end && queue.length <= plan.concurrency && fetching() < plan.concurrency) {
      startRange(new RangeFill(next, Math.min(end, next + plan.partSize - 1)));
    }
  };
  /** Hands the head's chunks to the stream while it wants more; moves on as ranges complete. */
  const pump = (): void => {
    if (pumping) return;
    pumping = true;
    try {
      while (wanted && !failed) {
        fillAhead();
        const head = queue[0];
        if (head === undefined) {
          wanted = false;
          body.push(null);
          return;
        }
        while (wanted && head.chunks.length > 0) wanted = body.push(head.chunks.shift());
        if (head.chunks.length > 0) return;
        if (!head.settled || head.received !== head.length) return;
        queue.shift();
        progress.partDone();
      }
    } finally {
      pumping = false;
    }
  };
  function onChange(): void {
    if (wanted) pump();
    else fillAhead();
  }

  const body: Readable = new Readable({
    // One chunk waits in the stream at a time: the ranges already hold the bytes, and a paused
    // `read()` (what `for await` calls) concatenates — copies — whatever is buffered beyond one chunk.
    highWaterMark: 1,
    read() {
      wanted = true;
      pump();
    },
    destroy(err, callback) {
      // The reader stopped early (or a range failed): stop the other ranges at once.
      if (!signal.aborted) controller.abort(err ?? new StorageError({ code: "Aborted", message: "the download stream was closed" }));
      callerSignal?.removeEventListener("abort", onCallerAbort);
      callback(err);
    },
  });
  startRange(firstFill, result);
  body.once("end", () => callerSignal?.removeEventListener("abort", onCallerAbort));
  return {
    body,
    size,
    etag: info.etag,
    ...(info.contentType !== undefined ? { contentType: info.contentType } : {}),
    metadata: info.metadata,
    toWeb: () => Readable.toWeb(body) as unknown as ReadableStream<Uint8Array>,
  };
}
