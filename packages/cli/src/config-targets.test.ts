import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createEsaKvStore } from "@stowage/adapter-esa-kv";
import { createKs3Store } from "@stowage/adapter-ks3";
import { createStorageContainer, isStorageError, readBytes, type KeyValueStore, type MultipartObjectStore } from "@stowage/core";
import { startEsaKvEmulator, type RunningEsaKvEmulator } from "@stowage/emulator-esa-kv";
import { startKs3Emulator, type RunningKs3Emulator } from "@stowage/emulator-ks3";
import type { ConformanceReport } from "@stowage/conformance";
import { runCommand } from "./run-command.js";

// `stowage conformance --config` as operators and adapter authors run it: stores configured in
// a file, shared by every case, possibly holding data already. These tests fail when cases see
// each other's keys (results depending on --concurrency), when a run deletes anything it did
// not write, or when a third-party adapter cannot be loaded.

const FIXTURE = fileURLToPath(new URL("../test-fixtures/acme-map-adapter/index.js", import.meta.url));

let dir: string;
let stderr: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "stowage-config-conformance-"));
  stderr = [];
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

async function runConfig(config: unknown, extra: string[] = []): Promise<{ code: number; report: ConformanceReport }> {
  const file = join(dir, "stores.json");
  await writeFile(file, JSON.stringify(config));
  const json = join(dir, `report-${Date.now()}.json`);
  const code = await runCommand(["conformance", "--config", file, "--quiet", "--report", `json=${json}`, ...extra]);
  return { code, report: JSON.parse(await readFile(json, "utf8")) as ConformanceReport };
}

function failures(report: ConformanceReport): string[] {
  return report.adapters.flatMap((a) => a.cases.filter((c) => c.status === "fail").map((c) => `${a.id} ${c.id}: ${c.reason}`));
}

/** Every key of a KV store and every object key and open upload of an object store, sorted. */
async function kvKeys(store: KeyValueStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const entry of store.keys()) keys.push(entry.key);
  return keys.sort();
}
async function objectKeys(store: MultipartObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store.objects()) keys.push(object.key);
  return keys.sort();
}

describe("stowage conformance --config on the emulators (esa-kv namespace + ks3 bucket)", () => {
  let esa: RunningEsaKvEmulator;
  let ks3: RunningKs3Emulator;
  let kv: KeyValueStore;
  let objects: MultipartObjectStore;
  let openUpload: string;
  // Keys a user already had, chosen to sort among and around the suite's own keys.
  const existingKv = ["existing-a", "i", "in", "key-0000", "key-0089", "stowage-conformance-", "zz"];
  const existingObjects = ["existing/report.csv", "i", "key-0000", "o", "stowage-conformance-", "src"];

  beforeAll(async () => {
    esa = await startEsaKvEmulator({ namespaces: ["scratch_ns"] });
    ks3 = await startKs3Emulator({ buckets: ["scratch-bucket"] });
    kv = createEsaKvStore({
      namespace: "scratch_ns",
      endpoint: esa.endpoint,
      openPlatformEndpoint: esa.openPlatformEndpoint,
      ossEndpoint: esa.ossEndpoint,
      accessKeyId: esa.accessKeyId,
      accessKeySecret: esa.accessKeySecret,
    });
    objects = createKs3Store({ bucket: "scratch-bucket", endpoint: ks3.endpoint, region: ks3.region, accessKeyId: ks3.accessKeyId, secretAccessKey: ks3.secretAccessKey, addressing: "path" });
    for (const key of existingKv) await kv.put(key, `kept ${key}`);
    for (const key of existingObjects) await objects.putObject(key, `kept ${key}`);
    openUpload = (await objects.createMultipartUpload("existing-upload")).uploadId;
  });

  afterAll(async () => {
    await kv?.close();
    await objects?.close();
    await esa?.close();
    await ks3?.close();
  });

  const config = () => ({
    stores: {
      "scratch-kv": {
        provider: "esa-kv",
        namespace: "scratch_ns",
        endpoint: esa.endpoint,
        openPlatformEndpoint: esa.openPlatformEndpoint,
        ossEndpoint: esa.ossEndpoint,
        accessKeyId: esa.accessKeyId,
        accessKeySecret: esa.accessKeySecret,
      },
      "scratch-objects": {
        provider: "ks3",
        bucket: "scratch-bucket",
        endpoint: ks3.endpoint,
        region: ks3.region,
        accessKeyId: ks3.accessKeyId,
        secretAccessKey: ks3.secretAccessKey,
        addressing: "path",
      },
    },
  });

  it("three runs at the default concurrency report 0 failures, and leave exactly the keys, objects and upload that were there before", async () => {
    for (let run = 1; run <= 3; run++) {
      const { code, report } = await runConfig(config());
      expect({ run, failures: failures(report) }).toEqual({ run, failures: [] });
      expect(code).toBe(0);
      expect(report.run?.concurrency).toBe(4);
      expect(report.adapters.map((a) => a.id)).toEqual(["scratch-kv", "scratch-objects"]);
      for (const adapter of report.adapters) expect(adapter.summary.pass).toBeGreaterThan(100);

      expect(await kvKeys(kv)).toEqual([...existingKv].sort());
      for (const key of existingKv) expect(await kv.getText(key)).toBe(`kept ${key}`);
      expect(await objectKeys(objects)).toEqual([...existingObjects].sort());
      for (const key of existingObjects) expect(new TextDecoder().decode(await readBytes((await objects.getObject(key)).body, { maxBytes: 1024 }))).toBe(`kept ${key}`);
      const uploads = await objects.listMultipartUploads();
      expect(uploads.uploads.map((u) => [u.key, u.uploadId])).toEqual([["existing-upload", openUpload]]);
    }
  }, 900_000);

  it("the report's run details name the endpoints without credentials and the limits each store ran with", async () => {
    const { report } = await runConfig(config(), ["--concurrency", "8"]);
    expect(report.run?.concurrency).toBe(8);
    expect(failures(report)).toEqual([]);
    const [kvTarget, objectTarget] = report.adapters;
    expect(kvTarget!.details).toMatchObject({ provider: "esa-kv", endpoint: esa.endpoint });
    expect(objectTarget!.details).toMatchObject({ provider: "ks3", endpoint: ks3.endpoint });
    expect(objectTarget!.details!.limits).toHaveProperty("objects.putObjectMaxBytes");
    expect(JSON.stringify(report)).not.toContain(esa.accessKeySecret);
    expect(JSON.stringify(report)).not.toContain(ks3.secretAccessKey);
  }, 600_000);
});

