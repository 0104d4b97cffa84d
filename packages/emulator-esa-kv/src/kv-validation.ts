import { EsaKvEmulatorError } from "./errors.js";
import type { EsaKvEmulatorLimits } from "./limits.js";

/**
 * What makes a namespace name, a key, a value and an expiry valid, with the documented codes
 * (seed error table; reference §1.2 and §1.3).
 */

// DCDN PutDcdnKvNamespace: "letters, digits, hyphens (-), and underscores (_)"; ESA's own rule
// is undocumented, so the predecessor's applies (reference §1.2 CreateKvNamespace).
const NAMESPACE_NAME = /^[A-Za-z0-9_-]+$/;
// The get-started guide: "allows only letters, numbers, -, and _".
const STRICT_KEY = /^[A-Za-z0-9_-]+$/;

/** Raises `InvalidNameSpace.Malformed` for an empty or ill-formed namespace name. */
export function validateNamespaceName(name: string | undefined): string {
  if (name === undefined || !NAMESPACE_NAME.test(name)) throw new EsaKvEmulatorError("InvalidNameSpace.Malformed");
  return name;
}

/**
 * Raises `InvalidKey.Malformed` for an empty key or a forbidden character, and
 * `InvalidKey.ExceedsMaximum` past `keyMaxBytes` UTF-8 bytes. OpenAPI text: "up to 512 bytes
 * long and cannot contain spaces or forward slashes (/)".
 */
export function validateKey(key: string | undefined, limits: EsaKvEmulatorLimits): string {
  if (key === undefined || key === "") throw new EsaKvEmulatorError("InvalidKey.Malformed");
  const bytes = Buffer.byteLength(key);
  if (bytes > limits.keyMaxBytes) {
    throw new EsaKvEmulatorError("InvalidKey.ExceedsMaximum", `The size of the key cannot exceed ${limits.keyMaxBytes} bytes.`);
  }
  const malformed = limits.keyCharset === "strict" ? !STRICT_KEY.test(key) : /[ /]/.test(key);
  if (malformed) throw new EsaKvEmulatorError("InvalidKey.Malformed");
  return key;
}

/** The Unicode string's value bytes, or the decoded bytes when `base64` is set. */
export function decodeValue(value: string | undefined, base64: boolean): Uint8Array {
  if (value === undefined) throw new EsaKvEmulatorError("InvalidParameter", "Value is required.");
  if (!base64) return new Uint8Array(Buffer.from(value, "utf8"));
  // "If this parameter is true, Value must be a valid Base64-encoded string."
  const compact = value.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new EsaKvEmulatorError("InvalidParameter", "Value is not a valid Base64-encoded string.");
  }
  return new Uint8Array(Buffer.from(compact, "base64"));
}

/** Raises `InvalidValue.ExceedsMaximum` when `bytes` is past `max`. */
export function checkValueSize(bytes: number, max: number): void {
  if (bytes > max) {
    throw new EsaKvEmulatorError(
      "InvalidValue.ExceedsMaximum",
      `The size of the value cannot exceed ${max.toLocaleString("en-US")} bytes.`,
    );
  }
}

/**
 * The expiry instant in ms, or undefined for none. "ExpirationTtl takes precedence" over
 * `Expiration`, so `Expiration` is ignored (and not checked) when a TTL is given; otherwise an
 * `Expiration` "cannot be earlier than the current time" (reference §1.2 PutKv). Both are
 * seconds; a TTL must be positive.
 */
export function resolveExpiresAt(expiration: number | undefined, expirationTtl: number | undefined, now: number): number | undefined {
  if (expirationTtl !== undefined) {
    if (expirationTtl <= 0) throw new EsaKvEmulatorError("InvalidParameter", "ExpirationTtl must be a positive number of seconds.");
    return now + expirationTtl * 1000;
  }
  if (expiration === undefined) return undefined;
  if (expiration * 1000 < now) {
    throw new EsaKvEmulatorError("InvalidParameter", "Expiration cannot be earlier than the current time.");
  }
  return expiration * 1000;
}
