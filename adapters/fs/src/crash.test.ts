/**
 * Crash safety, with real processes: a child writes and overwrites KV values and objects
 * (single PUT and multipart Complete) and is SIGKILLed at a random moment, round after round.
 * After each kill the stores are reopened and every key must hold exactly the content of its
 * last acknowledged write or of the write in flight at the kill, whole, and no temp file may
 * survive the reopen. The child runs the built package: `pnpm build` first.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { readBytes } from "@stowage/core";
import { createFsKeyValueStore, createFsObjectStore } from "./index.js";
import { CRASH_KV_KEYS, CRASH_MULTIPART_KEYS, CRASH_OBJECT_KEYS, checkCrashContent } from "./test-crash-content.mjs";
import { freshRoot } from "./test-fs-subjects.js";

const CHILD = fileURLToPath(new URL("./test-crash-child.mjs", import.meta.url));
const DIST = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const ROUNDS = 22;

const sandboxes: string[] = [];
afterAll(async () => {
  for (const dir of sandboxes) await rm(dir, { recursive: true, force: true });
});

interface LogLine {
  t: "ready" | "begin" | "ack";
  key?: string;
  version?: string;
}

async function readLog(path: string): Promise<LogLine[]> {
  const text = await readFile(path, "utf8").catch(() => "");
  // The last line may be cut by the kill; only whole lines count.
  return text.split("\n").slice(0, -1).map((line) => JSON.parse(line) as LogLine);
}

function startChild(root: string, log: string, writer: string, count: number) {
  const child = spawn(process.execPath, [CHILD, root, log, writer, String(count)], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on("exit", (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, exited };
}

/** Every temp name left anywhere below `dir`. */
async function tempLitter(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".tmp-")) out.push(join(dir, entry.name));
    else if (entry.isDirectory()) out.push(...(await tempLitter(join(dir, entry.name))));
  }
  return out;
}

/** What every key holds now, by the version its content names; `undefined` when absent. Throws on torn content. */
async function readAll(root: string): Promise<Map<string, string | undefined>> {
  const kv = await createFsKeyValueStore({ root });
  const objects = await createFsObjectStore({ root });
  const seen = new Map<string, string | undefined>();
  const record = (key: string, bytes: Uint8Array | undefined) => {
    if (bytes === undefined) return seen.set(key, undefined);
    const { version, whole } = checkCrashContent(key, bytes);
    if (!whole) throw new Error(`${key} holds torn or mixed content (claims version ${String(version)})`);
    seen.set(key, version);
  };
  try {
    for (const key of CRASH_KV_KEYS) record(key, await kv.get(key));
    for (const key of [...CRASH_OBJECT_KEYS, ...CRASH_MULTIPART_KEYS]) {
      const head = await objects.headObject(key).catch((err: { code?: string }) => (err.code === "NotFound" ? undefined : Promise.reject(err)));
      if (head === undefined) {
        record(key, undefined);
        continue;
      }
      const { body, info } = await objects.getObject(key);
      const bytes = await readBytes(body, { maxBytes: 1 << 24 });
      record(key, bytes);
      // Metadata is committed with the data: it names the same version.
      expect(info.metadata.version).toBe(seen.get(key));
    }
  } finally {
    await kv.close();
    await objects.close();
  }
  return seen;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("fs stores under kill -9", () => {
  it(`SIGKILL at random moments over ${ROUNDS} rounds: every acknowledged write reads back whole, every key holds its old or new content, no temp file survives the reopen`, async () => {
    expect(existsSync(DIST), "adapters/fs/dist is missing: run `pnpm build` before the tests").toBe(true);
    const sandbox = await freshRoot("crash");
    sandboxes.push(sandbox);
    const root = join(sandbox, "root");
    // The version each key held after the previous round (undefined: never written).
    const held = new Map<string, string | undefined>();
    let killedMidWrite = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const log = join(sandbox, `round-${round}.log`);
      const { child, exited } = startChild(root, log, `r${round}`, 1_000_000);
      // Kill after the child has started writing: a random delay after it is ready.
      for (let i = 0; i < 200 && !(await readLog(log)).some((l) => l.t === "ready"); i++) await sleep(20);
      await sleep(30 + Math.random() * 250);
      child.kill("SIGKILL");
      const { signal, stderr } = await exited;
      expect(signal, `round ${round}: the child ended by itself: ${stderr}`).toBe("SIGKILL");

      const lines = await readLog(log);
      const allowed = new Map<string, Set<string | undefined>>();
      const allow = (key: string) => allowed.get(key) ?? allowed.set(key, new Set([held.get(key)])).get(key)!;
      for (const line of lines) {
        if (line.t === "begin") allow(line.key!).add(line.version);
        // An acknowledged write replaces everything before it: only it, or a later one, may be read.
        if (line.t === "ack") allowed.set(line.key!, new Set([line.version]));
      }
      const last = lines[lines.length - 1];
      if (last?.t === "begin") killedMidWrite++;

      const seen = await readAll(root);
      for (const [key, version] of seen) {
        const expected = allowed.get(key) ?? new Set([held.get(key)]);
        expect(expected.has(version), `round ${round}: ${key} holds ${String(version)}, expected one of ${[...expected].join(", ")}`).toBe(true);
        held.set(key, version);
      }
      expect(await tempLitter(root), `round ${round}: temp files survived the reopen`).toEqual([]);
    }
    // The kills landed inside writes, not only between them.
    expect(killedMidWrite).toBeGreaterThan(ROUNDS / 2);
  }, 120_000);

  it("two processes writing the same keys at once: each key ends as one writer's whole, acknowledged value (last writer wins)", async () => {
    expect(existsSync(DIST), "adapters/fs/dist is missing: run `pnpm build` before the tests").toBe(true);
    const sandbox = await freshRoot("two-writers");
    sandboxes.push(sandbox);
    const root = join(sandbox, "root");
    const runs = ["w1", "w2"].map((writer) => ({ log: join(sandbox, `${writer}.log`), ...startChild(root, join(sandbox, `${writer}.log`), writer, 30) }));
    for (const run of runs) {
      const { code, stderr } = await run.exited;
      expect(code, stderr).toBe(0);
    }
    const acked = new Map<string, Set<string | undefined>>();
    for (const run of runs) {
      for (const line of await readLog(run.log)) {
        if (line.t === "ack") (acked.get(line.key!) ?? acked.set(line.key!, new Set()).get(line.key!)!).add(line.version);
      }
    }
    const seen = await readAll(root);
    for (const [key, version] of seen) {
      if (!acked.has(key)) expect(version).toBeUndefined();
      else expect(acked.get(key)!.has(version), `${key} holds ${String(version)}`).toBe(true);
    }
    expect(await tempLitter(root)).toEqual([]);
  }, 120_000);
});
