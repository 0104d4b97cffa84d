/**
 * The errors of a store that emulates a provider in process (memory, fs): each condition worded
 * once, raised with the HTTP status and provider code the emulated provider answers with, so
 * error handling written against the embedded store sees the same fields as on the wire. Each
 * adapter keeps only its own table of statuses and codes.
 */
import type { ErrorContext } from "./error-context.js";
import { StorageError, type StorageErrorCode } from "./storage-error.js";

/** The HTTP status and provider code the emulated provider answers a condition with. */
export interface EmulatedErrorRow {
  /** The provider's HTTP status, e.g. 404. */
  readonly httpStatus: number;
  /** The provider's own error code, e.g. `NoSuchKey`. */
  readonly providerCode: string;
}

/** The codes every emulated object store raises; each needs a row in its table. */
export const EMULATED_OBJECT_ERROR_CODES = [
  "InvalidArgument",
  "NotFound",
  "UploadNotFound",
  "InvalidPartNumber",
  "InvalidPartOrder",
  "InvalidPart",
  "EntityTooSmall",
  "EntityTooLarge",
] as const satisfies readonly StorageErrorCode[];

/** One of {@link EMULATED_OBJECT_ERROR_CODES}. */
export type EmulatedObjectErrorCode = (typeof EMULATED_OBJECT_ERROR_CODES)[number];

/** An emulating store's one table: a row for each object code, and for any other code it raises. */
export type EmulatedErrorTable<Extra extends StorageErrorCode = never> = Readonly<Record<EmulatedObjectErrorCode | Extra, EmulatedErrorRow>>;

/** The error constructors {@link emulatedErrors} builds over a table. */
export interface EmulatedErrors<Extra extends StorageErrorCode = never> {
  /** Any code of the table, with its row's status; `providerCode` overrides the row's. */
  raise(code: EmulatedObjectErrorCode | Extra, message: string, context: ErrorContext, providerCode?: string): StorageError;
  /** An argument the store refuses; `providerCode` names the provider's own code where it has one (e.g. `InvalidRequest`). */
  invalidArgument(message: string, context: ErrorContext, providerCode?: string): StorageError;
  /** The object does not exist. */
  objectNotFound(context: ErrorContext): StorageError;
  /** The upload id is unknown, completed or aborted. */
  uploadNotFound(context: ErrorContext): StorageError;
  /** A part number outside the manifest's range. */
  invalidPartNumber(partNumber: number, min: number, max: number, context: ErrorContext): StorageError;
  /** The Complete list is empty, not ascending, or (where the manifest says so) not contiguous. */
  invalidPartOrder(message: string, context: ErrorContext): StorageError;
  /** A listed part was not uploaded, or its ETag does not match. */
  invalidPart(partNumber: number, context: ErrorContext): StorageError;
  /** A part other than the last is below the minimum part size. */
  entityTooSmall(partNumber: number, size: number, min: number, context: ErrorContext): StorageError;
  /** A body, part or copy source above the manifest's limit. */
  entityTooLarge(max: number, what: string, context: ErrorContext): StorageError;
}

/** The error constructors of an emulating store over its `table`. */
export function emulatedErrors<Extra extends StorageErrorCode = never>(table: EmulatedErrorTable<Extra>): EmulatedErrors<Extra> {
  const raise = (code: EmulatedObjectErrorCode | Extra, message: string, context: ErrorContext, providerCode?: string): StorageError => {
    const row = table[code];
    return new StorageError({
      code,
      httpStatus: row.httpStatus,
      providerCode: providerCode ?? row.providerCode,
      message,
      operation: context.operation,
      ...(context.key === undefined ? {} : { key: context.key }),
    });
  };
  return {
    raise,
    invalidArgument: (message, context, providerCode) => raise("InvalidArgument", message, context, providerCode),
    objectNotFound: (context) => raise("NotFound", "The specified key does not exist", context),
    uploadNotFound: (context) =>
      raise("UploadNotFound", "The specified multipart upload does not exist: the upload ID is invalid, or the upload was completed or aborted", context),
    invalidPartNumber: (partNumber, min, max, context) => raise("InvalidPartNumber", `Part number ${partNumber} is not an integer in ${min}..${max}`, context),
    invalidPartOrder: (message, context) => raise("InvalidPartOrder", message, context),
    invalidPart: (partNumber, context) => raise("InvalidPart", `Part ${partNumber} was not uploaded, or its ETag does not match the uploaded part`, context),
    entityTooSmall: (partNumber, size, min, context) =>
      raise("EntityTooSmall", `Part ${partNumber} has ${size} bytes; every part but the last needs at least ${min}`, context),
    entityTooLarge: (max, what, context) => raise("EntityTooLarge", `The ${what} is larger than the ${max} bytes allowed`, context),
  };
}
