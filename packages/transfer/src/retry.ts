/**
 * Per-call retry inside the engine, for what core's retry layer cannot repeat: a part body the
 * engine holds in memory but sends as a stream (for byte-granular progress), a Complete or a
 * Create that failed with a connection reset. The loop is core's ({@link createRetryLoop}, the
 * same policy as the retry layers); only the engine's defaults are decided here.
 */
import { createRetryLoop, type RetryOptions } from "@stowage/core";

/** The engine's default: more attempts than core's layer, as a part is expensive to lose. */
export const DEFAULT_TRANSFER_RETRY: RetryOptions = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5000 };

/**
 * Runs `attempt` until it succeeds or a failure is not worth repeating, under `options` over
 * {@link DEFAULT_TRANSFER_RETRY} (`false`: one attempt); `onRetry` hears each repeated failure.
 */
export function retrying<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions | false | undefined,
  signal: AbortSignal,
  onRetry?: (err: unknown) => void,
): Promise<T> {
  const given: RetryOptions = options === false ? { maxAttempts: 1 } : (options ?? {});
  // Field by field, so an option given as `undefined` keeps the engine's default, not core's.
  const merged: RetryOptions = {
    ...given,
    maxAttempts: given.maxAttempts ?? DEFAULT_TRANSFER_RETRY.maxAttempts,
    baseDelayMs: given.baseDelayMs ?? DEFAULT_TRANSFER_RETRY.baseDelayMs,
    maxDelayMs: given.maxDelayMs ?? DEFAULT_TRANSFER_RETRY.maxDelayMs,
  };
  return createRetryLoop(merged).run(attempt, signal, onRetry === undefined ? undefined : { onRetry: (err) => onRetry(err) });
}
