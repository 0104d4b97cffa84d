import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { DURABLE_TEMP_SUFFIX, writeFileDurably } from "@stowage/core";
import type { StoreSnapshot } from "./store.js";

const SNAPSHOT_NAME = "esa-kv.json";

/**
 * On-disk persistence with `dataDir`: one JSON snapshot (`esa-kv.json`, values in Base64),
 * rewritten atomically and durably (temp file, fsync, rename, fsync of the directory) after every mutating request and before that
 * request is answered, so an acknowledged write survives a restart or a crash. Concurrent
 * writes coalesce: while one snapshot is being written, later requests wait for the next.
 * A whole-file rewrite is O(data) per write; the emulator favours simplicity over speed here.
 */
export class SnapshotFile {
  private readonly path: string;
  private writing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly take: () => StoreSnapshot,
  ) {
    this.path = join(dir, SNAPSHOT_NAME);
  }

  /** Reads the snapshot, or undefined when the directory holds none yet. */
  async load(): Promise<StoreSnapshot | undefined> {
    await mkdir(this.dir, { recursive: true });
    // A write killed before its rename leaves its temporary file (`esa-kv.json.tmp`, or
    // `esa-kv.json.<pid>.tmp` from older versions); what it held was never acknowledged.
    for (const name of await readdir(this.dir)) {
      if (name.startsWith(`${SNAPSHOT_NAME}.`) && name.endsWith(DURABLE_TEMP_SUFFIX)) await rm(join(this.dir, name), { force: true });
    }
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    const snapshot = JSON.parse(text) as StoreSnapshot;
    if (snapshot.version !== 1) throw new Error(`${this.path}: unsupported snapshot version ${String(snapshot.version)}`);
    return snapshot;
  }

  /** Resolves once a snapshot taken after this call is on disk. */
  persist(): Promise<void> {
    if (!this.writing) {
      this.writing = this.write().finally(() => {
        this.writing = undefined;
      });
      return this.writing;
    }
    // A write is in flight and may predate our change: queue exactly one more after it.
    this.queued ??= this.writing
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.persist();
      });
    return this.queued;
  }

  private async write(): Promise<void> {
    await writeFileDurably(this.path, JSON.stringify(this.take()));
  }
}
