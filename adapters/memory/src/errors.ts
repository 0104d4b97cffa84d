/**
 * The errors the memory stores raise: one table of codes with the status and provider code
 * the provider the default manifest stands in for (ESA Edge KV, KS3/S3) answers with, so a
 * caller's error handling sees the same fields on memory as on the wire. The object conditions
 * are worded once, in core's `emulatedErrors`; only the KV and bucket ones are worded here.
 */
import { emulatedErrors, type EmulatedErrorTable, type ErrorContext, type StorageError } from "@stowage/core";

/** The codes memory raises beyond the object ones every emulating store has. */
type MemoryOnlyCode = "NamespaceNotFound" | "QuotaExceeded" | "BucketNotFound";

/**
 * The one table: each code the memory stores raise, with the HTTP status and provider code of
 * the provider its default manifest stands in for. KV rows are ESA Edge KV's (esa-kv-api.md
 * §1.4), object rows KS3's / S3's (ks3-api.md §3.2).
 */
const ROWS = {
  NamespaceNotFound: { httpStatus: 404, providerCode: "InvalidNameSpace.NotFound" },
  // ESA: "The maximum capacity of a single namespace cannot exceed 1 GB."
  QuotaExceeded: { httpStatus: 403, providerCode: "InvalidKey.ExceedsCapacity" },
  InvalidArgument: { httpStatus: 400, providerCode: "InvalidArgument" },
  BucketNotFound: { httpStatus: 404, providerCode: "NoSuchBucket" },
  NotFound: { httpStatus: 404, providerCode: "NoSuchKey" },
  // Seed UploadPartCopy: "the upload ID is invalid, or the block upload task has been completed or abandoned".
  UploadNotFound: { httpStatus: 404, providerCode: "NoSuchUpload" },
  // KS3 "块号范围[1,10000]" (part number range [1,10000]).
  InvalidPartNumber: { httpStatus: 400, providerCode: "InvalidPartNum" },
  InvalidPartOrder: { httpStatus: 400, providerCode: "InvalidPartOrder" },
  InvalidPart: { httpStatus: 400, providerCode: "InvalidPart" },
  EntityTooSmall: { httpStatus: 400, providerCode: "EntityTooSmall" },
  EntityTooLarge: { httpStatus: 400, providerCode: "EntityTooLarge" },
} as const satisfies EmulatedErrorTable<MemoryOnlyCode>;

/** The memory stores' error constructors over the table, for core's emulated-store checks. */
export const memoryErrors = emulatedErrors<MemoryOnlyCode>(ROWS);

export const { invalidArgument, objectNotFound, uploadNotFound, invalidPartNumber, invalidPartOrder, invalidPart, entityTooSmall, entityTooLarge } = memoryErrors;

/** The namespace was deleted. */
export function namespaceNotFound(namespace: string, context: ErrorContext): StorageError {
  return memoryErrors.raise("NamespaceNotFound", `The namespace "${namespace}" does not exist`, context);
}

/** The write would take the namespace past its capacity. */
export function namespaceFull(namespace: string, capacity: number, context: ErrorContext): StorageError {
  return memoryErrors.raise("QuotaExceeded", `The write would take namespace "${namespace}" past its capacity of ${capacity} bytes`, context);
}

/** The bucket does not exist (or was dropped). */
export function bucketNotFound(bucket: string, context: ErrorContext): StorageError {
  return memoryErrors.raise("BucketNotFound", `The specified bucket "${bucket}" does not exist`, context);
}
