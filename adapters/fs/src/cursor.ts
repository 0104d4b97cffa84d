/**
 * Listing pages: their size and their cursors. A cursor names the last entry a page returned
 * (never an offset or a directory position), so keys written or deleted between pages cannot
 * shift the next page: every entry that exists for the whole listing is returned exactly once.
 * The encoding is opaque to callers.
 */
import { invalidArgument } from "./errors.js";

/** Which listing a cursor belongs to; a cursor of one listing is refused by the others. */
export type CursorKind = "kv" | "objects" | "parts" | "uploads";

/** One field of a cursor's position. */
export type CursorField = string | number | boolean;

/** Encodes a listing position as an opaque cursor. */
export function encodeCursor(kind: CursorKind, position: readonly CursorField[]): string {
  return Buffer.from(JSON.stringify(["fs", kind, ...position]), "utf8").toString("base64url");
}

/**
 * Decodes a cursor issued by {@link encodeCursor} for the same listing. `shape` lists the
 * expected type of each field. Anything else raises `InvalidArgument`.
 */
export function decodeCursor(
  kind: CursorKind,
  cursor: string,
  shape: ReadonlyArray<"string" | "number" | "boolean">,
  operation: string,
): CursorField[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.length === shape.length + 2 &&
    parsed[0] === "fs" &&
    parsed[1] === kind &&
    shape.every((type, i) => typeof parsed[i + 2] === type);
  if (!valid) throw invalidArgument("The cursor was not issued by this listing", { operation });
  return (parsed as CursorField[]).slice(2);
}

/**
 * The size of one page: the requested limit, else `fallback`, kept within 1..`max`. The
 * facade already refuses limits outside the manifest; the clamp keeps a driver called
 * directly from returning an empty page with a cursor, which would page forever.
 */
export function pageSize(requested: number | undefined, fallback: number, max: number): number {
  return Math.max(1, Math.min(requested ?? fallback, max));
}
