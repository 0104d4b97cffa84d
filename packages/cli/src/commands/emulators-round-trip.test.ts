import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEsaKvEmulator, type RunningEsaKvEmulator } from "@stowage/emulator-esa-kv";
import { startKs3Emulator, type RunningKs3Emulator } from "@stowage/emulator-ks3";
import { jsonLines, runCli, sha256 } from "./test-cli.js";

// The KS3 and ESA Edge KV emulators in-process on ephemeral ports; the commands reach them
// through a storage configuration file, over HTTP, with signed requests, as a user's would.
let dir: string;
let config: string;
let ks3: RunningKs3Emulator;
let esa: RunningEsaKvEmulator;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stowage-cmd-emu-"));
  ks3 = await startKs3Emulator({ port: 0, profile: "ks3" });
  await ks3.createBucket("cli-files");
  await ks3.createBucket("cli-archive");
  esa = await startEsaKvEmulator({ namespaces: ["cli_kv"] });
  const credentials = { region: ks3.region, accessKeyId: ks3.accessKeyId, secretAccessKey: ks3.secretAccessKey };
  config = join(dir, "storage.json");
  await writeFile(
    config,
    JSON.stringify({
      stores: {
        files: { provider: "ks3", bucket: "cli-files", endpoint: ks3.endpoint, ...credentials },
        archive: { provider: "ks3", bucket: "cli-archive", endpoint: ks3.endpoint, addressing: "path", signature: "sigv4", ...credentials },
        kv: {
          provider: "esa-kv",
          namespace: "cli_kv",
          endpoint: esa.endpoint,
          openPlatformEndpoint: esa.openPlatformEndpoint,
          ossEndpoint: esa.ossEndpoint,
          accessKeyId: esa.accessKeyId,
          accessKeySecret: esa.accessKeySecret,
        },
      },
    }),
  );
});

afterAll(async () => {
  await ks3?.close();
  await esa?.close();
  await rm(dir, { recursive: true, force: true });
});

const cli = (...argv: string[]) => runCli(["--config", config, ...argv]);

describe("storage commands on the KS3 emulator", () => {
  it("cp up (multipart), cat, ls --json, stat, cp down and rm round-trip a 12 MiB file with equal checksums", async () => {
    const bytes = randomBytes(12 * 1024 * 1024);
    await writeFile(join(dir, "big.bin"), bytes);
    const up = await cli("cp", "--json", join(dir, "big.bin"), "files:in/big.bin", "--part-size", "5MiB");
    expect(up.code).toBe(0);
    expect(jsonLines(up)[0]).toMatchObject({ status: "copied", size: bytes.length, method: "multipart upload" });
    expect(String(jsonLines(up)[0]!.etag)).toMatch(/-3"$/);

    expect(sha256((await cli("cat", "files:in/big.bin")).stdout)).toBe(sha256(bytes));
    expect(jsonLines(await cli("ls", "--json", "files:in/"))).toEqual([expect.objectContaining({ key: "in/big.bin", size: bytes.length })]);
    expect(jsonLines(await cli("stat", "--json", "files:in/big.bin"))[0]).toMatchObject({ size: bytes.length, contentType: "application/octet-stream" });

    await cli("cp", "files:in/big.bin", join(dir, "down.bin"));
    expect(sha256(await readFile(join(dir, "down.bin")))).toBe(sha256(bytes));

    const copied = await cli("cp", "--json", "files:in/big.bin", "files:copy/big.bin");
    expect(jsonLines(copied)[0]).toMatchObject({ method: "server-side copy", size: bytes.length });
    const streamed = await cli("cp", "--json", "files:copy/big.bin", "archive:big.bin");
    expect(jsonLines(streamed)[0]).toMatchObject({ method: "stream", size: bytes.length });
    expect(sha256((await cli("cat", "archive:big.bin")).stdout)).toBe(sha256(bytes));

    expect((await cli("rm", "-r", "--yes", "files:")).code).toBe(0);
    expect((await cli("rm", "archive:big.bin")).code).toBe(0);
    expect(jsonLines(await cli("ls", "-r", "--json", "files:"))).toEqual([]);
    expect((await cli("uploads", "ls", "files:")).stdout.toString()).toBe("");
  });

  it("a missing object is NotFound naming the store and key, exit 1", async () => {
    const result = await cli("stat", "files:nope.txt");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^stowage: files:nope\.txt: NotFound: /);
    expect(result.stderr).not.toContain(ks3.secretAccessKey);
  });
});

describe("storage commands on the ESA Edge KV emulator", () => {
  it("cp in, cat, ls --json, stat and rm round-trip a binary value, and kv → object copies it", async () => {
    const value = randomBytes(4096);
    await writeFile(join(dir, "v.bin"), value);
    expect((await cli("cp", join(dir, "v.bin"), "kv:blob-1", "--ttl", "1h")).code).toBe(0);
    expect(sha256((await cli("cat", "kv:blob-1")).stdout)).toBe(sha256(value));
    expect(jsonLines(await cli("ls", "-r", "--json", "kv:")).map((r) => r.key)).toEqual(["blob-1"]);
    const stat = jsonLines(await cli("stat", "--json", "kv:blob-1"))[0]!;
    expect(stat).toMatchObject({ key: "blob-1", size: 4096 });
    expect(stat.expiresAt).toBeDefined();

    expect((await cli("cp", "kv:blob-1", "files:from-kv.bin")).code).toBe(0);
    expect(sha256((await cli("cat", "files:from-kv.bin")).stdout)).toBe(sha256(value));
    expect((await cli("cp", "kv:blob-1", join(dir, "v-back.bin"))).code).toBe(0);
    expect(sha256(await readFile(join(dir, "v-back.bin")))).toBe(sha256(value));

    expect((await cli("rm", "kv:blob-1", "files:from-kv.bin")).code).toBe(0);
    expect((await cli("cat", "kv:blob-1")).code).toBe(1);
  });
});
