/**
 * Where a namespace's data lives in Redis. Every Redis key of namespace `ns` starts with
 * `stowage:{ns}:`; the braces make `ns` the hash tag, so the value keys and both indexes of a
 * namespace map to one cluster slot and the scripts that touch them together are legal on a
 * cluster (Redis Cluster spec: "only the substring between { and } is hashed").
 *
 * - `stowage:{ns}:v:<key>`: the value (a string), with the key's expiry set by `PXAT`.
 * - `stowage:{ns}:index`: a sorted set of every key, all scores 0, so `ZRANGE … BYLEX` walks
 *   the keys in memcmp order, which for UTF-8 strings is the contract's byte order.
 * - `stowage:{ns}:expiry`: a sorted set of the keys that expire, scored by their expiry in
 *   epoch milliseconds, so listings can find and purge the index entries of expired keys. A
 *   put without expiry does not remove a key's entry here, so an entry counts only while the
 *   value key still has an expiry of its own (scripts.ts).
 */

/** The Redis key names of one namespace. */
export class KeyLayout {
  /** Prefix of every value key. */
  readonly valuePrefix: string;
  /** The listing index. */
  readonly index: string;
  /** The expiry index. */
  readonly expiry: string;

  /** The names of `namespace`'s keys; the namespace must not contain `{` or `}` (config.ts checks it). */
  constructor(namespace: string) {
    const base = `stowage:{${namespace}}:`;
    this.valuePrefix = `${base}v:`;
    this.index = `${base}index`;
    this.expiry = `${base}expiry`;
  }

  /** The Redis key holding `key`'s value. */
  value(key: string): string {
    return this.valuePrefix + key;
  }
}

const OPEN_INCLUSIVE = Buffer.from("[");
const OPEN_EXCLUSIVE = Buffer.from("(");
// 0xFF never occurs in UTF-8, so every key that starts with `prefix` sorts below `prefix` + 0xFF
// and every key that does not (and sorts after it) sorts above.
const ABOVE_EVERY_CONTINUATION = Buffer.from([0xff]);

/** `ZRANGE … BYLEX` bounds of the keys starting with `prefix`, after `after` when given (exclusive). */
export function lexRange(prefix: string, after: string | undefined): { min: Buffer | string; max: Buffer | string } {
  const min = after !== undefined ? Buffer.concat([OPEN_EXCLUSIVE, Buffer.from(after, "utf8")]) : prefix === "" ? "-" : Buffer.concat([OPEN_INCLUSIVE, Buffer.from(prefix, "utf8")]);
  const max = prefix === "" ? "+" : Buffer.concat([OPEN_INCLUSIVE, Buffer.from(prefix, "utf8"), ABOVE_EVERY_CONTINUATION]);
  return { min, max };
}

/** The inclusive `ZLEXCOUNT` bounds from the first key under `prefix` to `last`, for the list window. */
export function passedRange(prefix: string, last: string): { min: Buffer | string; max: Buffer } {
  return { min: prefix === "" ? "-" : Buffer.concat([OPEN_INCLUSIVE, Buffer.from(prefix, "utf8")]), max: Buffer.concat([OPEN_INCLUSIVE, Buffer.from(last, "utf8")]) };
}
