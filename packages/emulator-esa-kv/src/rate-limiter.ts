import type { Clock } from "@stowage/core";
import { EsaKvEmulatorError } from "./errors.js";
import type { EsaKvAction, EsaKvRateLimits } from "./options.js";

/**
 * Configurable throttling: a one-second fixed window per action and one across all actions,
 * on the injected clock. Over a limit, an action that writes or deletes keys answers
 * `429 TooQuickRequests` ("Request for putting or deleting keys are frequently submitted"),
 * any other `429 TooManyRequests`; both carry `x-acs-retry-after` (milliseconds, the unit the
 * SDK's retry policy sleeps in).
 */
export class RateLimiter {
  private window = Number.NaN;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly limits: EsaKvRateLimits,
    private readonly clock: Clock,
  ) {}

  /** Counts one request of `action`; raises the documented 429 when a limit is exceeded. */
  admit(action: EsaKvAction, writesKeys: boolean): void {
    const global = this.limits.global;
    const perAction = this.limits.perAction?.[action];
    if (global === undefined && perAction === undefined) return;
    const window = Math.floor(this.clock.now() / 1000);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const total = (this.counts.get("*") ?? 0) + 1;
    const mine = (this.counts.get(action) ?? 0) + 1;
    this.counts.set("*", total);
    this.counts.set(action, mine);
    if ((global !== undefined && total > global) || (perAction !== undefined && mine > perAction)) {
      const headers = { "x-acs-retry-after": String(this.limits.retryAfterMs ?? 1000) };
      throw new EsaKvEmulatorError(writesKeys ? "TooQuickRequests" : "TooManyRequests", undefined, headers);
    }
  }
}
