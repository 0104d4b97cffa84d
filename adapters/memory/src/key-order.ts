/**
 * Key order: ascending UTF-8 byte order (core's {@link compareUtf8}), kept in a sorted index so
 * listings seek instead of sorting every page.
 */
import { compareUtf8 } from "@stowage/core";

/** A set of keys kept in {@link compareUtf8} order. */
export class SortedKeys {
  private readonly keys: string[] = [];

  /** Number of keys. */
  get size(): number {
    return this.keys.length;
  }

  /** Adds `key` if absent. */
  add(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] !== key) this.keys.splice(i, 0, key);
  }

  /** Removes `key` if present. */
  delete(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /** Removes every key. */
  clear(): void {
    this.keys.length = 0;
  }

  /**
   * The keys from the first one that is ≥ `from` (or > `after`, when given), in order.
   * The index is read live, so a caller that adds or deletes keys while iterating must
   * collect first.
   */
  *from(start: { from: string } | { after: string }): Generator<string> {
    let i = this.rank(start);
    while (i < this.keys.length) yield this.keys[i++]!;
  }

  /** How many keys come before the position {@link from} would start at. */
  rank(start: { from: string } | { after: string }): number {
    return "after" in start ? this.upperBound(start.after) : this.lowerBound(start.from);
  }

  /** Index of the first key ≥ `key`. */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareUtf8(this.keys[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first key > `key`. */
  private upperBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareUtf8(this.keys[mid]!, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
