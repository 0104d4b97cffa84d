/**
 * The errors the memory stores raise, one constructor per condition, with the status and
 * provider code the provider the default manifest stands in for (ESA Edge KV, KS3/S3) answers
 * with, so a caller's error handling sees the same fields on memory as on the wire.
 */
import { StorageError } from "@stowage/core";

/** Where an error happened. */
export interface ErrorContext {
  operation: string;
  key?: string;
}

function at(context: ErrorContext): { operation: string; key?: string } {
  return context.key === undefined ? { operation: context.operation } : { operation: context.operation, key: context.key };
}

/** ESA `404 InvalidNameSpace.NotFound`. */
export function namespaceNotFound(namespace: string, context: ErrorContext): StorageError {
  return new StorageError({
    code: "NamespaceNotFound",
    httpStatus: 404,
    providerCode: "InvalidNameSpace.NotFound",
    message: `The namespace "${namespace}" does not exist`,
    ...at(context),
  });
}

/** ESA `403 InvalidKey.ExceedsCapacity`: "The maximum capacity of a single namespace cannot exceed 1 GB." */
export function namespaceFull(namespace: string, capacity: number, context: ErrorContext): StorageError {
  return new StorageError({
    code: "QuotaExceeded",
    httpStatus: 403,
    providerCode: "InvalidKey.ExceedsCapacity",
    message: `The write would take namespace "${namespace}" past its capacity of ${capacity} bytes`,
    ...at(context),
  });
}

/** An argument the store refuses (400). */
export function invalidArgument(message: string, context: ErrorContext, providerCode = "InvalidArgument"): StorageError {
  return new StorageError({ code: "InvalidArgument", httpStatus: 400, providerCode, message, ...at(context) });
}

/** S3-family `404 NoSuchBucket`. */
export function bucketNotFound(bucket: string, context: ErrorContext): StorageError {
  return new StorageError({
    code: "BucketNotFound",
    httpStatus: 404,
    providerCode: "NoSuchBucket",
    message: `The specified bucket "${bucket}" does not exist`,
    ...at(context),
  });
}

/** S3-family `404 NoSuchKey`. */
export function objectNotFound(context: ErrorContext): StorageError {
  return new StorageError({ code: "NotFound", httpStatus: 404, providerCode: "NoSuchKey", message: "The specified key does not exist", ...at(context) });
}

/** S3-family `404 NoSuchUpload` (seed UploadPartCopy: "the upload ID is invalid, or the block upload task has been completed or abandoned"). */
export function uploadNotFound(context: ErrorContext): StorageError {
  return new StorageError({
    code: "UploadNotFound",
    httpStatus: 404,
    providerCode: "NoSuchUpload",
    message: "The specified multipart upload does not exist: the upload ID is invalid, or the upload was completed or aborted",
    ...at(context),
  });
}

/** KS3 `400 InvalidPartNum` ("块号范围[1,10000]"). */
export function invalidPartNumber(partNumber: number, min: number, max: number, context: ErrorContext): StorageError {
  return new StorageError({
    code: "InvalidPartNumber",
    httpStatus: 400,
    providerCode: "InvalidPartNum",
    message: `Part number ${partNumber} is not an integer in ${min}..${max}`,
    ...at(context),
  });
}

/** `400 InvalidPartOrder`: the Complete list is empty, not ascending, or (KS3) not contiguous. */
export function invalidPartOrder(message: string, context: ErrorContext): StorageError {
  return new StorageError({ code: "InvalidPartOrder", httpStatus: 400, providerCode: "InvalidPartOrder", message, ...at(context) });
}

/** `400 InvalidPart`: a listed part was not uploaded, or its ETag does not match. */
export function invalidPart(partNumber: number, context: ErrorContext): StorageError {
  return new StorageError({
    code: "InvalidPart",
    httpStatus: 400,
    providerCode: "InvalidPart",
    message: `Part ${partNumber} was not uploaded, or its ETag does not match the uploaded part`,
    ...at(context),
  });
}

/** `400 EntityTooSmall`: a part other than the last is below the minimum part size. */
export function entityTooSmall(partNumber: number, size: number, min: number, context: ErrorContext): StorageError {
  return new StorageError({
    code: "EntityTooSmall",
    httpStatus: 400,
    providerCode: "EntityTooSmall",
    message: `Part ${partNumber} has ${size} bytes; every part but the last needs at least ${min}`,
    ...at(context),
  });
}

/** `400 EntityTooLarge`: a body, part or copy source above the manifest's limit. */
export function entityTooLarge(max: number, what: string, context: ErrorContext): StorageError {
  return new StorageError({
    code: "EntityTooLarge",
    httpStatus: 400,
    providerCode: "EntityTooLarge",
    message: `The ${what} is larger than the ${max} bytes allowed`,
    ...at(context),
  });
}
