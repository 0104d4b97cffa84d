/**
 * One copy between two addresses, whatever they are: a local file or standard input/output,
 * an object (through @stowage/transfer: multipart upload, parallel ranged download, and
 * server-side copy within one store), or a key-value entry (a whole value).
 */
import { once } from "node:events";
import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { StorageError, type KeyValueStore } from "@stowage/core";
import { copy, download, downloadFile, upload, uploadFile, type ResumeToken, type TransferProgress } from "@stowage/transfer";
import { describeAddress, type Address } from "./address.js";
import { UsageError } from "./exit-codes.js";
import { writeFileAtomically } from "./local-files.js";

/** The `cp` / `mv` options that shape one transfer. */
export interface TransferOptions {
  /** `--part-size`. */
  partSize?: number;
  /** `--concurrency`: parts in flight per transfer. */
  concurrency?: number;
  /** `--content-type` of the written object. */
  contentType?: string;
  /** `--metadata name=value` of the written object. */
  metadata?: Record<string, string>;
  /** `--ttl` of a written key-value entry, in seconds. */
  ttlSeconds?: number;
  /** `--keep-partial`: leave an interrupted multipart upload for `--resume`. */
  keepPartial?: boolean;
  /** `--resume TOKEN` of an upload. */
  resumeToken?: ResumeToken;
  /** `--resume` of a download to a file. */
  resumeDownload?: boolean;
}

/** What one transfer moved. */
export interface TransferOutcome {
  /** Bytes written to the destination. */
  size: number;
  /** The destination object's ETag, when the destination is an object. */
  etag?: string;
  /** How it was done: `upload`, `download`, `server-side copy`, `stream`, `value`. */
  method: string;
}

/** Runs one copy from `source` to `destination`. */
export async function transferOne(
  source: Address,
  destination: Address,
  options: TransferOptions,
  signal: AbortSignal,
  io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream },
  onProgress: (p: TransferProgress) => void,
): Promise<TransferOutcome> {
  if (source.type !== "store" && destination.type !== "store") {
    throw new UsageError(`${describeAddress(source)} → ${describeAddress(destination)}: one side must be <store>:<key>; use cp(1) for local files`);
  }
  const uploadOptions = {
    signal,
    onProgress,
    ...pick(options, ["partSize", "concurrency", "contentType", "metadata"]),
    ...(options.keepPartial ? { leaveUploadOnError: true } : {}),
    ...(options.resumeToken ? { resume: options.resumeToken } : {}),
  };
  const downloadOptions = { signal, onProgress, ...pick(options, ["partSize", "concurrency"]) };

  // Into an object store.
  if (destination.type === "store" && destination.ref.type === "objects") {
    const store = destination.ref.store;
    const key = destination.key;
    if (source.type === "local") {
      const r = await uploadFile(store, key, source.path, uploadOptions);
      return { size: r.size, etag: r.etag, method: r.parts > 1 ? "multipart upload" : "upload" };
    }
    if (source.type === "stdio") {
      const r = await upload(store, key, toReadable(io.stdin), uploadOptions);
      return { size: r.size, etag: r.etag, method: r.parts > 1 ? "multipart upload" : "upload" };
    }
    if (source.ref.type === "objects" && source.ref.name === destination.ref.name) {
      const r = await copy(store, source.key, key, { signal, onProgress, ...pick(options, ["partSize", "concurrency", "contentType", "metadata"]) });
      return { size: r.size, etag: r.etag, method: "server-side copy" };
    }
    if (source.ref.type === "objects") {
      const d = await download(source.ref.store, source.key, { signal, ...pick(options, ["partSize", "concurrency"]) });
      const r = await upload(store, key, d.body, {
        ...uploadOptions,
        contentLength: d.size,
        ...(options.contentType === undefined && d.contentType !== undefined ? { contentType: d.contentType } : {}),
        ...(options.metadata === undefined ? { metadata: d.metadata } : {}),
      });
      return { size: r.size, etag: r.etag, method: "stream" };
    }
    const value = await getValue(source.ref.store, source.key, source.ref.name, signal);
    const r = await upload(store, key, value, uploadOptions);
    onProgress({ bytesDone: r.size, totalBytes: r.size, partsDone: r.parts });
    return { size: r.size, etag: r.etag, method: "value" };
  }

  // Into a key-value namespace: a whole value.
  if (destination.type === "store" && destination.ref.type === "kv") {
    let value: Uint8Array;
    if (source.type === "local") value = await readFile(source.path);
    else if (source.type === "stdio") value = await readAll(toReadable(io.stdin), signal);
    else if (source.ref.type === "kv") value = await getValue(source.ref.store, source.key, source.ref.name, signal);
    else value = await readAll((await download(source.ref.store, source.key, downloadOptions)).body, signal);
    await destination.ref.store.put(destination.key, value, { signal, ...(options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds }) });
    onProgress({ bytesDone: value.byteLength, totalBytes: value.byteLength, partsDone: 1 });
    return { size: value.byteLength, method: "value" };
  }

  // Out of a store to a file or standard output.
  if (source.type !== "store") throw new UsageError("one side must be <store>:<key>");
  if (source.ref.type === "objects") {
    if (destination.type === "local") {
      await mkdir(dirname(destination.path), { recursive: true });
      const r = await downloadFile(source.ref.store, source.key, destination.path, { ...downloadOptions, ...(options.resumeDownload ? { resume: true } : {}) });
      return { size: r.size, etag: r.etag, method: "download" };
    }
    const d = await download(source.ref.store, source.key, downloadOptions);
    await pipeTo(d.body, io.stdout, signal);
    return { size: d.size, etag: d.etag, method: "download" };
  }
  const value = await getValue(source.ref.store, source.key, source.ref.name, signal);
  if (destination.type === "local") {
    await mkdir(dirname(destination.path), { recursive: true });
    await writeFileAtomically(destination.path, value);
  } else {
    await writeChunk(io.stdout, value);
  }
  onProgress({ bytesDone: value.byteLength, totalBytes: value.byteLength, partsDone: 1 });
  return { size: value.byteLength, method: "value" };
}

/** A key-value entry's bytes; a missing key is `NotFound`, as for an object. */
export async function getValue(store: KeyValueStore, key: string, storeName: string, signal: AbortSignal): Promise<Uint8Array> {
  const value = await store.get(key, { signal });
  if (value === undefined) throw new StorageError({ code: "NotFound", message: `${storeName}:${key} does not exist`, operation: "get", key });
  return value;
}

/** Writes `body` to `out` with backpressure, stopping when `signal` fires. */
export async function pipeTo(body: Readable, out: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
  for await (const chunk of body) {
    if (signal.aborted) {
      body.destroy();
      throw new StorageError({ code: "Aborted", message: "interrupted" });
    }
    await writeChunk(out, chunk as Uint8Array);
  }
}

async function writeChunk(out: NodeJS.WritableStream, chunk: Uint8Array): Promise<void> {
  if (!out.write(chunk)) await once(out as unknown as NodeJS.EventEmitter, "drain");
}

async function readAll(body: Readable, signal: AbortSignal): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) {
    if (signal.aborted) throw new StorageError({ code: "Aborted", message: "interrupted" });
    chunks.push(chunk as Uint8Array);
  }
  return Buffer.concat(chunks);
}

function toReadable(stream: NodeJS.ReadableStream): Readable {
  return stream instanceof Readable ? stream : Readable.from(stream as AsyncIterable<Uint8Array>);
}

function pick<T extends object, K extends keyof T>(from: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
  return out;
}
