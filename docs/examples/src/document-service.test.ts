/**
 * The same application code against several storage configurations: each case is only a way
 * of producing configuration, and every case must give the same results. To add a provider
 * (e.g. the ESA and KS3 emulators), add its module to STORAGE_MODULES and a case below.
 */
import { readFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStorageContainer, loadStorageConfig, type StorageConfigInput } from "@stowage/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentService, type DocumentService } from "./document-service.js";
import { main, STORAGE_MODULES } from "./main.js";

interface ConfigCase {
  name: string;
  config: () => Promise<StorageConfigInput>;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stowage-examples-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CASES: ConfigCase[] = [
  {
    name: "memory shorthand from an object (ESA Edge KV and KS3 limits, 5 MiB parts)",
    config: async () => ({ provider: "memory" }),
  },
  {
    name: "memory from STOWAGE_* variables (two named stores, S3 profile, timeout, 5 attempts)",
    config: () =>
      loadStorageConfig({
        env: {
          STOWAGE_STORES__docs__PROVIDER: "memory",
          STOWAGE_STORES__docs__KIND: "kv",
          STOWAGE_STORES__docs__NAMESPACE: "documents",
          STOWAGE_STORES__files__PROVIDER: "memory",
          STOWAGE_STORES__files__KIND: "objects",
          STOWAGE_STORES__files__BUCKET: "attachments",
          STOWAGE_STORES__files__PROFILE: "s3",
          STOWAGE_STORES__files__TIMEOUT_MS: "10000",
          STOWAGE_STORES__files__RETRY__MAX_ATTEMPTS: "5",
        },
      }),
  },
  {
    name: "memory from a JSON file (256 KiB minimum parts, shorter keys, no retry)",
    config: async () => {
      const file = join(dir, "storage.json");
      await writeFile(
        file,
        JSON.stringify({
          stores: {
            kv: { provider: "memory", kind: "kv", namespace: "n", limits: { keyMaxBytes: 128 } },
            blobs: { provider: "memory", kind: "objects", profile: "s3", retry: false, limits: { multipartMinPartBytes: 262144 } },
          },
        }),
      );
      return loadStorageConfig({ file });
    },
  },
];

const MiB = 1024 * 1024;
/** 5.5 MiB with a position-dependent pattern, so a misplaced part or range shows. */
const big = Uint8Array.from({ length: 5 * MiB + MiB / 2 }, (_, i) => (i * 31 + (i >> 13)) & 0xff);
const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));
const codeOf = (promise: Promise<unknown>) => promise.then(() => "resolved", (err: { code?: string }) => err.code);

/** The application's observable behaviour, as plain data to compare across configurations. */
async function scenario(service: DocumentService) {
  await service.saveDocument("a", { title: "A", body: "first" });
  await service.saveDocument("b", { title: "B", body: "second" }, { ttlSeconds: 3600 });
  await service.attach("a", "small.txt", "hello world");
  const bigUpload = await service.attach("a", "big.bin", big);
  await service.copyAttachment("a", "small.txt", "copy.txt");
  const bigBack = await service.readAttachment("a", "big.bin");
  const acrossParts = await service.readAttachment("a", "big.bin", { first: 5 * MiB - 2, last: 5 * MiB + 1 });
  const result = {
    ids: await service.listDocumentIds(),
    a: await service.getDocument("a"),
    missing: await service.getDocument("zzz"),
    bigSize: bigBack?.byteLength,
    bigIntact: bigBack !== undefined && Buffer.compare(bigBack, big) === 0,
    bigMultipart: bigUpload.parts > 1,
    acrossParts: Array.from(acrossParts ?? []),
    suffix: text(await service.readAttachment("a", "small.txt", { suffix: 5 })),
    copy: text(await service.readAttachment("a", "copy.txt")),
    missingAttachment: await service.readAttachment("a", "nope.txt"),
    rangePastEnd: await codeOf(service.readAttachment("a", "small.txt", { first: 100 })),
    deleted: await service.deleteDocument("a"),
    deletedAgain: await service.deleteDocument("a"),
    afterDelete: await service.listAttachments("a"),
    idsAfter: await service.listDocumentIds(),
  };
  return result;
}

describe("DocumentService on every configuration", () => {
  const results: Array<Awaited<ReturnType<typeof scenario>>> = [];

  for (const testCase of CASES) {
    it(`${testCase.name}: the scenario gives the expected results`, async () => {
      const storage = await createStorageContainer(await testCase.config(), { modules: STORAGE_MODULES });
      try {
        const result = await scenario(createDocumentService(storage, { partBytes: MiB }));
        expect(result).toEqual({
          ids: ["a", "b"],
          a: { id: "a", title: "A", body: "first", attachments: ["big.bin", "copy.txt", "small.txt"] },
          missing: undefined,
          bigSize: big.byteLength,
          bigIntact: true,
          bigMultipart: true,
          acrossParts: Array.from(big.subarray(5 * MiB - 2, 5 * MiB + 2)),
          suffix: "world",
          copy: "hello world",
          missingAttachment: undefined,
          rangePastEnd: "InvalidRange",
          deleted: true,
          deletedAgain: false,
          afterDelete: [],
          idsAfter: ["b"],
        });
        results.push(result);
      } finally {
        await storage.close();
      }
    });
  }

  it("every configuration gave the same results", () => {
    expect(results).toHaveLength(CASES.length);
    for (const result of results.slice(1)) expect(result).toEqual(results[0]);
  });
});

describe("the example's boundaries", () => {
  it("document-service.ts imports no adapter: providers come from configuration", async () => {
    const source = await readFile(new URL("./document-service.ts", import.meta.url), "utf8");
    const imports = [...source.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
    expect(imports).toEqual(["@stowage/core"]);
  });

  it("main() with no STOWAGE_* variables runs on memory and prints the document and a ranged read", async () => {
    const lines: string[] = [];
    await main({}, (line) => lines.push(line));
    expect(JSON.parse(lines[0]!)).toMatchObject({ id: "welcome", attachments: ["notes.txt"] });
    expect(lines[1]).toBe("attachments");
  });

  it("main() with an unknown STOWAGE_PROVIDER rejects InvalidArgument naming the known providers", async () => {
    await expect(main({ STOWAGE_PROVIDER: "no-such-provider" }, () => {})).rejects.toMatchObject({
      code: "InvalidArgument",
      message: expect.stringMatching(/"no-such-provider"; known providers: .*memory/),
    });
  });
});
