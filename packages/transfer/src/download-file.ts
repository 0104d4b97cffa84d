/**
 * Download to a file by position, resumable. Ranges are written where they belong in
 * `<path>.stowage-download`; a sidecar `<path>.stowage-download.json` records the object's
 * ETag and the ranges already on disk (each fsynced before it is recorded, the record replaced
 * by write-temp/fsync/rename), so a killed download resumes with `resume: true` if the object
 * is unchanged. At the end the file is fsynced and renamed onto `path`, and the directory fsynced.
 */
import { open, readFile, rename, rm, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { isStorageError, StorageError, type MultipartObjectStore } from "@stowage/core";
import { checkDownloadOptions, openFirstRange, type DownloadOptions } from "./download.js";
import { invalidOption } from "./errors.js";
import { ProgressTracker } from "./progress.js";
import { readRange, type RangeReader } from "./ranged-read.js";

/** What {@link downloadFile} resolves. */
export interface DownloadFileResult {
  /** Bytes written to the file. */
  size: number;
  /** The ETag of the object they came from, quoted. */
  etag: string;
}

/** The sidecar's content. */
interface DownloadState {
  version: 1;
  etag: string;
  first: number;
  end: number;
  partSize: number;
  /** Start offsets of the ranges already written and fsynced. */
  done: number[];
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await open(temp, "w");
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

async function readState(path: string): Promise<DownloadState | undefined> {
  try {
    const state = JSON.parse(await readFile(path, "utf8")) as DownloadState;
    return state.version === 1 && Array.isArray(state.done) && typeof state.etag === "string" ? state : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Downloads `key` (or `options.range` of it) to `path` with parallel ranged GETs written by
 * position. With `resume: true`, a partial download of the same object left by an earlier run
 * is continued; if the object changed since, the download starts over.
 *
 * @example
 * ```ts
 * await downloadFile(store, "backups/db.tar", "/var/tmp/db.tar", { resume: true, onProgress: console.log });
 * ```
 */
export async function downloadFile(store: MultipartObjectStore, key: string, path: string, options: DownloadOptions = {}): Promise<DownloadFileResult> {
  const plan = checkDownloadOptions(key, options);
  if (typeof path !== "string" || path === "") throw invalidOption("path must be a non-empty string");
  const partPath = `${path}.stowage-download`;
  const statePath = `${partPath}.json`;
  const controller = new AbortController();
  const callerSignal = options.signal;
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) controller.abort(callerSignal.reason);
  callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  const signal = controller.signal;
  const progress = new ProgressTracker(options.onProgress);
  let handle: FileHandle | undefined;
  try {
    let state = options.resume ? await readState(statePath) : undefined;
    let opened;
    try {
      opened = await openFirstRange(store, key, plan, signal, options.retry, state?.etag);
    } catch (err) {
      if (!(state && isStorageError(err, "PreconditionFailed"))) throw err;
      // The object changed since the partial download: its bytes are useless, start over.
      state = undefined;
      opened = await openFirstRange(store, key, plan, signal, options.retry);
    }
    const { result, end } = opened;
    const etag = result.info.etag;
    const size = Math.max(0, end - plan.first + 1);
    if (state && (state.first !== plan.first || state.end !== end || state.partSize !== plan.partSize)) state = undefined;
    handle = await open(partPath, state ? "r+" : "w");
    const current: DownloadState = state ?? { version: 1, etag, first: plan.first, end, partSize: plan.partSize, done: [] };
    const done = new Set(current.done);
    progress.setTotals(size, Math.ceil(size / plan.partSize));
    for (const offset of done) {
      progress.addBytes(Math.min(end, offset + plan.partSize - 1) - offset + 1);
      progress.partDone();
    }
    const file = handle;
    let recording = Promise.resolve();
    const record = (offset: number): Promise<void> => {
      // Serialized: each sidecar write must see every range recorded before it.
      recording = recording.then(async () => {
        await file.sync();
        done.add(offset);
        current.done = [...done].sort((a, b) => a - b);
        await writeAtomically(statePath, JSON.stringify(current));
      });
      return recording;
    };
    const write = async (offset: number, chunks: Uint8Array[]): Promise<void> => {
      // The chunks as received, gathered into one positional write (no copy into a range buffer).
      let at = offset - plan.first;
      let pending = chunks;
      while (pending.length > 0) {
        const { bytesWritten } = await file.writev(pending, at);
        at += bytesWritten;
        pending = afterBytes(pending, bytesWritten);
      }
      progress.partDone();
      await record(offset);
    };

    const reader: RangeReader = { store, key, etag, signal, retry: options.retry, progress };
    if (!store.limits.getObjectWithRange || size === 0) {
      const chunks = await readRange(reader, plan.first, plan.first + size - 1, result, false);
      if (size > 0) await write(plan.first, chunks);
    } else if (done.has(plan.first)) {
      await result.body.cancel().catch(() => undefined);
    } else {
      await write(plan.first, await readRange(reader, plan.first, plan.first + Math.min(result.contentLength, size) - 1, result));
    }
    const offsets: number[] = [];
    for (let offset = plan.first + plan.partSize; offset <= end && store.limits.getObjectWithRange; offset += plan.partSize) {
      if (!done.has(offset)) offsets.push(offset);
    }
    let nextIndex = 0;
    const worker = async (): Promise<void> => {
      while (nextIndex < offsets.length && !signal.aborted) {
        const offset = offsets[nextIndex++]!;
        await write(offset, await readRange(reader, offset, Math.min(end, offset + plan.partSize - 1)));
      }
    };
    const workers = Array.from({ length: Math.min(plan.concurrency, offsets.length) }, () =>
      worker().catch((err: unknown) => {
        if (!signal.aborted) controller.abort(err);
        throw err;
      }),
    );
    const settled = await Promise.allSettled(workers);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw callerSignal?.aborted ? new StorageError({ code: "Aborted", message: "The operation was aborted", cause: callerSignal.reason }) : firstReal(settled);
    await recording;
    await file.sync();
    await file.close();
    handle = undefined;
    await rename(partPath, path);
    await fsyncDir(dirname(path));
    await rm(statePath, { force: true });
    return { size, etag };
  } finally {
    callerSignal?.removeEventListener("abort", onCallerAbort);
    await handle?.close().catch(() => undefined);
  }
}

/** `chunks` without their first `n` bytes (what a short `writev` left to write). */
function afterBytes(chunks: Uint8Array[], n: number): Uint8Array[] {
  let skip = n;
  let i = 0;
  while (i < chunks.length && skip >= chunks[i]!.byteLength) skip -= chunks[i++]!.byteLength;
  const rest = chunks.slice(i);
  if (skip > 0 && rest.length > 0) rest[0] = rest[0]!.subarray(skip);
  return rest;
}

/** The first failure that is not merely the abort it caused in the other workers. */
function firstReal(settled: PromiseSettledResult<void>[]): unknown {
  const reasons = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as unknown] : []));
  return reasons.find((r) => !isStorageError(r, "Aborted")) ?? reasons[0];
}

