/**
 * The errors the fs stores raise: one table of codes with the status and provider code an
 * S3-family server answers with (the object manifest is S3's), so error handling written
 * against fs sees the same fields as on the wire; then one constructor per condition.
 */
import { StorageError, type ErrorContext, type StorageErrorCode } from "@stowage/core";

function at(context: ErrorContext): { operation: string; key?: string } {
  return context.key === undefined ? { operation: context.operation } : { operation: context.operation, key: context.key };
}

/** The one table: each code the fs stores raise, with S3's HTTP status and code for it. */
const ROWS = {
  InvalidArgument: { httpStatus: 400, providerCode: "InvalidArgument" },
  NotFound: { httpStatus: 404, providerCode: "NoSuchKey" },
  UploadNotFound: { httpStatus: 404, providerCode: "NoSuchUpload" },
  InvalidPartNumber: { httpStatus: 400, providerCode: "InvalidPartNumber" },
  InvalidPartOrder: { httpStatus: 400, providerCode: "InvalidPartOrder" },
  InvalidPart: { httpStatus: 400, providerCode: "InvalidPart" },
  EntityTooSmall: { httpStatus: 400, providerCode: "EntityTooSmall" },
  EntityTooLarge: { httpStatus: 400, providerCode: "EntityTooLarge" },
} as const satisfies Partial<Record<StorageErrorCode, { httpStatus: number; providerCode: string }>>;

function raise(code: keyof typeof ROWS, message: string, context: ErrorContext, providerCode: string = ROWS[code].providerCode): StorageError {
  return new StorageError({ code, httpStatus: ROWS[code].httpStatus, providerCode, message, ...at(context) });
}

/** An argument the store refuses; `providerCode` names S3's own code where it has one (e.g. `InvalidRequest`). */
export function invalidArgument(message: string, context: ErrorContext, providerCode = "InvalidArgument"): StorageError {
  return raise("InvalidArgument", message, context, providerCode);
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

/** The Complete list is empty, not ascending, or (where the manifest says so) not contiguous. */
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

/**
 * A file system failure (disk full, permission denied, …): `Internal` with the system error as
 * `cause`. The message names the operation and errno code only; paths stay in `cause`.
 */
export function fileSystemError(err: unknown, context: ErrorContext): StorageError {
  if (err instanceof StorageError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? "unknown";
  return new StorageError({ code: "Internal", message: `The file system refused ${context.operation} (${code})`, cause: err, ...at(context) });
}
