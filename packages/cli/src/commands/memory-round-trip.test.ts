import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createStorageContainer, loadStorageConfig } from "@stowage/core";
import { BUILTIN_MODULES } from "../builtin-modules.js";
import { StorageSession } from "./storage-session.js";
import { jsonLines, runCli, sha256 } from "./test-cli.js";

let dir: string;
let session: StorageSession;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "stowage-cmd-"));
  const config = await loadStorageConfig({
    env: { STOWAGE_STORES__files__PROVIDER: "memory", STOWAGE_STORES__files__KIND: "objects", STOWAGE_STORES__cache__PROVIDER: "memory", STOWAGE_STORES__cache__KIND: "kv" },
  });
  session = new StorageSession(config, await createStorageContainer(config, { modules: BUILTIN_MODULES }), { owned: true });
});

afterEach(async () => {
  await session.close();
  await rm(dir, { recursive: true, force: true });
});

describe("storage commands on memory stores", () => {
  it("cp up, cat, ls --json, stat --json, cp down and rm round-trip a 12 MiB file with equal checksums", async () => {
    const bytes = randomBytes(12 * 1024 * 1024);
    const src = join(dir, "big.bin");
    await writeFile(src, bytes);

    const up = await runCli(["cp", src, "files:data/big.bin", "--part-size", "5MiB"], { session });
    expect(up.stderr).toMatch(/copied .*big\.bin → files:data\/big\.bin: 12\.0 MiB in .* \(.*\/s\)/);
    expect(up.code).toBe(0);

    const cat = await runCli(["cat", "files:data/big.bin"], { session });
    expect(cat.code).toBe(0);
    expect(sha256(cat.stdout)).toBe(sha256(bytes));

    const ls = await runCli(["ls", "-r", "--json", "files:data/"], { session });
    expect(jsonLines(ls)).toEqual([expect.objectContaining({ store: "files", key: "data/big.bin", size: bytes.length })]);

    const stat = await runCli(["stat", "--json", "files:data/big.bin"], { session });
    expect(jsonLines(stat)[0]).toMatchObject({ key: "data/big.bin", size: bytes.length });

    const down = join(dir, "down.bin");
    expect((await runCli(["cp", "files:data/big.bin", down], { session })).code).toBe(0);
    expect(sha256(await readFile(down))).toBe(sha256(bytes));

    expect((await runCli(["rm", "files:data/big.bin"], { session })).code).toBe(0);
    expect(jsonLines(await runCli(["ls", "-r", "--json", "files:"], { session }))).toEqual([]);
  });
});

