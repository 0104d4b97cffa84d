import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createKs3Store } from "@stowage/adapter-ks3";
import type { MultipartObjectStore } from "@stowage/core";
import { startKs3Emulator, type RunningKs3Emulator } from "@stowage/emulator-ks3";
import { BUILT_MAIN, runCli, sha256, spawnBuiltCli } from "./test-cli.js";

// These tests run the built `stowage` (packages/cli/dist/main.js; `pnpm test` runs after
// `pnpm build` in CI) as a child process: in a real pseudo-terminal through tmux, with pipes,
// and interrupted with SIGINT. The KS3 emulator runs in this process.
const MiB = 1024 * 1024;
let dir: string;
let config: string;
let bigFile: string;
let bigSum: string;
let emulator: RunningKs3Emulator;
let store: MultipartObjectStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stowage-cmd-tty-"));
  emulator = await startKs3Emulator({ port: 0, profile: "ks3" });
  await emulator.createBucket("tty-files");
  const fields = { bucket: "tty-files", endpoint: emulator.endpoint, region: emulator.region, accessKeyId: emulator.accessKeyId, secretAccessKey: emulator.secretAccessKey };
  config = join(dir, "storage.json");
  await writeFile(config, JSON.stringify({ stores: { files: { provider: "ks3", ...fields } } }));
  store = createKs3Store(fields);
  const bytes = randomBytes(64 * MiB);
  bigSum = sha256(bytes);
  bigFile = join(dir, "big.bin");
  await writeFile(bigFile, bytes);
}, 60_000);

afterEach(async () => {
  emulator.setFaults(undefined);
  for (const upload of (await store.listMultipartUploads()).uploads) await store.abortMultipartUpload(upload.key, upload.uploadId);
  for await (const object of store.objects()) await store.deleteObject(object.key);
});

afterAll(async () => {
  await store?.close();
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Polls `check` (bounded: about 60 s) until it returns true; the tests assert on outcomes, never on time. */
async function waitFor(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function exitOf(child: ReturnType<typeof spawnBuiltCli>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe("stowage cp in a terminal and without one", () => {
  it("cp of a 64 MiB file in a tmux pseudo-terminal draws a progress bar and ends with a line stating size and rate", async () => {
    // tmux is a Debian package (`apt-get install -y tmux`); .ci/run installs it. Missing, this fails rather than skipping.
    expect(existsSync("/usr/bin/tmux") || existsSync("/usr/local/bin/tmux"), "tmux must be installed").toBe(true);
    expect(existsSync(BUILT_MAIN), `${BUILT_MAIN} missing: run pnpm build`).toBe(true);
    const socket = `stowage-test-${process.pid}`;
    const raw = join(dir, "pane.log");
    const exitFile = join(dir, "tty-exit");
    const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
    // The shell waits for a line on its input, so pipe-pane is recording before stowage starts.
    const command = `read go; ${process.execPath} ${BUILT_MAIN} cp --config ${config} --part-size 8MiB ${bigFile} files:tty/big.bin; echo $? > ${exitFile}`;
    tmux("new-session", "-d", "-s", "cp", "-x", "160", "-y", "24", "sh", "-c", command);
    try {
      tmux("set-option", "-t", "cp", "remain-on-exit", "on");
      tmux("pipe-pane", "-t", "cp", "-o", `cat >> ${raw}`);
      tmux("send-keys", "-t", "cp", "Enter");
      await waitFor("stowage to exit in tmux", () => existsSync(exitFile));
      expect((await readFile(exitFile, "utf8")).trim()).toBe("0");
      const drawn = await readFile(raw, "latin1");
      // cli-progress redraws the line in place (carriage return or cursor movement) with its bar characters.
      expect(drawn).toMatch(/\r|\x1b\[/);
      expect(drawn).toContain(Buffer.from("█").toString("latin1"));
      expect(drawn).toMatch(/\d+% \| [\d.]+ (MiB|KiB|B) \/ 64\.0 MiB/);
      const screen = tmux("capture-pane", "-p", "-t", "cp")
        .split("\n")
        .map((line) => line.trimEnd())
        .filter((line) => line !== "" && !line.startsWith("Pane is dead"));
      expect(screen.at(-1)).toMatch(/^copied .*big\.bin → files:tty\/big\.bin: 64\.0 MiB in [\d.]+ m?s \([\d.]+ (MiB|KiB|GiB)\/s\)$/);
    } finally {
      execFileSync("tmux", ["-L", socket, "kill-server"]);
    }
    expect(sha256((await runCli(["--config", config, "cat", "files:tty/big.bin"])).stdout)).toBe(bigSum);
  });

  it("without a terminal, cp writes one summary line and no control characters", async () => {
    const result = await exitOf(spawnBuiltCli(["cp", "--config", config, bigFile, "files:plain/big.bin"]));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^copied .*big\.bin → files:plain\/big\.bin: 64\.0 MiB in [\d.]+ m?s \([\d.]+ (MiB|KiB|GiB)\/s\)\n$/);
    expect(result.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
  });
});

describe("stowage cp interrupted with SIGINT", () => {
  it("SIGINT during a multipart cp exits 130, says what was left, and leaves no listed multipart upload", async () => {
    // Latency on every request keeps the upload in flight long enough to be interrupted.
    emulator.setFaults({ latencyMs: 100 });
    const child = spawnBuiltCli(["cp", "--config", config, "--part-size", "5MiB", "--concurrency", "2", bigFile, "files:int/big.bin"]);
    const exited = exitOf(child);
    await waitFor("the multipart upload to start", async () => (await store.listMultipartUploads()).uploads.length > 0);
    child.kill("SIGINT");
    const result = await exited;
    emulator.setFaults(undefined);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain("stowage: interrupted: 0 of 1 finished, 1 cancelled");
    expect(result.stderr).toContain("its multipart upload, if any, was aborted");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect((await store.listMultipartUploads()).uploads).toEqual([]);
    expect((await store.listObjects()).objects).toEqual([]);
  });

  it("SIGINT with --keep-partial keeps the upload and prints a resume command that completes it", async () => {
    emulator.setFaults({ latencyMs: 100 });
    const child = spawnBuiltCli(["cp", "--config", config, "--keep-partial", "--part-size", "5MiB", "--concurrency", "2", bigFile, "files:keep/big.bin"]);
    const exited = exitOf(child);
    let uploadId = "";
    await waitFor("a part to be uploaded", async () => {
      const upload = (await store.listMultipartUploads()).uploads[0];
      if (!upload) return false;
      uploadId = upload.uploadId;
      return (await store.listParts(upload.key, upload.uploadId)).parts.length > 0;
    });
    child.kill("SIGINT");
    const result = await exited;
    emulator.setFaults(undefined);
    expect(result.code).toBe(130);
    expect((await store.listMultipartUploads()).uploads.map((u) => u.uploadId)).toEqual([uploadId]);
    const token = /--resume '([^']+)'/.exec(result.stderr)?.[1];
    expect(token, result.stderr).toBeDefined();

    const resumed = await runCli(["cp", "--config", config, "--part-size", "5MiB", bigFile, "files:keep/big.bin", "--resume", token!]);
    expect(resumed.stderr).toMatch(/^copied /);
    expect(resumed.code).toBe(0);
    expect(sha256((await runCli(["--config", config, "cat", "files:keep/big.bin"])).stdout)).toBe(bigSum);
    expect((await store.listMultipartUploads()).uploads).toEqual([]);
  });
});
