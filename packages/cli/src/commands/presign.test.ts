import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKs3Emulator, type RunningKs3Emulator } from "@stowage/emulator-ks3";
import { jsonLines, runCli } from "./test-cli.js";

// `stowage presign` against the KS3 emulator in-process: the printed URL and headers are sent
// with plain undici, without credentials, as whoever receives the URL would send them.
let dir: string;
let config: string;
let ks3: RunningKs3Emulator;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stowage-presign-"));
  ks3 = await startKs3Emulator({ port: 0, profile: "ks3" });
  await ks3.createBucket("presign-files");
  const credentials = { region: ks3.region, accessKeyId: ks3.accessKeyId, secretAccessKey: ks3.secretAccessKey };
  config = join(dir, "storage.json");
  await writeFile(
    config,
    JSON.stringify({
      stores: {
        // KSS V2 query authentication (the ks3 default signature), and SigV4 on the same bucket.
        files: { provider: "ks3", bucket: "presign-files", endpoint: ks3.endpoint, ...credentials },
        files4: { provider: "ks3", bucket: "presign-files", endpoint: ks3.endpoint, addressing: "path", signature: "sigv4", ...credentials },
        scratch: { provider: "memory", kind: "objects" },
        cache: { provider: "memory", kind: "kv" },
      },
    }),
  );
});

afterAll(async () => {
  await ks3?.close();
  await rm(dir, { recursive: true, force: true });
});

const cli = (...argv: string[]) => runCli(["--config", config, ...argv]);

/** The URL on the first line and the `Name: value` header lines after it. */
function parsePrinted(stdout: Buffer): { url: string; headers: Record<string, string> } {
  const [url, ...lines] = stdout.toString("utf8").trimEnd().split("\n");
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]));
  return { url: url!, headers };
}

describe("stowage presign on the KS3 emulator", () => {
  it.each(["files", "files4"])("presign %s:KEY (GET) prints a URL that plain undici fetches the object's bytes with", async (store) => {
    const bytes = Buffer.from(`hello from ${store}\n`);
    await writeFile(join(dir, `${store}.txt`), bytes);
    expect((await cli("cp", join(dir, `${store}.txt`), `${store}:docs/${store} a+b.txt`)).code).toBe(0);

    const printed = await cli("presign", "--expires", "5m", `${store}:docs/${store} a+b.txt`);
    expect(printed.code).toBe(0);
    expect(printed.stderr).toBe("");
    const { url, headers } = parsePrinted(printed.stdout);
    expect(url).toMatch(store === "files" ? /[?&]KSSAccessKeyId=.*[?&]Expires=\d+.*[?&]Signature=/ : /[?&]X-Amz-Expires=300(&|$)/);
    const res = await request(url, { headers });
    expect(res.statusCode).toBe(200);
    expect(Buffer.from(await res.body.arrayBuffer())).toEqual(bytes);
  });

  it("presign --method PUT --content-type --metadata --json gives a URL and headers that upload an object with them", async () => {
    const result = await cli("presign", "--json", "--method", "put", "--expires", "600", "--content-type", "text/csv", "--metadata", "owner=ann", "files:up/r.csv");
    expect(result.code).toBe(0);
    const [record] = jsonLines(result);
    expect(record).toMatchObject({ store: "files", key: "up/r.csv", method: "PUT", expiresInSeconds: 600, headers: { "content-type": "text/csv", "x-kss-meta-owner": "ann" } });
    const res = await request(String(record!.url), { method: "PUT", headers: record!.headers as Record<string, string>, body: "a,b\n1,2\n" });
    await res.body.dump();
    expect(res.statusCode).toBe(200);
    expect((await cli("cat", "files:up/r.csv")).stdout.toString()).toBe("a,b\n1,2\n");
    expect(jsonLines(await cli("stat", "--json", "files:up/r.csv"))[0]).toMatchObject({ contentType: "text/csv", metadata: { owner: "ann" } });
  });

  it("presign --expires past seven days exits 1 with InvalidArgument and the address, no stack", async () => {
    const result = await cli("presign", "--expires", "8d", "files:any");
    expect(result.code).toBe(1);
    expect(result.stdout.toString()).toBe("");
    expect(result.stderr).toMatch(/^stowage: files:any: InvalidArgument: .*expiresInSeconds must be an integer from 1 to 604800/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("presign on a memory object store exits 1 with Unsupported and the address, no stack", async () => {
    const result = await cli("presign", "scratch:a.txt");
    expect(result.code).toBe(1);
    expect(result.stdout.toString()).toBe("");
    expect(result.stderr).toMatch(/^stowage: scratch:a\.txt: Unsupported: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("presign on a key-value store exits 1 with Unsupported (KeyValueStore has no presign)", async () => {
    const result = await cli("presign", "--json", "cache:k");
    expect(result.code).toBe(1);
    expect(jsonLines(result)).toEqual([{ address: "cache:k", error: { code: "Unsupported", message: expect.stringContaining("key-value") } }]);
  });

  it("presign --method POST exits 2 (usage) before touching a store", async () => {
    const result = await cli("presign", "--method", "POST", "files:k");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--method must be one of GET, PUT, HEAD, DELETE");
  });

  it("presign --help shows examples", async () => {
    const result = await cli("presign", "--help");
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toContain("stowage presign --method PUT --content-type image/png");
  });
});
