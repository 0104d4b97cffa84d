/**
 * Local files for the storage commands: walking a directory for `cp -r`, and writing a
 * whole value so that a crash leaves the old file or the new one, never half of it.
 */
import { randomBytes } from "node:crypto";
import { open, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";

/** Every regular file under `root`, as paths relative to it with `/` separators, sorted. */
export async function walkFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile()) found.push(relative(root, path).split(sep).join("/"));
    }
  };
  await visit(root);
  return found.sort();
}

/**
 * Writes `bytes` to `path` through a temporary file in the same directory: write, fsync,
 * rename over `path`, fsync the directory. (A rename within one directory is atomic on POSIX
 * file systems; the directory fsync makes the rename itself durable.)
 */
export async function writeFileAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temporary = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.stowage-tmp`);
  const file = await open(temporary, "wx");
  try {
    await file.writeFile(bytes);
    await file.sync();
  } catch (err) {
    await file.close();
    await rm(temporary, { force: true });
    throw err;
  }
  await file.close();
  try {
    await rename(temporary, path);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
  const directory = await open(dir, "r");
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/**
 * The local path for a store key below `root`, or undefined when the key would leave `root`
 * (`..` segments, an absolute path) or names a directory: such keys are not written.
 */
export function localPathFor(root: string, relativeKey: string): string | undefined {
  const segments = relativeKey.split("/");
  if (relativeKey === "" || relativeKey.endsWith("/") || segments.some((s) => s === ".." || s === "." || s === "")) return undefined;
  return join(root, ...segments);
}
