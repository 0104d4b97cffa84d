/** The state file: one failed save does not poison the saves after it. */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { EmulatorState } from "./state.js";
import { StateFile } from "./state-file.js";

const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

test("save() after a failed save() still writes the state, and load() reads it back", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "ks3-state-"));
  dirs.push(dataDir);
  const file = new StateFile(dataDir);
  const state = new EmulatorState();
  state.addBucket("kept", 1);
  // A directory where the temporary file goes makes the first write fail (EISDIR).
  await mkdir(join(dataDir, "state.json.tmp"));
  await expect(file.save(state)).rejects.toThrow();
  await rm(join(dataDir, "state.json.tmp"), { recursive: true });
  await file.save(state);
  expect([...(await new StateFile(dataDir).load()).buckets.keys()]).toEqual(["kept"]);
});
