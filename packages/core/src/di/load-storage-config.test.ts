import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStorageConfig } from "./load-storage-config.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stowage-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe("loadStorageConfig", () => {
  it("{ file } reads and normalizes a JSON file", async () => {
    const path = await file("full.json", JSON.stringify({ stores: { cache: { provider: "memory", timeoutMs: 100 } } }));
    await expect(loadStorageConfig({ file: path })).resolves.toEqual({
      stores: { cache: { provider: "memory", timeoutMs: 100, retry: {} } },
    });
  });

  it("STOWAGE_PROVIDER alone gives the single-store shorthand", async () => {
    const config = await loadStorageConfig({ env: { STOWAGE_PROVIDER: "memory", STOWAGE_NAMESPACE: "sessions", HOME: "/root" } });
    expect(config).toEqual({ stores: { default: { provider: "memory", namespace: "sessions", retry: {} } }, default: "default" });
  });

  it("STOWAGE_STORES__<name>__FIELD keeps the store name as written and camel-cases the fields", async () => {
    const config = await loadStorageConfig({
      env: {
        STOWAGE_STORES__cache__PROVIDER: "esa-kv",
        STOWAGE_STORES__cache__NAMESPACE: "x",
        STOWAGE_STORES__cache__ACCESS_KEY_ID: "id",
        STOWAGE_STORES__cache__TIMEOUT_MS: "2500",
        STOWAGE_STORES__cache__RETRY__MAX_ATTEMPTS: "5",
        STOWAGE_STORES__Media__PROVIDER: "ks3",
        STOWAGE_STORES__Media__RETRY: "false",
        STOWAGE_DEFAULT: "cache",
        STOWAGE_STORES__Media__REGION: "",
      },
    });
    expect(config).toEqual({
      stores: {
        cache: { provider: "esa-kv", namespace: "x", accessKeyId: "id", timeoutMs: 2500, retry: { maxAttempts: 5 } },
        Media: { provider: "ks3", retry: false },
      },
      default: "cache",
    });
  });

  it("a custom prefix reads only its own variables", async () => {
    const config = await loadStorageConfig({ prefix: "APP_STORAGE_", env: { APP_STORAGE_PROVIDER: "memory", STOWAGE_PROVIDER: "ks3" } });
    expect(config.stores.default?.provider).toBe("memory");
  });

  it("environment variables override the file's fields, which otherwise survive", async () => {
    const path = await file("base.json", JSON.stringify({ stores: { cache: { provider: "memory", namespace: "from-file", timeoutMs: 100 } } }));
    const config = await loadStorageConfig({ env: { STOWAGE_CONFIG_FILE: path, STOWAGE_STORES__cache__NAMESPACE: "from-env" } });
    expect(config.stores.cache).toEqual({ provider: "memory", namespace: "from-env", timeoutMs: 100, retry: {} });
  });

  it("a file that is not JSON raises InvalidArgument naming the file but quoting none of it", async () => {
    const path = await file("broken.json", '{ "provider": "memory", "secretAccessKey": hunter2 }');
    const err = await loadStorageConfig({ file: path }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "InvalidArgument", message: expect.stringContaining("broken.json") });
    expect((err as Error).message).not.toContain("hunter2");
    expect((err as Error).cause).toBeUndefined();
  });

  it("a missing file raises InvalidArgument", async () => {
    await expect(loadStorageConfig({ file: join(dir, "absent.json") })).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  it("no file and no variables raises InvalidArgument naming the variables to set", async () => {
    await expect(loadStorageConfig({ env: { PATH: "/bin" } })).rejects.toMatchObject({
      code: "InvalidArgument",
      message: expect.stringContaining("STOWAGE_PROVIDER"),
    });
  });

  it("two variables claiming one path as value and as object raise InvalidArgument", async () => {
    await expect(loadStorageConfig({ env: { STOWAGE_PROVIDER: "memory", STOWAGE_RETRY: "false", STOWAGE_RETRY__MAX_ATTEMPTS: "2" } })).rejects.toMatchObject({
      code: "InvalidArgument",
      message: expect.stringContaining("STOWAGE_RETRY__MAX_ATTEMPTS"),
    });
  });

  it("a bad value from the environment names the field and does not echo the value", async () => {
    const err = await loadStorageConfig({ env: { STOWAGE_PROVIDER: "memory", STOWAGE_TIMEOUT_MS: "tok-abc123" } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "InvalidArgument", message: expect.stringContaining("timeoutMs") });
    expect((err as Error).message).not.toContain("abc123");
  });
});
