/**
 * The checks both validation layers share (with-validation.ts for key-value drivers,
 * with-object-validation.ts for object drivers): keys, page sizes, list requests and upload ids,
 * each failing with the StorageError the provider itself would raise.
 */
import type { KeyValueLimits, ObjectStoreLimits } from "../limits.js";
import { validateKey } from "../key-rules.js";
import { StorageError, type StorageErrorCode } from "../storage-error.js";

/** Where a check failed, copied onto the error. */
export interface Context {
  operation: string;
  key?: string;
}

/** Throws the StorageError `code` with `message` and where it happened. */
export function fail(code: StorageErrorCode, message: string, context: Context): never {
  throw new StorageError({ code, message, ...context });
}

/** The key rules of the manifest (core's one key validator). */
export function checkKey(key: unknown, rules: KeyValueLimits | ObjectStoreLimits, operation: string): void {
  validateKey(key, rules, { operation });
}

/** `limit` must be an integer in 1..max (InvalidArgument), as every provider's page-size parameter. */
function checkPageLimit(limit: unknown, max: number, context: Context): void {
  if (limit === undefined) return;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > max) {
    fail("InvalidArgument", `limit must be an integer from 1 to ${max}, got ${String(limit)}`, context);
  }
}

/** `value`, when given, must be a string (InvalidArgument naming `name`). */
function checkOptionalString(value: unknown, name: string, context: Context): void {
  if (value !== undefined && typeof value !== "string") fail("InvalidArgument", `${name} must be a string`, context);
}

/**
 * The fields list requests share, each where the operation has it: `prefix`, `delimiter` and
 * `cursor` strings, and a `limit` from 1 to `maxPageSize`.
 */
export function checkListRequest(
  request: { prefix?: unknown; delimiter?: unknown; cursor?: unknown; limit?: unknown },
  maxPageSize: number,
  context: Context,
): void {
  checkOptionalString(request.prefix, "prefix", context);
  checkOptionalString(request.delimiter, "delimiter", context);
  checkOptionalString(request.cursor, "cursor", context);
  checkPageLimit(request.limit, maxPageSize, context);
}

/** An upload id is a non-empty string. */
export function checkUploadId(uploadId: unknown, context: Context): void {
  if (typeof uploadId !== "string" || uploadId === "") fail("InvalidArgument", "uploadId must be a non-empty string", context);
}
