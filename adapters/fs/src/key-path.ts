/**
 * Key → path: the reversible encoding that turns any key into a file under a store's directory,
 * and the ordered walk that turns the directory tree back into keys.
 *
 * A key is stored under the lower-case hex of its UTF-8 bytes, cut into levels of
 * {@link LEVEL_HEX_CHARS} characters: every level but the last is a directory `<hex>.d`, the
 * last is the file `<hex>.v`. So:
 * - every name is `[0-9a-f]+` plus a two-character suffix: no `/`, `\`, `.`/`..`, no
 *   upper case (nothing to collide on a case-insensitive file system), no Windows reserved
 *   name (`CON`, `NUL`, `COM1`… need letters past `f`), no trailing dot or space;
 * - no name is longer than 130 bytes, under every common file system's 255-byte limit and
 *   eCryptfs' 143, whatever the key's length;
 * - `a` (`61.v`) and `a/…` (`612f….v`) are distinct files, and a key whose hex fills a level
 *   exactly (`<128 hex>.v`) sits beside the directory of longer keys (`<128 hex>.d`);
 * - hex keeps byte order: comparing two keys' hex strings compares their UTF-8 bytes, and a
 *   key prefix is a hex prefix. Listings sort names, never trust directory order, and can
 *   descend straight into the one directory a long prefix names.
 * Anything else in a directory (temp files, foreign files) is not a key and is never listed.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";

/** Hex characters per level: 64 key bytes, so a name is at most 130 bytes long. */
export const LEVEL_HEX_CHARS = 128;

const FILE_SUFFIX = ".v";
const DIR_SUFFIX = ".d";
const FILE_NAME = /^([0-9a-f]{2}(?:[0-9a-f]{2})*)\.v$/;
const DIR_NAME = new RegExp(`^([0-9a-f]{${LEVEL_HEX_CHARS}})\\.d$`);

/** The hex of a key's UTF-8 bytes; keys reaching here are valid (no lone surrogates). */
export function keyHex(key: string): string {
  return Buffer.from(key, "utf8").toString("hex");
}

/** The key a hex string encodes. */
export function hexKey(hex: string): string {
  return Buffer.from(hex, "hex").toString("utf8");
}

/** Where a key lives, relative to the store's directory: its directories and its file name. */
export interface KeyLocation {
  /** Directory names from the store's directory down (empty for keys up to 64 bytes). */
  dirs: string[];
  /** The file's name. */
  file: string;
}

/** The location of `key` (see the file comment for the encoding). */
export function keyLocation(key: string): KeyLocation {
  const hex = keyHex(key);
  const dirs: string[] = [];
  let at = 0;
  while (hex.length - at > LEVEL_HEX_CHARS) {
    dirs.push(hex.slice(at, at + LEVEL_HEX_CHARS) + DIR_SUFFIX);
    at += LEVEL_HEX_CHARS;
  }
  return { dirs, file: hex.slice(at) + FILE_SUFFIX };
}

/** The absolute directory and file path of `key` under `base`. */
export function keyPaths(base: string, key: string): { dir: string; file: string } {
  const location = keyLocation(key);
  const dir = location.dirs.length === 0 ? base : join(base, ...location.dirs);
  return { dir, file: join(dir, location.file) };
}

/** One key found by {@link walkKeys}. */
export interface FoundKey {
  /** The key. */
  key: string;
  /** Its hex (see {@link keyHex}). */
  hex: string;
  /** The absolute path of its file. */
  path: string;
}

/** Where a walk starts and what it keeps. */
export interface WalkOptions {
  /** Only keys starting with this prefix; default all. */
  prefix?: string;
  /** Only keys after this one (in UTF-8 byte order); default from the first. */
  after?: string;
}

interface Entry {
  /** Hex of the key (file) or of the prefix every key below it shares (directory). */
  hex: string;
  isDir: boolean;
  path: string;
}

/**
 * The keys under `base` in ascending UTF-8 byte order, read a directory at a time as the
 * iteration proceeds. Directories removed while the walk is under way read as empty; keys
 * written meanwhile appear when the walk reaches their place, so a key that exists for the
 * whole walk is yielded exactly once.
 */
export async function* walkKeys(base: string, options: WalkOptions = {}): AsyncGenerator<FoundKey> {
  const prefix = keyHex(options.prefix ?? "");
  const after = options.after === undefined ? undefined : keyHex(options.after);
  yield* walkLevel(base, "", prefix, after);
}

async function* walkLevel(dir: string, above: string, prefix: string, after: string | undefined): AsyncGenerator<FoundKey> {
  // A prefix reaching past this level names exactly one directory: no need to read this one.
  if (prefix.length > above.length + LEVEL_HEX_CHARS) {
    const hex = prefix.slice(0, above.length + LEVEL_HEX_CHARS);
    if (after === undefined || after.startsWith(hex) || after < hex) {
      yield* walkLevel(join(dir, hex.slice(above.length) + DIR_SUFFIX), hex, prefix, after);
    }
    return;
  }
  for (const entry of await levelEntries(dir, above)) {
    if (entry.isDir) {
      // Every key below has `entry.hex` as a proper prefix.
      const inPrefix = entry.hex.startsWith(prefix) || prefix.startsWith(entry.hex);
      const pastAfter = after === undefined || after < entry.hex || after.startsWith(entry.hex);
      if (inPrefix && pastAfter) yield* walkLevel(entry.path, entry.hex, prefix, after);
    } else if (entry.hex.startsWith(prefix) && (after === undefined || entry.hex > after)) {
      yield { key: hexKey(entry.hex), hex: entry.hex, path: entry.path };
    }
  }
}

/**
 * The key files and key directories of one level, in key order: by name, a file before the
 * directory of the same name (the key is a proper prefix of every key below the directory).
 */
async function levelEntries(dir: string, above: string): Promise<Entry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
  const entries: Entry[] = [];
  for (const name of names) {
    const file = FILE_NAME.exec(name);
    if (file !== null && file[1]!.length <= LEVEL_HEX_CHARS) {
      entries.push({ hex: above + file[1], isDir: false, path: join(dir, name) });
      continue;
    }
    const sub = DIR_NAME.exec(name);
    if (sub !== null) entries.push({ hex: above + sub[1], isDir: true, path: join(dir, name) });
  }
  // Hex is ASCII, so `<` on the strings is byte order.
  return entries.sort((a, b) => (a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : Number(a.isDir) - Number(b.isDir)));
}

/** Whether `err` is a file system "no such file or directory". */
export function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

/** Whether `name` is a key directory's name (the open-time sweep descends only into these). */
export function isKeyDirName(name: string): boolean {
  return DIR_NAME.test(name);
}
