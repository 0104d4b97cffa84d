import type { Clock } from "@stowage/core";
import { EsaKvEmulatorError } from "./errors.js";

/**
 * The signature-nonce replay cache. A nonce only needs remembering while the request that
 * carried it could still pass the timestamp check, i.e. until its timestamp plus the accepted
 * skew: after that a replay fails as `InvalidTimeStamp.Expired` anyway. So each entry lives
 * exactly that long, and the cache holds at most `maxEntries` (the oldest go first when it is
 * full), which bounds its memory at any request rate.
 */
export class NonceCache {
  /** nonce → when a replay stops passing the timestamp check (epoch ms), in insertion order. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
    /** Hard cap on remembered nonces. */
    readonly maxEntries = 100_000,
  ) {}

  /** How many nonces are remembered now. */
  get size(): number {
    return this.seen.size;
  }

  /**
   * Records `nonce` of a request stamped `requestTime` (epoch ms; default now); raises
   * `SignatureNonceUsed` if it is still remembered.
   */
  use(nonce: string, requestTime: number = this.clock.now()): void {
    const now = this.clock.now();
    // Timestamps arrive nearly in order, so expired entries sit at the front; one that
    // arrived out of order waits behind a live one, and the cap still bounds them all.
    for (const [key, expiresAt] of this.seen) {
      if (expiresAt >= now) break;
      this.seen.delete(key);
    }
    if (this.seen.has(nonce)) throw new EsaKvEmulatorError("SignatureNonceUsed");
    while (this.seen.size >= this.maxEntries) {
      const oldest = this.seen.keys().next().value as string;
      this.seen.delete(oldest);
    }
    this.seen.set(nonce, requestTime + this.windowMs);
  }
}
