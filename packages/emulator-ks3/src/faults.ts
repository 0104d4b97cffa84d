/**
 * Fault injection for reliability tests (design §4): per-operation error and throttling
 * rates, added latency, and connections reset in the middle of a body.
 */
import type { Ks3Operation } from "./route.js";

/** A probability in [0, 1] per operation; `"*"` applies to every operation not named. */
export type PerOperation = Partial<Record<Ks3Operation | "*", number>>;

/** What to inject. Every field is optional; an empty object injects nothing. */
export interface Ks3Faults {
  /** Chance of answering 500 InternalError instead of performing the operation. */
  errorRate?: PerOperation;
  /** Chance of answering 503 SlowDown (with `Retry-After: 1`) instead of performing the operation. */
  slowDownRate?: PerOperation;
  /**
   * Chance of resetting the connection mid-body: halfway through the response body when
   * there is one (GetObject), else after half of the request body has arrived.
   */
  resetRate?: PerOperation;
  /** Milliseconds to wait before handling each request. */
  latencyMs?: number;
  /** Random numbers in [0, 1); `Math.random` unless a test wants the draws to be reproducible. */
  random?: () => number;
}

/** The fault drawn for one request. */
export type Fault = "error" | "slow-down" | "reset" | undefined;

function rate(table: PerOperation | undefined, operation: Ks3Operation): number {
  return table?.[operation] ?? table?.["*"] ?? 0;
}

/** Draws the fault (if any) for one request of `operation`. */
export function drawFault(faults: Ks3Faults | undefined, operation: Ks3Operation): Fault {
  if (!faults) return undefined;
  const random = faults.random ?? Math.random;
  if (random() < rate(faults.errorRate, operation)) return "error";
  if (random() < rate(faults.slowDownRate, operation)) return "slow-down";
  if (random() < rate(faults.resetRate, operation)) return "reset";
  return undefined;
}
