/**
 * The same application code against several storage configurations: each case is only a way
 * of producing configuration, and every case must give the same results. Two cases reach the
 * real ESA Edge KV and KS3 adapters over HTTP, on their emulators started in-process; they are
 * configured exactly as a deployment would be, through a JSON file or `STOWAGE_*` variables.
 * To add a provider, add its module to STORAGE_MODULES and a case below.
 */
import { readFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStorageContainer, loadStorageConfig, type StorageConfigInput } from "@stowage/core";
import { startEsaKvEmulator, type RunningEsaKvEmulator } from "@stowage/emulator-esa-kv";
import { startKs3Emulator, type RunningKs3Emulator } from "@stowage/emulator-ks3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentService, type DocumentService } from "./document-service.js";
import { main, STORAGE_MODULES } from "./main.js";

interface ConfigCase {
  name: string;
  config: () => Promise<StorageConfigInput>;
}

/** One namespace and one bucket per configuration, so no case sees another's data. */
const NAMESPACES = { file: "documents-file", env: "documents-env", main: "documents-main" } as const;
const BUCKETS = { file: "attachments-file", env: "attachments-env", main: "attachments-main" } as const;

let dir: string;
let esa: RunningEsaKvEmulator;
let ks3: RunningKs3Emulator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stowage-examples-"));
  esa = await startEsaKvEmulator({ port: 0, namespaces: Object.values(NAMESPACES) });
  // The KS3 emulator keeps the real 5 MiB minimum part size (seed: "除最后一块外，每块大小
  // 不得小于 5MB"), and the stores keep KS3's manifest: the 5.5 MiB attachment goes up as a
  // 5 MiB part and a 0.5 MiB last part, exactly as it would on KS3.
  ks3 = await startKs3Emulator({ port: 0, buckets: Object.values(BUCKETS) });
});
afterAll(async () => {
  await Promise.all([esa?.close(), ks3?.close()]);
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
  {
    name: "esa-kv and ks3 on their emulators from a JSON file (virtual-host addressing, KSS V2 signatures)",
    config: async () => {
      const file = join(dir, "emulators.json");
      await writeFile(
        file,
        JSON.stringify({
          stores: {
            documents: {
              provider: "esa-kv",
              kind: "kv",
              namespace: NAMESPACES.file,
              endpoint: esa.endpoint,
              accessKeyId: esa.accessKeyId,
              accessKeySecret: esa.accessKeySecret,
              timeoutMs: 10000,
            },
            attachments: {
              provider: "ks3",
              kind: "objects",
              bucket: BUCKETS.file,
              endpoint: ks3.endpoint,
              region: ks3.region,
              accessKeyId: ks3.accessKeyId,
              secretAccessKey: ks3.secretAccessKey,
              addressing: "virtual-host",
              signature: "kss-v2",
              timeoutMs: 10000,
            },
          },
          default: "documents",
        }),
      );
      return loadStorageConfig({ file });
    },
  },
  {
    name: "esa-kv and ks3 on their emulators from STOWAGE_* variables (path addressing, SigV4 with signed chunks)",
    config: () =>
      loadStorageConfig({
        env: {
          STOWAGE_STORES__docs__PROVIDER: "esa-kv",
          STOWAGE_STORES__docs__NAMESPACE: NAMESPACES.env,
          STOWAGE_STORES__docs__ENDPOINT: esa.endpoint,
          STOWAGE_STORES__docs__ACCESS_KEY_ID: esa.accessKeyId,
          STOWAGE_STORES__docs__ACCESS_KEY_SECRET: esa.accessKeySecret,
          STOWAGE_STORES__docs__IDLE_TIMEOUT_MS: "10000",
          STOWAGE_STORES__files__PROVIDER: "ks3",
          STOWAGE_STORES__files__BUCKET: BUCKETS.env,
          STOWAGE_STORES__files__ENDPOINT: ks3.endpoint,
          STOWAGE_STORES__files__REGION: ks3.region,
          STOWAGE_STORES__files__ACCESS_KEY_ID: ks3.accessKeyId,
          STOWAGE_STORES__files__SECRET_ACCESS_KEY: ks3.secretAccessKey,
          STOWAGE_STORES__files__ADDRESSING: "path",
          STOWAGE_STORES__files__SIGNATURE: "sigv4",
          STOWAGE_STORES__files__SIGV4_CHUNKED_UPLOADS: "true",
          STOWAGE_STORES__files__RETRY__MAX_ATTEMPTS: "5",
        },
      }),
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

  it("main() with STOWAGE_CONFIG_FILE naming the emulators and secrets in STOWAGE_* variables prints what memory prints, and the data stays on the emulators", async () => {
    // The usual split: the file holds the layout, the environment holds the credentials.
    const file = join(dir, "main.json");
    await writeFile(
      file,
      JSON.stringify({
        stores: {
          documents: { provider: "esa-kv", namespace: NAMESPACES.main, endpoint: esa.endpoint },
          attachments: { provider: "ks3", bucket: BUCKETS.main, endpoint: ks3.endpoint, region: ks3.region, addressing: "path" },
        },
      }),
    );
    const env = {
      STOWAGE_CONFIG_FILE: file,
      STOWAGE_STORES__documents__ACCESS_KEY_ID: esa.accessKeyId,
      STOWAGE_STORES__documents__ACCESS_KEY_SECRET: esa.accessKeySecret,
      STOWAGE_STORES__attachments__ACCESS_KEY_ID: ks3.accessKeyId,
      STOWAGE_STORES__attachments__SECRET_ACCESS_KEY: ks3.secretAccessKey,
    };
    const onEmulators: string[] = [];
    const onMemory: string[] = [];
    await main(env, (line) => onEmulators.push(line));
    await main({}, (line) => onMemory.push(line));
    expect(onEmulators).toEqual(onMemory);

    const later = await createStorageContainer(await loadStorageConfig({ env }), { modules: STORAGE_MODULES });
    try {
      const service = createDocumentService(later);
      expect(await service.getDocument("welcome")).toMatchObject({ id: "welcome", attachments: ["notes.txt"] });
    } finally {
      await later.close();
    }
  });

  it("main() with an unknown STOWAGE_PROVIDER rejects InvalidArgument naming the known providers", async () => {
    const rejection = main({ STOWAGE_PROVIDER: "no-such-provider" }, () => {});
    await expect(rejection).rejects.toMatchObject({ code: "InvalidArgument", message: expect.stringContaining('"no-such-provider"; known providers:') });
    const { message } = (await rejection.catch((err: Error) => err)) as Error;
    for (const id of ["esa-kv", "ks3", "memory"]) expect(message).toContain(id);
  });
});
