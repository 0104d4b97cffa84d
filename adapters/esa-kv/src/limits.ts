/**
 * The ESA Edge KV limits manifest. The numbers and their sources live in core's
 * `ESA_KV_LIMITS` (reference/esa-kv-api.md §1.3); this file only allows a smaller profile.
 */
import { defineLimits, ESA_KV_LIMITS, type KeyValueLimits } from "@stowage/core";

/** The manifest every ESA KV store keeps unless told otherwise. */
export const esaKvLimits: KeyValueLimits = ESA_KV_LIMITS;

/**
 * The manifest with `overrides` applied, frozen. Meant for test profiles that match an
 * emulator started with smaller limits (e.g. a 64 KiB namespace), so boundary cases stay cheap.
 */
export function esaKvLimitsWith(overrides: Partial<KeyValueLimits> = {}): KeyValueLimits {
  if (Object.keys(overrides).length === 0) return esaKvLimits;
  return defineLimits({ ...ESA_KV_LIMITS, ...overrides });
}
