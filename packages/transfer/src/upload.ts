/**
 * Managed upload: one `putObject` for a body that fits in one part, else a multipart upload
 * with `concurrency` parts in flight, memory bounded by a pool of `concurrency + 1` part
 * buffers, per-part retry from the buffer, byte counts checked before Complete, and the upload
 * aborted (or kept for resuming) on every failure path.
 */
import {
  isStorageError,
  StorageError,
  type BodyInput,
  type CompletedPart,
  type MultipartObjectStore,
  type PartInfo,
  type RetryOptions,
} from "@stowage/core";
import { BufferPool, type PoolToken } from "./buffer-pool.js";
import { invalidOption } from "./errors.js";
import { byteCountMismatch, completeUpload, failTransfer, listAllParts, md5Etag } from "./multipart-session.js";
import { planParts } from "./part-size.js";
import { ProgressTracker, type ProgressListener } from "./progress.js";
import { checkResumeToken, type ResumeToken } from "./resume-token.js";
import { retrying } from "./retry.js";
import { fileSource, sourceOfBody, type UploadSource } from "./upload-source.js";

/** Options of {@link upload} and {@link uploadFile}. */
export interface UploadOptions {
  /** Bytes per part (all but the last); within the store's `multipartMinPartBytes..multipartMaxPartBytes`. Default: see `planParts`. */
  partSize?: number;
  /** Parts uploaded at once; default 4. Memory held is about `(concurrency + 1) × partSize`. */
  concurrency?: number;
  /** Cancels the upload: reaches every part in flight at once; the upload is then aborted (or kept). */
  signal?: AbortSignal;
  /** The object's content type. */
  contentType?: string;
  /** The object's user metadata. */
  metadata?: Record<string, string>;
  /** Declared length of a stream body: sizes the parts, and a body of another length fails before Complete. */
  contentLength?: number;
  /** On failure keep the multipart upload and attach a {@link ResumeToken} to the error instead of aborting it. */
  leaveUploadOnError?: boolean;
  /** Continue the upload this token describes (needs a seekable source: bytes, a string or a file). */
  resume?: ResumeToken;
  /** Retry of each part, of Create and of Complete; core's `RetryOptions`; default 5 attempts; `false`: none. */
  retry?: RetryOptions | false;
  /** Called as bytes are handed to the store, and once more at the end with the totals. */
  onProgress?: ProgressListener;
}

/** What a finished upload resolves. */
export interface UploadResult {
  /** The object's key. */
  key: string;
  /** The object's ETag, quoted. */
  etag: string;
  /** Bytes uploaded. */
  size: number;
  /** Parts (1 for the single-`putObject` path). */
  parts: number;
  /** The multipart upload's id, when one was used. */
  uploadId?: string;
}

const DEFAULT_CONCURRENCY = 4;
/** Slice size in which a part is handed to the store, which makes progress byte-granular. */
const PROGRESS_SLICE = 256 * 1024;

/**
 * Uploads `body` (bytes, a string, a Node `Readable`, a web `ReadableStream` or an async
 * iterable of `Uint8Array`) to `key`.
 *
 * @example
 * ```ts
 * const result = await upload(store, "videos/big.mp4", createReadStream("big.mp4"), {
 *   onProgress: (p) => console.log(`${p.bytesDone} bytes`),
 * });
 * ```
 */
export async function upload(store: MultipartObjectStore, key: string, body: BodyInput, options: UploadOptions = {}): Promise<UploadResult> {
  checkUploadOptions(key, options);
  return runUpload(store, key, sourceOfBody(body, options.contentLength), options);
}

/**
 * Uploads the file at `path`, reading parts by position (in parallel, no single stream), so a
 * failed part is re-read rather than kept and a kept upload can be resumed.
 */
export async function uploadFile(store: MultipartObjectStore, key: string, path: string, options: UploadOptions = {}): Promise<UploadResult> {
  checkUploadOptions(key, options);
  if (typeof path !== "string" || path === "") throw invalidOption("path must be a non-empty string");
  if (options.contentLength !== undefined) throw invalidOption("contentLength is not accepted by uploadFile: the file's size is used");
  return runUpload(store, key, await fileSource(path), options);
}

