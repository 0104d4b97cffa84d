/** Cancellation: every call takes an AbortSignal, and a fired signal always surfaces as `Aborted`. */
import { StorageError } from "./storage-error.js";

/** Raises `Aborted` if the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError(signal);
}

/** The `Aborted` error for a fired signal (the signal's reason becomes the cause). */
export function abortedError(signal?: AbortSignal): StorageError {
  return new StorageError({ code: "Aborted", message: "The operation was aborted", cause: signal?.reason });
}
