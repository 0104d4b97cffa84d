import { EsaKvEmulatorError } from "./errors.js";
import type { EsaKvAction, EsaKvFaults } from "./options.js";

/** What the fault injector decided for one request before handling it (truncation is decided after). */
export type FaultDecision = "none" | "drop" | "fail";

/**
 * Fault injection for reliability tests: per-action and global error rates
 * (`503 ServiceUnavailable`), added latency, dropped connections and truncated bodies. Every
 * decision draws from `faults.random`, so a seeded source makes a run reproducible.
 */
export class FaultInjector {
  private readonly random: () => number;

  constructor(private readonly faults: EsaKvFaults) {
    this.random = faults.random ?? Math.random;
  }

  /** The configured latency to wait, or undefined when none is configured (no await then). */
  delay(): Promise<void> | undefined {
    const ms = this.faults.latencyMs ?? 0;
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : undefined;
  }

  /** Decides the fate of one request of `action` before it is handled. */
  beforeHandling(action: EsaKvAction): FaultDecision {
    if (this.hit(this.faults.dropConnectionRate)) return "drop";
    if (this.hit(this.faults.globalErrorRate) || this.hit(this.faults.errorRate?.[action])) return "fail";
    return "none";
  }

  /** Whether a successful response body should be cut short. */
  truncateResponse(): boolean {
    return this.hit(this.faults.truncateBodyRate);
  }

  /** The error a `fail` decision answers with. */
  static injectedError(): EsaKvEmulatorError {
    return new EsaKvEmulatorError("ServiceUnavailable", "Injected fault: the emulator was told to fail this request.");
  }

  private hit(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.random() < rate;
  }
}
