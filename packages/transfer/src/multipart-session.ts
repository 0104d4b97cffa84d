/**
 * The calls around an open multipart upload that upload and copy share: creating it, completing
 * it safely under faults, listing its parts, and cleaning it up on every failure path.
 */
import { createHash } from "node:crypto";
import {
  isStorageError,
  StorageError,
  type CompletedPart,
  type MultipartObjectStore,
  type PartInfo,
  type RetryOptions,
} from "@stowage/core";
import { TransferError } from "./errors.js";
import type { ResumeToken } from "./resume-token.js";
import { retrying } from "./retry.js";

/** The ETag an S3-family store gives a completed upload: md5 of the binary part MD5s, `-N`; undefined when a part ETag is not an MD5. */
export function expectedMultipartEtag(parts: readonly CompletedPart[]): string | undefined {
  const digests: Buffer[] = [];
  for (const p of parts) {
    const hex = p.etag.replace(/"/g, "");
    if (!/^[0-9a-f]{32}$/i.test(hex)) return undefined;
    digests.push(Buffer.from(hex, "hex"));
  }
  return `${createHash("md5").update(Buffer.concat(digests)).digest("hex")}-${parts.length}`;
}

/** The quoted MD5 of `bytes`, as S3-family stores give a part's ETag. */
export function md5Etag(bytes: Uint8Array): string {
  return `"${createHash("md5").update(bytes).digest("hex")}"`;
}

/**
 * Completes the upload, repeating it after a retryable failure. A repeat that finds the upload
 * gone (`UploadNotFound`) means an earlier attempt took effect and only its answer was lost;
 * that is accepted only when the object now at `key` has the expected size and, where it can
 * be computed, the expected ETag, so another writer's object is never mistaken for ours.
 */
export async function completeUpload(
  store: MultipartObjectStore,
  key: string,
  uploadId: string,
  parts: CompletedPart[],
  size: number,
  retry: RetryOptions | false | undefined,
  signal: AbortSignal,
): Promise<string> {
  let attempted = false;
  return retrying(
    async () => {
      try {
        const done = await store.completeMultipartUpload(key, uploadId, parts, { signal });
        return done.etag;
      } catch (err) {
        if (attempted && isStorageError(err, "UploadNotFound")) {
          const info = await store.headObject(key, { signal });
          const expected = expectedMultipartEtag(parts);
          if (info.size === size && (expected === undefined || info.etag.replace(/"/g, "") === expected)) return info.etag;
        }
        throw err;
      } finally {
        attempted = true;
      }
    },
    retry,
    signal,
  );
}

/** Every part of an upload, following the listing's cursors. */
export async function listAllParts(store: MultipartObjectStore, key: string, uploadId: string, signal: AbortSignal): Promise<PartInfo[]> {
  const parts: PartInfo[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100_000; pages++) {
    const page = await store.listParts(key, uploadId, cursor === undefined ? { signal } : { signal, cursor });
    parts.push(...page.parts);
    cursor = page.cursor;
    if (cursor === undefined) break;
  }
  return parts;
}

/** What to do with a failed transfer's multipart upload. */
export interface FailureCleanup {
  /** The store holding the upload. */
  store: MultipartObjectStore;
  /** Its key. */
  key: string;
  /** The upload, if one was created. */
  uploadId: string | undefined;
  /** Keep it and attach this token (a function, so it is built only when needed). */
  keep?: () => ResumeToken;
  /** Retry policy for the abort call. */
  retry: RetryOptions | false | undefined;
}

/**
 * Builds the error for a failed transfer, aborting its upload first unless it is kept. The
 * abort runs under a fresh signal: the caller's may be the very reason we are here. If the
 * abort fails too, the error says so and names the upload id so it can be cleaned up later.
 */
export async function failTransfer(cause: unknown, c: FailureCleanup): Promise<TransferError> {
  if (c.uploadId === undefined) return new TransferError({ cause, key: c.key });
  if (c.keep) return new TransferError({ cause, key: c.key, uploadId: c.uploadId, resumeToken: c.keep() });
  try {
    await retrying(() => c.store.abortMultipartUpload(c.key, c.uploadId!, { signal: new AbortController().signal }), c.retry, new AbortController().signal);
  } catch (abortErr) {
    if (!isStorageError(abortErr, "UploadNotFound")) {
      const first = cause instanceof Error ? cause.message : String(cause);
      return new TransferError({
        cause,
        key: c.key,
        uploadId: c.uploadId,
        message: `${first}; cleaning up failed too: abortMultipartUpload of upload ${c.uploadId} raised ${isStorageError(abortErr) ? abortErr.code : "an error"}, so the upload is left behind (abort it by this id)`,
      });
    }
  }
  return new TransferError({ cause, key: c.key, uploadId: c.uploadId });
}

/** `StorageError` for parts whose byte counts do not add up, caught before Complete. */
export function byteCountMismatch(key: string, got: number, want: number): StorageError {
  return new StorageError({ code: "InvalidArgument", key, message: `the parts hold ${got} bytes but the body declared ${want}; not completing a truncated object` });
}
