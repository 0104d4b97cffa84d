/**
 * The engine's errors: every failure is a core `StorageError`; a failed upload is a
 * {@link TransferError}, which adds the upload id and, when the upload was kept, a resume token.
 */
import { isStorageError, StorageError, type StorageErrorCode } from "@stowage/core";
import type { ResumeToken } from "./resume-token.js";

/** What a {@link TransferError} is built from. */
export interface TransferErrorInit {
  /** The failure being reported; its code, message and provider fields carry over. */
  cause: unknown;
  /** The multipart upload the failure happened in, if one was created. */
  uploadId?: string;
  /** Set when the upload was kept (`leaveUploadOnError`), so the caller can resume it. */
  resumeToken?: ResumeToken;
  /** Replaces the message (e.g. to say the clean-up failed too). */
  message?: string;
  /** Replaces the code. */
  code?: StorageErrorCode;
  /** The key being transferred. */
  key?: string;
}

/**
 * A failed upload, download or copy. Its `code` is the code of the failure that stopped the
 * transfer (`Aborted` after the caller's signal fired), so callers branch on it as on any
 * `StorageError`.
 */
export class TransferError extends StorageError {
  /** The multipart upload involved, when one was created; named in the message when it was left behind. */
  readonly uploadId: string | undefined;
  /** Present when the upload was kept for resuming (`leaveUploadOnError: true`). */
  readonly resumeToken: ResumeToken | undefined;

  /** Wraps `init.cause`, keeping its code and provider fields. */
  constructor(init: TransferErrorInit) {
    const cause = init.cause;
    const base = isStorageError(cause) ? cause : undefined;
    super({
      code: init.code ?? base?.code ?? "Internal",
      message: init.message ?? base?.message ?? "the transfer failed (see cause)",
      providerCode: base?.providerCode,
      httpStatus: base?.httpStatus,
      requestId: base?.requestId,
      retryable: false,
      operation: base?.operation,
      key: init.key ?? base?.key,
      cause,
    });
    this.uploadId = init.uploadId;
    this.resumeToken = init.resumeToken;
  }

  /** As `StorageError.toJSON()`, plus the upload id and whether a resume token is attached. */
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), uploadId: this.uploadId, resumable: this.resumeToken !== undefined };
  }
}

/** The resume token a failed upload carries (see {@link TransferError.resumeToken}), or `undefined`. */
export function resumeTokenOf(err: unknown): ResumeToken | undefined {
  return err instanceof TransferError ? err.resumeToken : undefined;
}

/** `InvalidArgument` for a bad option, raised before any I/O. */
export function invalidOption(message: string): StorageError {
  return new StorageError({ code: "InvalidArgument", message });
}

/** Turns anything thrown into a StorageError (a caller's iterator may throw anything). */
export function asStorageError(err: unknown, what: string): StorageError {
  if (isStorageError(err)) return err;
  return new StorageError({ code: "Internal", message: `${what} failed (see cause)`, cause: err });
}
