/**
 * The timeout layer: each call to the inner driver gets `ms` milliseconds. Under the retry
 * layer that is a per-attempt budget (the retry layer's `totalDeadlineMs` bounds the whole).
 *
 * The budget covers a call until it resolves; for `getObject` that is until the headers and
 * the body stream are returned, not until the body is read (a slow reader is not a slow
 * store; the caller's signal covers the read).
 */
import { abortedError, throwIfAborted } from "../abort.js";
import { transportSignal } from "../guarded-call.js";
import type { KeyValueStoreDriver } from "../key-value-store.js";
import type { KeyValueLayer, ObjectStoreLayer } from "../layer.js";
import type { MultipartObjectStoreDriver } from "../multipart-object-store.js";
import { StorageError } from "../storage-error.js";
import {
  type DriverInterceptor,
  interceptDriver,
  KEY_VALUE_DRIVER_OPERATIONS,
  OBJECT_DRIVER_OPERATIONS,
} from "./intercept-driver.js";

/** Options of {@link withTimeout} and {@link withObjectTimeout}. */
export interface TimeoutOptions {
  /** Milliseconds one call may take before it is aborted and raises `Timeout` (retryable). */
  ms: number;
}

/** A key-value layer that aborts a call still running after `ms` and raises `Timeout`. */
export function withTimeout(options: TimeoutOptions): KeyValueLayer {
  const intercept = timeoutInterceptor(options);
  return (driver: KeyValueStoreDriver) => interceptDriver(driver, KEY_VALUE_DRIVER_OPERATIONS, intercept);
}

/** An object-store layer that aborts a call still running after `ms` and raises `Timeout`. */
export function withObjectTimeout(options: TimeoutOptions): ObjectStoreLayer {
  const intercept = timeoutInterceptor(options);
  return (driver: MultipartObjectStoreDriver) => interceptDriver(driver, OBJECT_DRIVER_OPERATIONS, intercept);
}

function timeoutInterceptor({ ms }: TimeoutOptions): DriverInterceptor {
  // setTimeout clamps anything above 2^31-1 ms to 1 ms, which would time out every call.
  if (!(Number.isFinite(ms) && ms > 0 && ms <= 2 ** 31 - 1)) {
    throw new StorageError({ code: "InvalidArgument", message: "timeout ms must be a number in 1..2147483647" });
  }
  return async ({ operation, args, ctx, proceed }) => {
    throwIfAborted(ctx.signal);
    const key = typeof args[0] === "string" ? args[0] : undefined;
    const timeoutError = () =>
      new StorageError({ code: "Timeout", message: `${operation} did not finish within ${ms} ms`, operation, key });
    // The driver's signal fires on the caller's abort or on our timer. AbortSignal.any keeps
    // following the caller after we return, so aborting while a getObject body is still being
    // read still reaches the driver. The facade's never-firing signal (no caller signal) is
    // neither followed nor listened to: every call in flight would register on that one signal.
    const caller = transportSignal(ctx.signal);
    const timer = new AbortController();
    const signal = caller ? AbortSignal.any([caller, timer.signal]) : timer.signal;
    let handle: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    // Racing as well as aborting: a driver that ignores its signal still cannot hold the caller.
    const stopped = new Promise<never>((_, reject) => {
      handle = setTimeout(() => {
        const err = timeoutError();
        timer.abort(err);
        reject(err);
      }, ms);
      if (!caller) return;
      onAbort = () => reject(abortedError(caller));
      caller.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([proceed({ ...ctx, signal }, args), stopped]);
    } catch (err) {
      // A driver answering our own abort says `Aborted`; the caller did not abort, so it is a timeout.
      if (timer.signal.aborted && !ctx.signal.aborted) throw timeoutError();
      throw err;
    } finally {
      clearTimeout(handle);
      if (onAbort) caller?.removeEventListener("abort", onAbort);
    }
  };
}
