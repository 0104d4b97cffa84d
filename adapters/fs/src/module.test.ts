import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createStorageContainer } from "@stowage/core";
import { FsKeyValueStoreDriver } from "./key-value-store.js";
import { fsModule, fsProvider } from "./module.js";
import { freshRoot } from "./test-fs-subjects.js";

const roots: string[] = [];
async function root(): Promise<string> {
  const dir = await freshRoot("module");
  roots.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of roots) await rm(dir, { recursive: true, force: true });
});

describe("fs provider", () => {
  it("fsProvider has the id fs and opens drivers of both kinds on the root, with limits overrides applied", async () => {
    expect(fsProvider.id).toBe("fs");
    const dir = await root();
    const kv = await fsProvider.createKeyValueStoreDriver!({ root: dir, limits: { keyMaxBytes: 100 } });
    expect(kv).toBeInstanceOf(FsKeyValueStoreDriver);
    expect(kv.limits.keyMaxBytes).toBe(100);
    const objects = await fsProvider.createMultipartObjectStoreDriver!({ root: dir, limits: { multipartMinPartBytes: 1024 } });
    expect(objects.limits.multipartMinPartBytes).toBe(1024);
  });

  it("createStorageContainer() with { provider: 'fs', kind: 'kv', root } keeps values across containers (a restart)", async () => {
    const dir = join(await root(), "created-on-open");
    const config = { stores: { cache: { provider: "fs", kind: "kv", root: dir } } } as const;
    const first = await createStorageContainer(config, { modules: [fsModule] });
    await first.getKeyValueStore("cache").put("greeting", "hello");
    await first.close();
    const second = await createStorageContainer(config, { modules: [fsModule] });
    expect(await second.getKeyValueStore("cache").getText("greeting")).toBe("hello");
    await second.close();
  });

  it("createStorageContainer() with one fs entry and no kind builds both stores on one root without mixing their keys", async () => {
    const storage = await createStorageContainer({ provider: "fs", root: await root() }, { modules: [fsModule] });
    await storage.getKeyValueStore().put("same", "kv");
    await storage.getObjectStore().putObject("same", "object");
    expect(await storage.getKeyValueStore().getText("same")).toBe("kv");
    expect((await storage.getObjectStore().headObject("same")).size).toBe(6);
    expect((await storage.getKeyValueStore().list()).keys.map((k) => k.key)).toEqual(["same"]);
    await storage.close();
  });

  it("createStorageContainer() without root, with an unknown field, or overriding a limit fs cannot keep rejects InvalidArgument", async () => {
    await expect(createStorageContainer({ provider: "fs", kind: "kv" }, { modules: [fsModule] })).rejects.toMatchObject({ code: "InvalidArgument" });
    await expect(createStorageContainer({ provider: "fs", root: "/tmp/x", rooot: "y" }, { modules: [fsModule] })).rejects.toMatchObject({ code: "InvalidArgument" });
    for (const limits of [{ namespaceMaxBytes: 1024 }, { listMaxKeys: 10 }, { sseC: true }, { copyAcrossBuckets: true }]) {
      await expect(createStorageContainer({ provider: "fs", root: await root(), limits }, { modules: [fsModule] })).rejects.toMatchObject({ code: "InvalidArgument" });
    }
  });
});
