/**
 * The errors the memory stores raise: one table of codes with the status and provider code
 * the provider the default manifest stands in for (ESA Edge KV, KS3/S3) answers with, so a
 * caller's error handling sees the same fields on memory as on the wire; then one constructor
 * per condition, which only words the message.
 */
import { StorageError, type ErrorContext, type StorageErrorCode } from "@stowage/core";

function at(context: ErrorContext): { operation: string; key?: string } {
  return context.key === undefined ? { operation: context.operation } : { operation: context.operation, key: context.key };
}

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
} as const satisfies Partial<Record<StorageErrorCode, { httpStatus: number; providerCode: string }>>;

function raise(code: keyof typeof ROWS, message: string, context: ErrorContext, providerCode: string = ROWS[code].providerCode): StorageError {
  return new StorageError({ code, httpStatus: ROWS[code].httpStatus, providerCode, message, ...at(context) });
}

/** The namespace was deleted. */
export function namespaceNotFound(namespace: string, context: ErrorContext): StorageError {
  return raise("NamespaceNotFound", `The namespace "${namespace}" does not exist`, context);
}

/** The write would take the namespace past its capacity. */
export function namespaceFull(namespace: string, capacity: number, context: ErrorContext): StorageError {
  return raise("QuotaExceeded", `The write would take namespace "${namespace}" past its capacity of ${capacity} bytes`, context);
}

/** An argument the store refuses; `providerCode` names the provider's own code where it has one (e.g. `InvalidRequest`). */
export function invalidArgument(message: string, context: ErrorContext, providerCode = "InvalidArgument"): StorageError {
  return raise("InvalidArgument", message, context, providerCode);
}

/** The bucket does not exist (or was dropped). */
export function bucketNotFound(bucket: string, context: ErrorContext): StorageError {
  return raise("BucketNotFound", `The specified bucket "${bucket}" does not exist`, context);
}

/** The object does not exist. */
export function objectNotFound(context: ErrorContext): StorageError {
  return raise("NotFound", "The specified key does not exist", context);
}

/** The upload id is unknown, completed or aborted. */
export function uploadNotFound(context: ErrorContext): StorageError {
  return raise("UploadNotFound", "The specified multipart upload does not exist: the upload ID is invalid, or the upload was completed or aborted", context);
}

/** A part number outside the manifest's range. */
export function invalidPartNumber(partNumber: number, min: number, max: number, context: ErrorContext): StorageError {
  return raise("InvalidPartNumber", `Part number ${partNumber} is not an integer in ${min}..${max}`, context);
}

/** The Complete list is empty, not ascending, or (KS3) not contiguous. */
export function invalidPartOrder(message: string, context: ErrorContext): StorageError {
  return raise("InvalidPartOrder", message, context);
}

/** A listed part was not uploaded, or its ETag does not match. */
export function invalidPart(partNumber: number, context: ErrorContext): StorageError {
  return raise("InvalidPart", `Part ${partNumber} was not uploaded, or its ETag does not match the uploaded part`, context);
}

/** A part other than the last is below the minimum part size. */
export function entityTooSmall(partNumber: number, size: number, min: number, context: ErrorContext): StorageError {
  return raise("EntityTooSmall", `Part ${partNumber} has ${size} bytes; every part but the last needs at least ${min}`, context);
}

/** A body, part or copy source above the manifest's limit. */
export function entityTooLarge(max: number, what: string, context: ErrorContext): StorageError {
  return raise("EntityTooLarge", `The ${what} is larger than the ${max} bytes allowed`, context);
}
