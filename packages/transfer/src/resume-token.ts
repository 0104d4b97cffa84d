/**
 * The resume token: what a kept multipart upload needs to be continued by a later process.
 * Plain JSON (no Dates, no bytes), so it can be written to disk and read back.
 */
import { invalidOption } from "./errors.js";

/** One part the kept upload already holds. */
export interface ResumeTokenPart {
  /** The part's number. */
  partNumber: number;
  /** Its size in bytes. */
  size: number;
  /** Its ETag, quoted, as `uploadPart` resolved it. */
  etag: string;
}

/**
 * A kept multipart upload: `JSON.stringify` it, and pass `JSON.parse` of it back as
 * `UploadOptions.resume`. Resuming needs the same key and a seekable source (bytes, a string
 * or a file) with the same bytes; the parts it names are re-read and checked, not trusted.
 */
export interface ResumeToken {
  /** Format version; 1. */
  version: 1;
  /** The key the upload will complete to. */
  key: string;
  /** The provider's upload id. */
  uploadId: string;
  /** The size of every part but the last. */
  partSize: number;
  /** Total bytes of the source, when known. */
  totalBytes?: number;
  /** Parts uploaded before the failure, ascending. */
  parts: ResumeTokenPart[];
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** Checks a token read back from JSON; `InvalidArgument` for anything that is not one. */
export function checkResumeToken(value: unknown, key: string): ResumeToken {
  const t = value as Partial<ResumeToken> | null;
  if (typeof t !== "object" || t === null || t.version !== 1) throw invalidOption("resume: not a resume token (version 1)");
  if (typeof t.uploadId !== "string" || t.uploadId === "") throw invalidOption("resume: uploadId must be a non-empty string");
  if (t.key !== key) throw invalidOption(`resume: the token is for key ${JSON.stringify(t.key)}, not ${JSON.stringify(key)}`);
  if (!isCount(t.partSize) || t.partSize < 1) throw invalidOption("resume: partSize must be a positive integer");
  if (t.totalBytes !== undefined && !isCount(t.totalBytes)) throw invalidOption("resume: totalBytes must be a non-negative integer");
  if (!Array.isArray(t.parts)) throw invalidOption("resume: parts must be an array");
  for (const p of t.parts) {
    if (typeof p !== "object" || p === null || !isCount(p.partNumber) || !isCount(p.size) || typeof p.etag !== "string") {
      throw invalidOption("resume: every part needs partNumber, size and etag");
    }
  }
  return t as ResumeToken;
}