function checkUploadOptions(key: unknown, o: UploadOptions): void {
  if (typeof key !== "string") throw invalidOption("key must be a string");
  if (typeof o !== "object" || o === null) throw invalidOption("options must be an object");
  if (o.concurrency !== undefined && !(Number.isSafeInteger(o.concurrency) && o.concurrency >= 1 && o.concurrency <= 256)) {
    throw invalidOption("concurrency must be an integer from 1 to 256");
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") throw invalidOption("onProgress must be a function");
}

async function planOrClose<T>(source: UploadSource, plan: () => T): Promise<T> {
  try {
    return plan();
  } catch (err) {
    await source.close();
    throw err;
  }
}

async function* slices(bytes: Uint8Array, onSlice: (n: number) => void): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += PROGRESS_SLICE) {
    const slice = bytes.subarray(at, Math.min(bytes.byteLength, at + PROGRESS_SLICE));
    onSlice(slice.byteLength);
    yield slice;
  }
}

async function runUpload(store: MultipartObjectStore, key: string, source: UploadSource, options: UploadOptions): Promise<UploadResult> {
  const callerSignal = options.signal;
  // Our own controller reaches every call in flight: the caller's abort, or the first part that fails for good.
  const controller = new AbortController();
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) controller.abort(callerSignal.reason);
  callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  const signal = controller.signal;
  const retry = options.retry;
  const limits = store.limits;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;

  let resume: ResumeToken | undefined;
  if (options.resume !== undefined) {
    resume = checkResumeToken(options.resume, key);
    if (!source.seekable || source.length === undefined) {
      await source.close();
      throw invalidOption("resume needs a seekable source (bytes, a string or uploadFile): the parts already uploaded must be re-read to be checked, and a stream cannot be re-read");
    }
    if (resume.totalBytes !== undefined && resume.totalBytes !== source.length) {
      await source.close();
      throw invalidOption(`resume: the token is for ${resume.totalBytes} bytes, the source has ${source.length}`);
    }
  }
  const plan = await planOrClose(source, () => planParts(limits, source.length, resume?.partSize ?? options.partSize));
  const progress = new ProgressTracker(options.onProgress, source.length, plan.partCount);
  const pool = new BufferPool(concurrency + 1);
  const attributes = { ...(options.contentType !== undefined ? { contentType: options.contentType } : {}), ...(options.metadata ? { metadata: options.metadata } : {}) };

  let uploadId: string | undefined = resume?.uploadId;
  const done: Array<{ part: CompletedPart; size: number } | undefined> = [];
  const inFlight = new Set<Promise<void>>();
  let failure: { err: unknown } | undefined;
  const fail = (err: unknown): void => {
    if (failure) return;
    failure = { err };
    controller.abort(err);
  };

  const sendPart = async (index: number, bytes: Uint8Array): Promise<CompletedPart> => {
    const partNumber = plan.firstPartNumber + index;
    return retrying(
      async () => {
        let sent = 0;
        try {
          return await store.uploadPart(
            key,
            uploadId!,
            partNumber,
            slices(bytes, (n) => {
              sent += n;
              progress.addBytes(n);
            }),
            { contentLength: bytes.byteLength, signal },
          );
        } catch (err) {
          progress.addBytes(-sent);
          throw err;
        }
      },
      retry,
      signal,
    );
  };

  try {
    let index = 0;
    let token: PoolToken = await pool.acquire(signal);
    let bytes = await source.read(plan.offsetOf(0), plan.sizeOf(0), token);
    const oneShot = resume === undefined && (await source.atEnd(bytes.byteLength)) && bytes.byteLength <= limits.putObjectMaxBytes;
    if (oneShot) {
      if (source.length !== undefined && bytes.byteLength !== source.length) throw byteCountMismatch(key, bytes.byteLength, source.length);
      const put = await retrying(
        async () => {
          let sent = 0;
          try {
            return await store.putObject(
              key,
              slices(bytes, (n) => {
                sent += n;
                progress.addBytes(n);
              }),
              { ...attributes, contentLength: bytes.byteLength, signal },
            );
          } catch (err) {
            progress.addBytes(-sent);
            throw err;
          }
        },
        retry,
        signal,
      );
      token.release();
      progress.setTotals(bytes.byteLength, 1);
      progress.partDone();
      return { key, etag: put.etag, size: bytes.byteLength, parts: 1 };
    }

    let existing = new Map<number, PartInfo>();
    if (uploadId === undefined) {
      uploadId = (await retrying(() => store.createMultipartUpload(key, { ...attributes, signal }), retry, signal)).uploadId;
    } else {
      existing = new Map((await listAllParts(store, key, uploadId, signal)).map((p) => [p.partNumber, p]));
    }

    for (;;) {
      if (index >= plan.maxParts) throw new StorageError({ code: "EntityTooLarge", key, message: `the body needs more than the store's ${plan.maxParts} parts` });
      const partIndex = index;
      const partBytes = bytes;
      const partToken = token;
      const listed = existing.get(plan.firstPartNumber + partIndex);
      if (listed && listed.size === partBytes.byteLength && listed.etag.replace(/"/g, "") === md5Etag(partBytes).replace(/"/g, "")) {
        // Resumed: this part is already there with these very bytes.
        done[partIndex] = { part: { partNumber: listed.partNumber, etag: listed.etag }, size: partBytes.byteLength };
        progress.addBytes(partBytes.byteLength);
        progress.partDone();
        partToken.release();
      } else {
        // `concurrency` parts upload at once; the pool's extra buffer is the part read ahead meanwhile.
        while (inFlight.size >= concurrency && !failure) await Promise.race(inFlight);
        if (failure) {
          partToken.release();
          break;
        }
        const task: Promise<void> = sendPart(partIndex, partBytes)
          .then(
            (part) => {
              done[partIndex] = { part: { partNumber: part.partNumber, etag: part.etag }, size: partBytes.byteLength };
              progress.partDone();
            },
            fail,
          )
          .finally(() => {
            partToken.release();
            inFlight.delete(task);
          });
        inFlight.add(task);
      }
      index++;
      const offset = plan.offsetOf(index);
      if (failure || (await source.atEnd(offset))) break;
      if (plan.partCount !== undefined && index >= plan.partCount) break;
      token = await pool.acquire(signal);
      bytes = await source.read(offset, plan.sizeOf(index), token);
      if (bytes.byteLength === 0) {
        token.release();
        break;
      }
    }
    await Promise.allSettled([...inFlight]);
    if (failure) throw failure.err;

    const parts: CompletedPart[] = [];
    let size = 0;
    for (let i = 0; i < index; i++) {
      const d = done[i];
      if (!d) throw new StorageError({ code: "Internal", key, message: `part ${plan.firstPartNumber + i} has no result` });
      // Every part but the last must be full: a short read mid-stream would otherwise become a hole.
      if (i < index - 1 && d.size !== plan.sizeOf(i)) throw byteCountMismatch(key, d.size, plan.sizeOf(i));
      parts.push(d.part);
      size += d.size;
    }
    if (source.length !== undefined && size !== source.length) throw byteCountMismatch(key, size, source.length);
    progress.setTotals(size, parts.length);
    const etag = await completeUpload(store, key, uploadId, parts, size, retry, signal);
    progress.report();
    return { key, etag, size, parts: parts.length, uploadId };
  } catch (err) {
    // A failing source or Create must still stop the parts already in flight (whose own
    // failures are then mere Aborted echoes: `fail` keeps the first cause).
    fail(err);
    await Promise.allSettled([...inFlight]);
    const reason = failure!.err;
    const cause = callerSignal?.aborted && !isStorageError(reason, "Aborted") ? new StorageError({ code: "Aborted", message: "The operation was aborted", cause: callerSignal.reason }) : reason;
    const keepToken = (): ResumeToken => ({
      version: 1,
      key,
      uploadId: uploadId!,
      partSize: plan.fixedPartSize ?? plan.sizeOf(0),
      ...(source.length !== undefined ? { totalBytes: source.length } : {}),
      parts: done.flatMap((d) => (d ? [{ partNumber: d.part.partNumber, size: d.size, etag: d.part.etag }] : [])),
    });
    throw await failTransfer(cause, { store, key, uploadId, retry, ...(options.leaveUploadOnError ? { keep: keepToken } : {}) });
  } finally {
    callerSignal?.removeEventListener("abort", onCallerAbort);
    await source.close();
  }
}
