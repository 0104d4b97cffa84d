import { KeyValueStoreToken, createStorageContainer, normalizeBody, type KeyValueStore } from "@stowage/core";
import { describe, expect, it } from "vitest";
import { createMemoryProvider, memoryModule, memoryProvider } from "./module.js";
import { MemoryKeyValueStoreDriver } from "./key-value-store.js";

describe("memory provider", () => {
  it("memoryProvider has the id memory and creates drivers of both kinds", async () => {
    expect(memoryProvider.id).toBe("memory");
    const kv = await memoryProvider.createKeyValueStoreDriver!({ namespace: "n", limits: { namespaceMaxBytes: 10 } });
    expect(kv).toBeInstanceOf(MemoryKeyValueStoreDriver);
    expect(kv.limits.namespaceMaxBytes).toBe(10);
    const objects = await memoryProvider.createMultipartObjectStoreDriver!({ bucket: "b" });
    expect(objects.limits.multipartPartNumbersContiguous).toBe(true);
  });

  it("object stores naming the same world share buckets; without a world each store is alone", async () => {
    const provider = createMemoryProvider();
    const ctx = { signal: new AbortController().signal };
    const body = normalizeBody(new Uint8Array([1, 2]));
    const a = await provider.createMultipartObjectStoreDriver!({ bucket: "a", world: "w" });
    const b = await provider.createMultipartObjectStoreDriver!({ bucket: "b", world: "w" });
    const lonely = await provider.createMultipartObjectStoreDriver!({ bucket: "c" });
    await a.putObject("k", body, {}, ctx);
    await expect(b.copyObject("k", { source: { bucket: "a", key: "k" } }, ctx)).resolves.toMatchObject({ etag: expect.any(String) });
    await expect(lonely.copyObject("k", { source: { bucket: "a", key: "k" } }, ctx)).rejects.toMatchObject({ code: "BucketNotFound" });
  });

  it("createStorageContainer() with memoryModule binds a working KeyValueStore from { provider: 'memory' }", async () => {
    const storage = await createStorageContainer({ provider: "memory", kind: "kv", namespace: "app" }, { modules: [memoryModule] });
    const kv = storage.container.get<KeyValueStore>(KeyValueStoreToken);
    await kv.put("greeting", "hello");
    expect(await kv.getText("greeting")).toBe("hello");
    await storage.close();
  });

  it("createStorageContainer() with one memory entry and no kind builds both stores from the same fields", async () => {
    const storage = await createStorageContainer({ provider: "memory", namespace: "n", bucket: "b", limits: { keyMaxBytes: 8 } }, { modules: [memoryModule] });
    await expect(storage.getKeyValueStore().put("123456789", "v")).rejects.toMatchObject({ code: "KeyTooLong" });
    await expect(storage.getObjectStore().putObject("123456789", "v")).rejects.toMatchObject({ code: "KeyTooLong" });
    await storage.close();
  });

  it("createStorageContainer() with a misspelt memory field rejects InvalidArgument", async () => {
    await expect(createStorageContainer({ provider: "memory", bucke: "x" }, { modules: [memoryModule] })).rejects.toMatchObject({ code: "InvalidArgument" });
  });
});
