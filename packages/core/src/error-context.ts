/** Giving an escaped error the context of the call it escaped from. */
import { StorageError, isStorageError } from "./storage-error.js";

/** The call an error came from. */
export interface ErrorContext {
  /** The contract operation, e.g. `getObject`. */
  operation: string;
  /** The key the call was about, if any. */
  key?: string | undefined;
}

/**
 * Returns `err` as a {@link StorageError} that names its operation and key: a StorageError
 * lacking them is copied with them added (the original stays untouched, a driver may share
 * it); anything else is a bug below us and becomes `Internal`, the original kept as `cause`.
 */
export function withErrorContext(err: unknown, context: ErrorContext): StorageError {
  // By shape, not only instanceof: a StorageError from a duplicated copy of core is still one.
  if (!isStorageError(err)) {
    // Only the error's class goes in the message: a foreign message may quote anything,
    // including request details, and messages end up in logs.
    const kind = err instanceof Error ? err.name : typeof err;
    return new StorageError({ code: "Internal", message: `${context.operation} failed with an unexpected ${kind}`, cause: err, ...context });
  }
  const missingOperation = err.operation === undefined;
  const missingKey = err.key === undefined && context.key !== undefined;
  if (!missingOperation && !missingKey) return err;
  const copy = new StorageError({
    code: err.code,
    message: err.message,
    providerCode: err.providerCode,
    httpStatus: err.httpStatus,
    requestId: err.requestId,
    retryable: err.retryable,
    retryAfterSeconds: err.retryAfterSeconds,
    operation: err.operation ?? context.operation,
    key: err.key ?? context.key,
    objectSize: err.objectSize,
    cause: err.cause,
  });
  if (err.stack !== undefined) copy.stack = err.stack;
  return copy;
}
