/**
 * Server-side copy of any size: one `copyObject` up to a threshold, above it a multipart
 * upload of parallel `uploadPartCopy` ranges, each pinned with the copy-source `ifMatch` to
 * the source ETag read at the start. No body byte passes through the client.
 */
import { isStorageError, type CompletedPart, type CopySource, type MultipartObjectStore, type RetryOptions } from "@stowage/core";
import { invalidOption } from "./errors.js";
import { completeUpload, failTransfer } from "./multipart-session.js";
import { planParts } from "./part-size.js";
import { ProgressTracker, type ProgressListener } from "./progress.js";
import { retrying } from "./retry.js";

/** Options of {@link copy}. */
export interface CopyOptions {
  /** The source's bucket, when not the store's own (needs `limits.copyAcrossBuckets`). */
  sourceBucket?: string;
  /**
   * The source's size, required with `sourceBucket` for a multipart copy (the store can only
   * read its own bucket's object info). Without it a copy from another bucket is one `copyObject`.
   */
  sourceSize?: number;
  /** Bytes per copied part; default as for uploads (see `planParts`). */
  partSize?: number;
  /** Parts copied at once; default 4. */
  concurrency?: number;
  /** Largest source copied with one `copyObject`; default (and at most) `limits.copyObjectMaxSourceBytes`. */
  multipartThreshold?: number;
  /** Cancels the copy; a multipart copy's upload is then aborted. */
  signal?: AbortSignal;
  /** The copy's content type; giving it or `metadata` replaces both, as `copyObject` does. */
  contentType?: string;
  /** The copy's metadata; giving it or `contentType` replaces both, as `copyObject` does. */
  metadata?: Record<string, string>;
  /** Called as parts finish (bytes copied server-side). */
  onProgress?: ProgressListener;
  /** Retry of each call; core's `RetryOptions`; default 5 attempts; `false`: none. */
  retry?: RetryOptions | false;
}

/** What a finished copy resolves. */
export interface CopyResult {
  /** The copy's ETag, quoted. */
  etag: string;
  /** Bytes copied. */
  size: number;
  /** 1 for a single `copyObject`, else the part count. */
  parts: number;
}

/**
 * Copies `sourceKey` to `destinationKey` server-side, whatever the size.
 *
 * @example
 * ```ts
 * await copy(store, "videos/raw.mp4", "archive/raw.mp4", { multipartThreshold: 64 * 1024 * 1024 });
 * ```
 */
export async function copy(store: MultipartObjectStore, sourceKey: string, destinationKey: string, options: CopyOptions = {}): Promise<CopyResult> {
  if (typeof sourceKey !== "string" || typeof destinationKey !== "string") throw invalidOption("sourceKey and destinationKey must be strings");
  if (typeof options !== "object" || options === null) throw invalidOption("options must be an object");
  const concurrency = options.concurrency ?? 4;
  if (!(Number.isSafeInteger(concurrency) && concurrency >= 1 && concurrency <= 256)) throw invalidOption("concurrency must be an integer from 1 to 256");
  const limits = store.limits;
  const threshold = Math.min(options.multipartThreshold ?? limits.copyObjectMaxSourceBytes, limits.copyObjectMaxSourceBytes);
  if (!(Number.isSafeInteger(threshold) && threshold >= 0)) throw invalidOption("multipartThreshold must be a non-negative integer");
  const source: CopySource = options.sourceBucket === undefined ? { key: sourceKey } : { key: sourceKey, bucket: options.sourceBucket };
  const replace = options.contentType !== undefined || options.metadata !== undefined;
  const given = { ...(options.contentType !== undefined ? { contentType: options.contentType } : {}), ...(options.metadata ? { metadata: options.metadata } : {}) };

  const controller = new AbortController();
  const callerSignal = options.signal;
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) controller.abort(callerSignal.reason);
  callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  const signal = controller.signal;
  const retry = options.retry;
  let uploadId: string | undefined;
  try {
    const info = options.sourceBucket === undefined ? await retrying(() => store.headObject(sourceKey, { signal }), retry, signal) : undefined;
    const size = info?.size ?? options.sourceSize;
    const progress = new ProgressTracker(options.onProgress, size);
    const pin = info && limits.copyWithConditions ? { ifMatch: info.etag } : {};
    if (size === undefined || size <= threshold || !limits.uploadPartCopy) {
      const copied = await retrying(() => store.copyObject(destinationKey, { source, ...given, ...pin, signal }), retry, signal);
      if (size !== undefined) progress.addBytes(size);
      progress.partDone();
      return { etag: copied.etag, size: size ?? (await store.headObject(destinationKey, { signal })).size, parts: 1 };
    }
    const plan = planParts(limits, size, options.partSize);
    progress.setTotals(size, plan.partCount);
    // As copyObject: the copy keeps the source's attributes unless either is given.
    const attributes = replace ? given : { ...(info?.contentType !== undefined ? { contentType: info.contentType } : {}), metadata: info?.metadata ?? {} };
    uploadId = (await retrying(() => store.createMultipartUpload(destinationKey, { ...attributes, signal }), retry, signal)).uploadId;
    const id = uploadId;
    const parts: CompletedPart[] = [];
    let next = 0;
    const count = plan.partCount!;
    const worker = async (): Promise<void> => {
      while (next < count && !signal.aborted) {
        const index = next++;
        const first = plan.offsetOf(index);
        const last = first + plan.sizeOf(index) - 1;
        const part = await retrying(
          () => store.uploadPartCopy(destinationKey, id, plan.firstPartNumber + index, { source, range: { first, last }, ...pin, signal }),
          retry,
          signal,
        );
        parts[index] = { partNumber: part.partNumber, etag: part.etag };
        progress.addBytes(last - first + 1);
        progress.partDone();
      }
    };
    const settled = await Promise.allSettled(
      Array.from({ length: Math.min(concurrency, count) }, () =>
        worker().catch((err: unknown) => {
          if (!signal.aborted) controller.abort(err);
          throw err;
        }),
      ),
    );
    const reasons = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as unknown] : []));
    if (reasons.length > 0) throw reasons.find((r) => !isStorageError(r, "Aborted")) ?? reasons[0];
    const etag = await completeUpload(store, destinationKey, id, parts, size, retry, signal);
    return { etag, size, parts: count };
  } catch (err) {
    if (!signal.aborted) controller.abort(err);
    throw await failTransfer(err, { store, key: destinationKey, uploadId, retry });
  } finally {
    callerSignal?.removeEventListener("abort", onCallerAbort);
  }
}
