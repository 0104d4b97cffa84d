/**
 * The errors the fs stores raise: one table of codes with the status and provider code an
 * S3-family server answers with (the object manifest is S3's), so error handling written
 * against fs sees the same fields as on the wire. The conditions are worded once, in core's
 * `emulatedErrors`; only the file system's own failure is worded here.
 */
import { StorageError, emulatedErrors, type EmulatedErrorTable, type ErrorContext } from "@stowage/core";

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
} as const satisfies EmulatedErrorTable;

/** The fs stores' error constructors over the table, for core's emulated-store checks. */
export const fsErrors = emulatedErrors(ROWS);

export const { invalidArgument, objectNotFound, uploadNotFound, invalidPartNumber, invalidPartOrder, invalidPart, entityTooSmall, entityTooLarge } = fsErrors;

/**
 * A file system failure (disk full, permission denied, …): `Internal` with the system error as
 * `cause`. The message names the operation and errno code only; paths stay in `cause`.
 */
export function fileSystemError(err: unknown, context: ErrorContext): StorageError {
  if (err instanceof StorageError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? "unknown";
  return new StorageError({
    code: "Internal",
    message: `The file system refused ${context.operation} (${code})`,
    cause: err,
    operation: context.operation,
    ...(context.key === undefined ? {} : { key: context.key }),
  });
}