describe("stowage conformance --config with a third-party adapter", () => {
  const config = (map: string, extra: Record<string, unknown> = {}) => ({ ...extra, stores: { acme: { provider: "acme-map", map } } });

  it("without --module, an unknown provider is refused naming the built-in ones", async () => {
    const err = await runConfig(config("none")).catch((e: unknown) => e);
    expect(isStorageError(err, "InvalidArgument")).toBe(true);
    expect((err as Error).message).toContain("known providers:");
  });

  it("--module <path> loads the adapter; its conformance passes and keys already in the map survive", async () => {
    const { acmeMapProvider, acmeMapKeys } = (await import(FIXTURE)) as typeof import("../test-fixtures/acme-map-adapter/index.js");
    const seed = await createStorageContainer({ stores: { acme: { provider: "acme-map", map: "by-flag" } } }, { providers: [acmeMapProvider] });
    await seed.getKeyValueStore("acme").put("existing", "kept");
    await seed.close();

    const { code, report } = await runConfig(config("by-flag"), ["--module", FIXTURE]);
    expect(failures(report)).toEqual([]);
    expect(code).toBe(0);
    expect(report.adapters[0]!.summary.pass).toBeGreaterThan(50);
    expect(await acmeMapKeys("by-flag")).toEqual(["existing"]);
  }, 300_000);

  it('a "modules" list in the config file loads the adapter, relative to the file', async () => {
    const { code, report } = await runConfig(config("by-file", { modules: [relative(dir, FIXTURE)] }));
    expect(failures(report)).toEqual([]);
    expect(code).toBe(0);
    expect(report.adapters[0]!.summary.pass).toBeGreaterThan(50);
  }, 300_000);

  it("a module exporting no provider is refused with InvalidArgument naming it", async () => {
    const empty = join(dir, "empty.js");
    await writeFile(empty, "export const nothing = 1;\n");
    const err = await runConfig(config("x"), ["--module", empty]).catch((e: unknown) => e);
    expect(isStorageError(err, "InvalidArgument")).toBe(true);
    expect((err as Error).message).toContain("--module #1 exports no DI module");
  });

  it("a --config file that cannot be read, or a module that cannot be imported, is refused without echoing what was typed", async () => {
    const missing = await runCommand(["conformance", "--config", join(dir, "SECRET-NAME.json")]).catch((e: unknown) => e);
    expect(isStorageError(missing, "InvalidArgument")).toBe(true);
    expect((missing as Error).message).toBe("the --config file cannot be read");
    const err = await runConfig(config("x"), ["--module", "./SECRET-NAME.js"]).catch((e: unknown) => e);
    expect(isStorageError(err, "InvalidArgument")).toBe(true);
    expect((err as Error).message).toBe("the adapter module given as --module #1 cannot be imported");
  });
});

