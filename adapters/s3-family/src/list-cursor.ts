import { StorageError } from "@stowage/core";

/**
 * Opaque listing cursors. S3 markers are plain strings, so any string would be a "valid"
 * marker; the contract wants a cursor the store never issued rejected with `InvalidArgument`.
 * A cursor is therefore the listing's kind and its markers, JSON in base64url behind a tag.
 */
export type ListCursorKind = "objects" | "parts" | "uploads";

const TAG = "s3c1.";

/** Encodes the markers of one listing page as a cursor. */
export function formatListCursor(kind: ListCursorKind, markers: readonly string[]): string {
  return TAG + Buffer.from(JSON.stringify([kind, ...markers]), "utf8").toString("base64url");
}

/**
 * Decodes a cursor from {@link formatListCursor} for `kind`, expecting `count` markers.
 * Raises `InvalidArgument` for anything else.
 */
export function parseListCursor(kind: ListCursorKind, cursor: string, count: number, operation: string): string[] {
  let value: unknown;
  try {
    value = cursor.startsWith(TAG) ? JSON.parse(Buffer.from(cursor.slice(TAG.length), "base64url").toString("utf8")) : undefined;
  } catch {
    value = undefined;
  }
  if (Array.isArray(value) && value.length === count + 1 && value[0] === kind && value.every((v) => typeof v === "string")) {
    return value.slice(1) as string[];
  }
  throw new StorageError({ code: "InvalidArgument", message: `${operation}: cursor was not issued by ${operation}`, operation });
}
