/**
 * The state as a JSON file beside the blobs (`<dataDir>/state.json`), so an emulator started
 * with `--data-dir` finds its buckets and objects again. Writes are serialized and atomic
 * (write a temporary file, then rename).
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
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
  private queue: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, "state.json");
  }

  /** The saved state, or an empty one when there is none yet. */
  async load(): Promise<EmulatorState> {
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

  /** Queues a save of the state as it is now; resolves when it is on disk. */
  save(state: EmulatorState): Promise<void> {
    const json: StateJson = {
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
    const text = JSON.stringify(json);
    const tmp = `${this.path}.tmp`;
    // Chained after the previous save whether it failed or not: one failed write (a full
    // disk) must fail its own request only, not every save after it.
    const saved = this.queue.catch(() => undefined).then(async () => {
      await writeFile(tmp, text);
      await rename(tmp, this.path);
    });
    this.queue = saved;
    return saved;
  }
}
