/**
 * Key rules, the one implementation: the validation layer, the adapters and the emulators
 * check keys against a limits manifest with {@link validateKey}.
 */
import { StorageError } from "./storage-error.js";

/** The key rules of a manifest: `KeyValueLimits` and `ObjectStoreLimits` both fit. */
export interface KeyRules {
  /** Largest key in UTF-8 bytes (`KeyTooLong` beyond). */
  readonly keyMaxBytes: number;
  /** Characters a key may not contain (`InvalidKey`). */
  readonly keyForbiddenCharacters: string;
  /** Substrings a key may not contain (`InvalidKey`). */
  readonly keyForbiddenSubstrings?: readonly string[];
}

/** Where a key was checked, for the error's `operation`. */
export interface KeyContext {
  /** The contract operation checking the key, e.g. `put`; copied onto the error. */
  operation?: string;
}

/** Keys longer than this are shown truncated in messages (a 1 MB key must not become a 1 MB log line). */
const MAX_SHOWN_CHARS = 64;

/** The key as it appears in a message: JSON-quoted (control characters visible), truncated when long. */
export function describeKey(key: string): string {
  if (key.length <= MAX_SHOWN_CHARS) return JSON.stringify(key);
  return `${JSON.stringify(key.slice(0, MAX_SHOWN_CHARS))}… (${key.length} characters)`;
}

/**
 * Length of `key` in UTF-8, or `undefined` when it holds a lone surrogate, which has no UTF-8
 * encoding (TextEncoder would silently turn it into U+FFFD, i.e. store a different key).
 */
export function utf8ByteLength(key: string): number | undefined {
  let bytes = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < key.length ? key.charCodeAt(i + 1) : 0;
      if (next < 0xdc00 || next > 0xdfff) return undefined;
      bytes += 4;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return undefined;
    else bytes += 3;
  }
  return bytes;
}

/**
 * Checks a key against a manifest's rules, before any I/O:
 * - not a string: `InvalidArgument`;
 * - empty, a lone surrogate (not encodable as UTF-8), a forbidden character or substring: `InvalidKey`;
 * - more than `keyMaxBytes` bytes of UTF-8: `KeyTooLong`.
 */
export function validateKey(key: unknown, rules: KeyRules, context: KeyContext = {}): asserts key is string {
  const { operation } = context;
  if (typeof key !== "string") {
    throw new StorageError({ code: "InvalidArgument", message: `key must be a string, got ${key === null ? "null" : typeof key}`, operation });
  }
  const invalid = (why: string) => new StorageError({ code: "InvalidKey", message: `Invalid key ${describeKey(key)}: ${why}`, operation, key });
  if (key.length === 0) throw invalid("the key is empty");
  const bytes = utf8ByteLength(key);
  if (bytes === undefined) throw invalid("it contains a lone UTF-16 surrogate, which has no UTF-8 encoding");
  if (bytes > rules.keyMaxBytes) {
    throw new StorageError({
      code: "KeyTooLong",
      message: `Key ${describeKey(key)} is ${bytes} bytes in UTF-8; the limit is ${rules.keyMaxBytes}`,
      operation,
      key,
    });
  }
  for (const ch of rules.keyForbiddenCharacters) {
    if (key.includes(ch)) throw invalid(`it contains the forbidden character ${JSON.stringify(ch)}`);
  }
  for (const sub of rules.keyForbiddenSubstrings ?? []) {
    if (sub !== "" && key.includes(sub)) throw invalid(`it contains the forbidden substring ${JSON.stringify(sub)}`);
  }
}

/** What {@link isValidBucketName} accepts, for messages. */
export const BUCKET_NAME_RULE = "3–63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit, without '..', '.-' or '-.'";

/**
 * Whether `name` is a bucket name every S3-family provider accepts (KS3 and S3 share the rule;
 * see {@link BUCKET_NAME_RULE}). A name outside it could also smuggle a path into a
 * `/bucket/key` copy source, so the validation layer refuses it before any I/O.
 */
export function isValidBucketName(name: unknown): name is string {
  return typeof name === "string" && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !/\.\.|\.-|-\./.test(name);
}
