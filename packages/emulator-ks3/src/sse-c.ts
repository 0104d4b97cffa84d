/**
 * SSE-C (customer-provided keys, `ks3-api.md` §6.2 and the seed's header tables): the three
 * headers are checked for consistency, and only the key's MD5 is ever kept — the emulator
 * stores plaintext, so the key serves only to refuse reads without it or with another one.
 */
import { createHash } from "node:crypto";
import { Ks3Error } from "./errors.js";
import type { RequestHeaders } from "./request-headers.js";

/** Seed: "Valid Value: AES256". */
const ALGORITHM = "AES256";

/**
 * The base64 key MD5 named by the request's SSE-C headers (`server-side-encryption-customer-*`
 * for the target, `copy-source-server-side-encryption-customer-*` for a copy source), or
 * `undefined` when none is sent. Seed: the three headers are "used at the same time", so one
 * without the others, another algorithm, a key that is not 256 bits or an MD5 that does not
 * match the key is `InvalidArgument` (400).
 */
export function readSseCKeyMd5(headers: RequestHeaders, which: "target" | "copy-source"): string | undefined {
  const base = which === "target" ? "server-side-encryption-customer-" : "copy-source-server-side-encryption-customer-";
  const algorithm = headers.prefixed(`${base}algorithm`);
  const key = headers.prefixed(`${base}key`);
  const keyMd5 = headers.prefixed(`${base}key-md5`);
  if (algorithm === undefined && key === undefined && keyMd5 === undefined) return undefined;
  if (algorithm === undefined || key === undefined || keyMd5 === undefined) {
    throw new Ks3Error("InvalidArgument", "Requests specifying Server Side Encryption with Customer provided keys must provide the algorithm, the key and the key MD5.");
  }
  if (algorithm !== ALGORITHM) throw new Ks3Error("InvalidArgument", "The encryption algorithm must be AES256.");
  const raw = Buffer.from(key, "base64");
  if (raw.length !== 32) throw new Ks3Error("InvalidArgument", "The secret key was invalid for the specified algorithm.");
  if (createHash("md5").update(raw).digest("base64") !== keyMd5.trim()) {
    throw new Ks3Error("InvalidArgument", "The calculated MD5 hash of the key did not match the hash that was provided.");
  }
  return keyMd5.trim();
}

/**
 * Checks that a request may read (or add to) something stored with `storedKeyMd5`: an SSE-C
 * object needs the same key; a plain one takes no key. Every mismatch is 400, as s3-tests
 * `test_encryption_sse_c_multipart_bad_download` expects.
 */
export function checkSseCKey(storedKeyMd5: string | undefined, providedKeyMd5: string | undefined): void {
  if (storedKeyMd5 === providedKeyMd5) return;
  if (providedKeyMd5 === undefined) {
    throw new Ks3Error("InvalidRequest", "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.");
  }
  if (storedKeyMd5 === undefined) throw new Ks3Error("InvalidRequest", "The encryption parameters are not applicable to this object.");
  throw new Ks3Error("InvalidRequest", "The provided customer key does not match the key the object was stored with.");
}

/** Response headers that confirm SSE-C (seed response-header table). */
export function sseCResponseHeaders(keyMd5: string | undefined, prefix: string): Record<string, string> {
  if (keyMd5 === undefined) return {};
  return {
    [`${prefix}server-side-encryption-customer-algorithm`]: ALGORITHM,
    [`${prefix}server-side-encryption-customer-key-MD5`]: keyMd5,
  };
}
