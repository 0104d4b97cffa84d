// Self-checking contents for the crash test: a value names its key and version and is filled
// deterministically from them, so a reader can tell a whole value from a torn or mixed one.
import { createHash } from "node:crypto";

/** The keys each kind of operation overwrites (a long key included, to cross a directory level). */
export const CRASH_KV_KEYS = ["kv/a", "kv/b", "kv/é", `kv/${"long".repeat(40)}`];
/** Keys written by single PUTs. */
export const CRASH_OBJECT_KEYS = ["put/a", "put/b", `put/${"long".repeat(40)}`];
/** Keys written by multipart Complete. */
export const CRASH_MULTIPART_KEYS = ["mp/a", "mp/b"];

/**
 * `size` bytes: a header `<key>@<version>#<size>\n`, then the header's SHA-256 repeated. Two
 * versions differ in every block, so a torn, zeroed or mixed value never passes.
 */
export function crashContent(key, version, size) {
  const header = Buffer.from(`${key}@${version}#${size}\n`, "utf8");
  const out = Buffer.alloc(Math.max(size, header.byteLength));
  header.copy(out);
  if (out.byteLength > header.byteLength) out.fill(createHash("sha256").update(header).digest(), header.byteLength);
  return out;
}

/** The version a content claims, and whether it is exactly the content of that version. */
export function checkCrashContent(key, input) {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const end = bytes.indexOf(10);
  const match = /^(.*)@(.*)#(\d+)$/.exec(bytes.subarray(0, end < 0 ? 0 : end).toString("utf8"));
  if (match === null || match[1] !== key) return { version: undefined, whole: false };
  const version = match[2];
  return { version, whole: crashContent(key, version, Number(match[3])).equals(bytes) };
}
