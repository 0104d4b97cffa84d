/**
 * Per-call retry inside the engine, for what core's retry layer cannot repeat: a part body the
 * engine holds in memory but sends as a stream (for byte-granular progress), a Complete or a
 * Create that failed with a connection reset. It follows core's policy (`RetryOptions`:
 * retryable `StorageError`s only, full-jitter exponential backoff, `Retry-After` honoured up
 * to `maxDelayMs`, stop at `maxAttempts`, `totalDeadlineMs` or the caller's signal).
 */
import { abortedError, isStorageError, type RetryOptions } from "@stowage/core";

/** The engine's default: more attempts than core's layer, as a part is expensive to lose. */
export const DEFAULT_TRANSFER_RETRY: RetryOptions = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5000 };

/** Runs `attempt` until it succeeds or a failure is not worth repeating. */
export async function retrying<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions | false | undefined,
  signal: AbortSignal,
  onRetry?: (err: unknown) => void,
): Promise<T> {
  const o = options === false ? { maxAttempts: 1 } : { ...DEFAULT_TRANSFER_RETRY, ...options };
  const maxAttempts = o.maxAttempts ?? 5;
  const base = o.baseDelayMs ?? 100;
  const ceiling = o.maxDelayMs ?? 5000;
  const random = o.random ?? Math.random;
  const started = Date.now();
  for (let n = 1; ; n++) {
    if (signal.aborted) throw abortedError(signal);
    try {
      return await attempt(n);
    } catch (err) {
      if (signal.aborted) throw isStorageError(err, "Aborted") ? err : abortedError(signal);
      if (!isStorageError(err) || !err.retryable || n >= maxAttempts) throw err;
      const askedMs = (err.retryAfterSeconds ?? 0) * 1000;
      if (askedMs > ceiling) throw err;
      const wait = Math.max(askedMs, random() * Math.min(ceiling, base * 2 ** (n - 1)));
      if (o.totalDeadlineMs !== undefined && Date.now() + wait - started > o.totalDeadlineMs) throw err;
      onRetry?.(err);
      await (o.sleep ? o.sleep(wait, signal) : sleep(wait, signal));
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
