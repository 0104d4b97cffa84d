/**
 * Listing pages of an embedded store: their size and their cursors. A cursor names the last
 * entry a page returned (never an offset or a directory position), so keys written or deleted
 * between pages cannot shift the next page: every entry that exists for the whole listing is
 * returned exactly once. The encoding is opaque to callers.
 */
import { StorageError } from "./storage-error.js";

/** Which listing a cursor belongs to; a cursor of one listing is refused by the others. */
export type ListCursorKind = "kv" | "objects" | "parts" | "uploads";

/** One field of a cursor's position. */
export type ListCursorField = string | number | boolean;

/** The type a field of a decoded cursor must have, as `typeof` names it. */
export type ListCursorFieldType = "string" | "number" | "boolean";

/**
 * Encodes a listing position as an opaque cursor. `issuer` names the store that issues it
 * (e.g. `fs`, `memory`), so one store refuses a cursor another issued.
 */
export function encodeListCursor(issuer: string, kind: ListCursorKind, position: readonly ListCursorField[]): string {
  return Buffer.from(JSON.stringify([issuer, kind, ...position]), "utf8").toString("base64url");
}

/**
 * Decodes a cursor issued by {@link encodeListCursor} for the same issuer and listing; `shape`
 * lists the expected type of each field. Raises `InvalidArgument` (HTTP 400, as S3 answers a
 * continuation token it did not issue) for anything else.
 */
export function decodeListCursor(
  issuer: string,
  kind: ListCursorKind,
  cursor: string,
  shape: readonly ListCursorFieldType[],
  operation: string,
): ListCursorField[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.length === shape.length + 2 &&
    parsed[0] === issuer &&
    parsed[1] === kind &&
    shape.every((type, i) => typeof parsed[i + 2] === type);
  if (!valid) {
    throw new StorageError({ code: "InvalidArgument", httpStatus: 400, providerCode: "InvalidArgument", message: "The cursor was not issued by this listing", operation });
  }
  return (parsed as ListCursorField[]).slice(2);
}

/**
 * The size of one page: the requested limit, else `fallback`, kept within 1..`max`. The
 * facade already refuses limits outside the manifest; the clamp keeps a driver called
 * directly from returning an empty page with a cursor, which would page forever.
 */
export function listPageSize(requested: number | undefined, fallback: number, max: number): number {
  return Math.max(1, Math.min(requested ?? fallback, max));
}