describe("storage commands on memory stores: key-value, trees, streams", () => {
  it("cp of a file into a key-value store with --ttl, cat, stat --json (with expiry), ls and rm round-trip the value", async () => {
    const value = randomBytes(2000);
    await writeFile(join(dir, "v.bin"), value);
    const put = await runCli(["cp", join(dir, "v.bin"), "cache:session-1", "--ttl", "1h"], { session });
    expect(put.stderr).toMatch(/^copied .* → cache:session-1: 2.0 KiB in /);
    expect(put.code).toBe(0);
    expect(sha256((await runCli(["cat", "cache:session-1"], { session })).stdout)).toBe(sha256(value));
    const stat = jsonLines(await runCli(["stat", "--json", "cache:session-1"], { session }))[0]!;
    expect(stat).toMatchObject({ store: "cache", key: "session-1", size: 2000 });
    expect(Date.parse(String(stat.expiresAt))).toBeGreaterThan(Date.now());
    expect((await runCli(["ls", "cache:sess"], { session })).stdout.toString()).toBe("session-1\n");
    expect(jsonLines(await runCli(["ls", "-r", "--json", "cache:"], { session })).map((r) => r.key)).toEqual(["session-1"]);
    expect((await runCli(["rm", "cache:session-1"], { session })).code).toBe(0);
    const again = await runCli(["rm", "cache:session-1"], { session });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("stowage: cache:session-1: NotFound:");
  });

  it("cp - reads standard input, cp to - writes standard output, and a key-value entry copies to an object", async () => {
    const bytes = randomBytes(300_000);
    expect((await runCli(["cp", "-", "cache:blob"], { session, stdin: bytes })).code).toBe(0);
    expect((await runCli(["cp", "cache:blob", "files:from-kv.bin"], { session })).code).toBe(0);
    const out = await runCli(["cp", "files:from-kv.bin", "-"], { session });
    expect(out.code).toBe(0);
    expect(sha256(out.stdout)).toBe(sha256(bytes));
  });

  it("cp -r uploads a tree, ls groups it at /, cp -r downloads it, and rm -r --yes removes it; --json has one record per transfer", async () => {
    const tree = join(dir, "tree");
    const files: Record<string, Buffer> = { "a.txt": randomBytes(10), "sub/b.txt": randomBytes(20), "sub/deeper/c.txt": randomBytes(30) };
    for (const [rel, bytes] of Object.entries(files)) {
      await mkdir(join(tree, dirname(rel)), { recursive: true });
      await writeFile(join(tree, rel), bytes);
    }
    const up = await runCli(["cp", "-r", "--json", tree, "files:site"], { session });
    expect(up.code).toBe(0);
    expect(jsonLines(up).map((r) => r.destination).sort()).toEqual(["files:site/a.txt", "files:site/sub/b.txt", "files:site/sub/deeper/c.txt"]);
    expect(up.stderr).toMatch(/^copied 3 files, 60 B in .* \(.*\/s\)\n$/);

    expect((await runCli(["ls", "files:site/"], { session })).stdout.toString()).toBe("PRE site/sub/\nsite/a.txt\n");

    const back = join(dir, "back");
    expect((await runCli(["cp", "-r", "files:site/", back], { session })).code).toBe(0);
    for (const [rel, bytes] of Object.entries(files)) expect(sha256(await readFile(join(back, rel)))).toBe(sha256(bytes));

    const refused = await runCli(["rm", "-r", "files:site/"], { session });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--yes");
    const removed = await runCli(["rm", "-r", "--yes", "--json", "files:site/"], { session });
    expect(removed.code).toBe(0);
    expect(jsonLines(removed)).toHaveLength(3);
    expect((await runCli(["ls", "-r", "files:"], { session })).stdout.toString()).toBe("");
  });

  it("mv within a store copies server-side and removes the source; mv of a local file removes the file", async () => {
    await writeFile(join(dir, "m.txt"), "move me");
    expect((await runCli(["mv", join(dir, "m.txt"), "files:inbox/"], { session })).code).toBe(0);
    await expect(readFile(join(dir, "m.txt"))).rejects.toThrow();
    const mv = await runCli(["mv", "--json", "files:inbox/m.txt", "files:done/m.txt"], { session });
    expect(jsonLines(mv)[0]).toMatchObject({ status: "moved", method: "server-side copy", size: 7 });
    expect((await runCli(["ls", "-r", "files:"], { session })).stdout.toString()).toBe("done/m.txt\n");
    expect((await runCli(["cat", "files:done/m.txt"], { session })).stdout.toString()).toBe("move me");
  });

  it("cp with --content-type and --metadata stores them, and stat shows them", async () => {
    await writeFile(join(dir, "r.csv"), "a,b\n");
    expect((await runCli(["cp", join(dir, "r.csv"), "files:r.csv", "--content-type", "text/csv", "--metadata", "owner=ops", "--metadata", "team=data"], { session })).code).toBe(0);
    expect(jsonLines(await runCli(["stat", "--json", "files:r.csv"], { session }))[0]).toMatchObject({ contentType: "text/csv", metadata: { owner: "ops", team: "data" } });
    const text = (await runCli(["stat", "files:r.csv"], { session })).stdout.toString();
    expect(text).toContain("content-type:  text/csv");
    expect(text).toContain("metadata:      owner=ops");
  });

  it("uploads ls lists an incomplete upload, abort --older-than 1h keeps it, and abort removes it", async () => {
    const store = session.objectStore("files")!;
    const { uploadId } = await store.createMultipartUpload("left/behind.bin");
    const ls = await runCli(["uploads", "ls", "--json", "files"], { session });
    expect(jsonLines(ls)).toEqual([expect.objectContaining({ key: "left/behind.bin", uploadId })]);
    expect(jsonLines(await runCli(["uploads", "abort", "--json", "files:", "--older-than", "1h"], { session }))).toEqual([]);
    const abort = await runCli(["uploads", "abort", "--json", "files:left/"], { session });
    expect(jsonLines(abort)).toEqual([expect.objectContaining({ status: "aborted", key: "left/behind.bin", uploadId })]);
    expect((await runCli(["uploads", "ls", "files:"], { session })).stdout.toString()).toBe("");
  });

  it("stores lists every configured store with its provider, contracts and capabilities", async () => {
    const records = jsonLines(await runCli(["stores", "--json"], { session }));
    expect(records.map((r) => [r.name, r.provider, r.contracts])).toEqual([
      ["cache", "memory", ["kv"]],
      ["files", "memory", ["objects"]],
    ]);
    expect(records[0]!.capabilities).toContain("putWithTtl");
    expect(records[1]!.capabilities).toContain("uploadPartCopy");
  });
});

describe("storage commands: errors and exit codes", () => {
  it("an unknown store, a missing argument and a bad option exit 2 without a stack trace", async () => {
    for (const argv of [["cat", "nope:key"], ["cp", "only-one"], ["cp", "a", "files:x", "--part-size", "huge"], ["ls", "files:", "--frobnicate"]]) {
      const result = await runCli(argv, { session });
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr, argv.join(" ")).not.toMatch(/\n\s+at /);
    }
    expect((await runCli(["cat", "nope:key"], { session })).stderr).toContain('no store named "nope"');
  });

  it("a missing object is NotFound with the store and key, exit 1, and other keys are still written", async () => {
    await runCli(["cp", "-", "files:here.txt"], { session, stdin: "here" });
    const result = await runCli(["cat", "files:absent.txt", "files:here.txt"], { session });
    expect(result.code).toBe(1);
    expect(result.stdout.toString()).toBe("here");
    expect(result.stderr).toMatch(/^stowage: files:absent\.txt: NotFound: /);
  });

  it("without any configuration a store address exits 2 naming where configuration comes from", async () => {
    const result = await runCli(["ls", "files:"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("STOWAGE_CONFIG_FILE");
  });

  it.each(["cp", "mv", "cat", "ls", "stat", "rm", "uploads", "uploads ls", "uploads abort", "stores"])("%s --help prints usage with examples and exits 0", async (command) => {
    const result = await runCli([...command.split(" "), "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toContain(`Usage: stowage ${command}`);
    expect(result.stdout.toString()).toContain("Examples:");
    expect(result.stdout.toString()).toContain("Exit codes:");
  });
});
