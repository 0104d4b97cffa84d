import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jsonLines, runCli, sha256 } from "./test-cli.js";

// fs stores outlive a command, so each command here reads the configuration from STOWAGE_*
// variables and opens the stores afresh, exactly as separate `stowage` invocations do.
let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "stowage-cmd-fs-"));
  env = {
    STOWAGE_STORES__files__PROVIDER: "fs",
    STOWAGE_STORES__files__KIND: "objects",
    STOWAGE_STORES__files__ROOT: join(dir, "files-root"),
    STOWAGE_STORES__cache__PROVIDER: "fs",
    STOWAGE_STORES__cache__KIND: "kv",
    STOWAGE_STORES__cache__ROOT: join(dir, "cache-root"),
  };
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("storage commands on fs stores (configured by STOWAGE_* variables)", () => {
  it("cp up (multipart), cat, ls --json, stat --json, cp down and rm round-trip an 11 MiB file with equal checksums", async () => {
    const bytes = randomBytes(11 * 1024 * 1024);
    await writeFile(join(dir, "big.bin"), bytes);
    const up = await runCli(["cp", "--json", join(dir, "big.bin"), "files:a/big.bin", "--part-size", "5MiB"], { env });
    expect(up.code).toBe(0);
    expect(jsonLines(up)[0]).toMatchObject({ status: "copied", size: bytes.length });
    expect(sha256((await runCli(["cat", "files:a/big.bin"], { env })).stdout)).toBe(sha256(bytes));
    expect(jsonLines(await runCli(["ls", "-r", "--json", "files:"], { env }))).toEqual([expect.objectContaining({ key: "a/big.bin", size: bytes.length })]);
    expect(jsonLines(await runCli(["stat", "--json", "files:a/big.bin"], { env }))[0]).toMatchObject({ size: bytes.length });
    expect((await runCli(["cp", "files:a/big.bin", join(dir, "down.bin")], { env })).code).toBe(0);
    expect(sha256(await readFile(join(dir, "down.bin")))).toBe(sha256(bytes));
    expect((await runCli(["rm", "files:a/big.bin"], { env })).code).toBe(0);
    expect(jsonLines(await runCli(["ls", "-r", "--json", "files:"], { env }))).toEqual([]);
    expect((await runCli(["uploads", "ls", "files:"], { env })).stdout.toString()).toBe("");
  });

  it("cp into an fs key-value store, cat, stat and rm round-trip a value", async () => {
    const value = randomBytes(5000);
    expect((await runCli(["cp", "-", "cache:k1"], { env, stdin: value })).code).toBe(0);
    expect(sha256((await runCli(["cat", "cache:k1"], { env })).stdout)).toBe(sha256(value));
    expect(jsonLines(await runCli(["stat", "--json", "cache:k1"], { env }))[0]).toMatchObject({ key: "k1", size: 5000 });
    expect(jsonLines(await runCli(["ls", "--json", "cache:"], { env })).map((r) => r.key)).toEqual(["k1"]);
    expect((await runCli(["rm", "cache:k1"], { env })).code).toBe(0);
    expect((await runCli(["cat", "cache:k1"], { env })).code).toBe(1);
  });
});
