/**
 * The state as a JSON file beside the blobs (`<dataDir>/state.json`), so an emulator started
 * with `--data-dir` finds its buckets and objects again. Writes are serialized, coalesced and
 * durable (temporary file, fsync, rename, fsync of the directory: core's writeFileDurably).
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { DURABLE_TEMP_SUFFIX, writeFileDurably } from "@stowage/core";
import { EmulatorState, type CompletedUpload, type StoredObject, type StoredPart, type StoredUpload } from "./state.js";

interface UploadJson extends Omit<StoredUpload, "parts"> {
  parts: StoredPart[];
}

interface BucketJson {
  name: string;
  created: number;
  objects: StoredObject[];
  uploads: UploadJson[];
  aborted: string[];
  completed: Array<[string, CompletedUpload]>;
}

interface StateJson {
  version: 1;
  buckets: BucketJson[];
}

/** Saves and loads the state of one data directory. */
export class StateFile {
  private readonly path: string;
  /** The save being written now. */
  private writing: Promise<void> | undefined;
  /** The one save queued behind it, which every caller arriving meanwhile shares. */
  private queued: Promise<void> | undefined;

  constructor(dataDir: string) {
    this.path = join(dataDir, "state.json");
  }

  /** The saved state, or an empty one when there is none yet. */
  async load(): Promise<EmulatorState> {
    // A save killed before its rename leaves its temporary file; the state it held was never acknowledged.
    await rm(`${this.path}${DURABLE_TEMP_SUFFIX}`, { force: true });
    const state = new EmulatorState();
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return state;
      throw err;
    }
    const json = JSON.parse(text) as StateJson;
    for (const b of json.buckets) {
      state.buckets.set(b.name, {
        name: b.name,
        created: b.created,
        objects: new Map(b.objects.map((o) => [o.key, o])),
        uploads: new Map(b.uploads.map((u) => [u.uploadId, { ...u, parts: new Map(u.parts.map((p) => [p.partNumber, p])) }])),
        aborted: new Set(b.aborted),
        completed: new Map(b.completed),
      });
    }
    return state;
  }

  /**
   * Resolves once a snapshot of the state taken after this call is on disk. Saves coalesce:
   * while one is being written, every caller waits for the single next one, which snapshots
   * the state when it starts, so it holds every change made before any of those calls.
   */
  save(state: EmulatorState): Promise<void> {
    if (this.writing === undefined) {
      const writing = this.write(state).finally(() => {
        if (this.writing === writing) this.writing = undefined;
      });
      this.writing = writing;
      return writing;
    }
    // Chained after the current save whether it failed or not: one failed write (a full
    // disk) must fail its own requests only, not every save after it.
    this.queued ??= this.writing
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.save(state);
      });
    return this.queued;
  }

  private async write(state: EmulatorState): Promise<void> {
    await writeFileDurably(this.path, JSON.stringify(toJson(state)));
  }
}

function toJson(state: EmulatorState): StateJson {
  return {
    version: 1,
    buckets: [...state.buckets.values()].map((b) => ({
      name: b.name,
      created: b.created,
      objects: [...b.objects.values()],
      uploads: [...b.uploads.values()].map((u) => ({ ...u, parts: [...u.parts.values()] })),
      aborted: [...b.aborted],
      completed: [...b.completed],
    })),
  };
}

/** The ids of every blob the state refers to: objects' blobs and uploaded parts. */
export function referencedBlobIds(state: EmulatorState): Set<string> {
  const ids = new Set<string>();
  for (const bucket of state.buckets.values()) {
    for (const object of bucket.objects.values()) for (const blob of object.blobs) ids.add(blob.id);
    for (const upload of bucket.uploads.values()) for (const part of upload.parts.values()) ids.add(part.blob.id);
  }
  return ids;
}
