/**
 * Writes that survive `kill -9` and power loss: a file is written under a temporary name,
 * fsynced, renamed over the old one, and the directory fsynced, so a reader after a crash
 * finds either the old or the new content, never a torn mix (rename(2) is atomic; the
 * directory fsync makes the rename itself durable). One implementation for every package that
 * writes to disk (the emulators' state, the fs adapter's directories).
 */
import { open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";

/** Suffix of the temporary files {@link writeFileDurably} leaves behind if killed mid-write. */
export const DURABLE_TEMP_SUFFIX = ".tmp";

/** fsyncs a directory, making the creation, rename or removal of its entries durable. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `path` with `data` atomically and durably (temporary file, fsync, rename, fsync of the directory). */
export async function writeFileDurably(path: string, data: string | Uint8Array): Promise<void> {
  const temp = `${path}${DURABLE_TEMP_SUFFIX}`;
  const handle = await open(temp, "w");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  await rename(temp, path);
  await fsyncDirectory(dirname(path));
}
