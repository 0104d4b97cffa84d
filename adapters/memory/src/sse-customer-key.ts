/**
 * SSE-C as an S3-family server keeps it: the key itself is never stored, only its MD5, and
 * every read, copy or part upload must present the same key (ks3-api.md §6.2; s3-tests
 * `test_encryption_sse_c_multipart_bad_download` expects 400 for a different key).
 */
import { createHash } from "node:crypto";
import type { ErrorContext, SseCustomerKey } from "@stowage/core";
import { invalidArgument } from "./errors.js";

/** AES256 takes a 256-bit key. */
const SSE_C_KEY_BYTES = 32;

/**
 * The base64 MD5 of a customer key (what `x-kss-server-side-encryption-customer-key-MD5`
 * carries), or `undefined` without a key. A key that is not 32 bytes raises `InvalidArgument`.
 */
export function customerKeyMd5(sseC: SseCustomerKey | undefined, context: ErrorContext): string | undefined {
  if (sseC === undefined) return undefined;
  if (!(sseC.key instanceof Uint8Array) || sseC.key.byteLength !== SSE_C_KEY_BYTES) {
    throw invalidArgument("The SSE-C key must be 32 bytes (AES256)", context);
  }
  return createHash("md5").update(sseC.key).digest("base64");
}

/**
 * Checks that `given` opens what was stored under `storedMd5` (`undefined`: not encrypted).
 * - encrypted, no key → `InvalidArgument` (`InvalidRequest`);
 * - encrypted, another key → `InvalidArgument` (`Md5ErrorForCustomerKey`);
 * - not encrypted, a key → `InvalidArgument` (`InvalidRequest`): S3 refuses encryption
 *   parameters that do not apply, rather than ignoring them.
 * Messages never carry key material.
 */
export function checkCustomerKey(storedMd5: string | undefined, given: SseCustomerKey | undefined, subject: string, context: ErrorContext): void {
  const givenMd5 = customerKeyMd5(given, context);
  if (storedMd5 === givenMd5) return;
  if (storedMd5 === undefined) {
    throw invalidArgument(`The SSE-C parameters are not applicable to the ${subject}: it is not encrypted with a customer key`, context, "InvalidRequest");
  }
  if (givenMd5 === undefined) {
    throw invalidArgument(`The ${subject} is encrypted with a customer key (SSE-C); the same key must be provided`, context, "InvalidRequest");
  }
  throw invalidArgument(`The SSE-C key provided does not match the key the ${subject} is encrypted with`, context, "Md5ErrorForCustomerKey");
}
