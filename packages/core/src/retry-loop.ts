/**
 * The one retry loop: the backoff arithmetic of {@link RetryOptions} and the attempt loop,
 * shared by the retry layers (`withRetry`, `withObjectRetry`) and by engines that repeat a
 * call the layers cannot (the transfer engine re-sending a part from the bytes it retained).
 * Only a `retryable` {@link StorageError} is repeated, after full-jitter exponential backoff
 * (delay = random × min(maxDelayMs, baseDelayMs × 2^(n−1))), never shorter than the
 * provider's `Retry-After` and never when that is longer than `maxDelayMs`; the loop stops at
 * `maxAttempts`, at `totalDeadlineMs`, or at once when the caller's signal fires.
 */
import { abortedError, throwIfAborted } from "./abort.js";
import { type Clock, systemClock } from "./clock.js";
import { transportSignal } from "./guarded-call.js";
import type { RetryOptions } from "./layers/with-retry.js";
import { isStorageError, StorageError } from "./storage-error.js";

/** What a caller of {@link RetryLoop.run} adds to the loop's own rules. */
export interface RetryHooks {
  /**
   * Whether this failure may be repeated at all, asked before the backoff is: e.g. `false`
   * for a one-shot stream body, or for a non-idempotent call whose request may have been
   * applied. Default: every retryable failure may.
   */
  mayRetry?(err: unknown): boolean;
  /** Told of each failure about to be repeated, with the wait before the repeat. */
  onRetry?(err: unknown, waitMs: number): void;
}

/** {@link RetryOptions} made into a loop, by {@link createRetryLoop}. */
export interface RetryLoop {
  /**
   * Runs `attempt` (numbered from 1) until it resolves or a failure is not repeated; rejects
   * with the last failure, or with `Aborted` once `signal` fires.
   */
  run<T>(attempt: (n: number) => Promise<T>, signal: AbortSignal, hooks?: RetryHooks): Promise<T>;
  /** The wait before attempt `attempt + 1` after `err`, for a call begun at `started` (by {@link RetryLoop.clock}); `undefined` to give up. */
  delay(err: unknown, attempt: number, started: number): number | undefined;
  /** Waits `ms`, rejecting with `Aborted` as soon as `signal` fires. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The clock the deadline is measured by. */
  readonly clock: Clock;
}

/**
 * The loop for `options`: default 3 attempts, 100 ms base delay, 5000 ms ceiling, no
 * deadline. Out-of-range options raise `InvalidArgument` here, once, not per call.
 */
export function createRetryLoop(options: RetryOptions): RetryLoop {
  const maxAttempts = options.maxAttempts ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const deadlineMs = options.totalDeadlineMs;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  const clock = options.clock ?? systemClock;
  if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1)) invalid("maxAttempts must be an integer ≥ 1");
  if (!(Number.isFinite(baseDelayMs) && baseDelayMs >= 0)) invalid("baseDelayMs must be a finite number ≥ 0");
  if (!(Number.isFinite(maxDelayMs) && maxDelayMs >= 0)) invalid("maxDelayMs must be a finite number ≥ 0");
  if (deadlineMs !== undefined && !(Number.isFinite(deadlineMs) && deadlineMs > 0)) invalid("totalDeadlineMs must be a finite number > 0");

  const delay = (err: unknown, attempt: number, started: number): number | undefined => {
    if (!isStorageError(err) || !err.retryable || attempt >= maxAttempts) return undefined;
    const askedMs = (err.retryAfterSeconds ?? 0) * 1000;
    if (askedMs > maxDelayMs) return undefined;
    const wait = Math.max(askedMs, random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
    if (deadlineMs !== undefined && clock.now() + wait - started > deadlineMs) return undefined;
    return wait;
  };

  const run = async <T>(attempt: (n: number) => Promise<T>, signal: AbortSignal, hooks?: RetryHooks): Promise<T> => {
    const started = clock.now();
    for (let n = 1; ; n++) {
      throwIfAborted(signal);
      try {
        return await attempt(n);
      } catch (err) {
        if (signal.aborted) throw isStorageError(err, "Aborted") ? err : abortedError(signal);
        if (hooks?.mayRetry !== undefined && !hooks.mayRetry(err)) throw err;
        const wait = delay(err, n, started);
        if (wait === undefined) throw err;
        hooks?.onRetry?.(err, wait);
        await sleep(wait, signal);
      }
    }
  };

  return { run, delay, sleep, clock };
}

function invalid(message: string): never {
  throw new StorageError({ code: "InvalidArgument", message: `retry: ${message}` });
}

/**
 * setTimeout that gives up, with `Aborted`, the moment the signal fires. The facade's
 * never-firing signal is not listened to: in an outage every call in flight sleeps at once.
 */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  const listened = transportSignal(signal);
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortedError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal));
    };
    const timer = setTimeout(() => {
      listened?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    listened?.addEventListener("abort", onAbort, { once: true });
  });
}
