import { ContainerModule } from "inversify";
import { describe, expect, it } from "vitest";
import { createStorageContainer } from "./create-storage-container.js";
import { providerModule } from "./provider-module.js";
import { fakeProvider } from "./test-fake-provider.js";
import { KeyValueStoreToken, MultipartObjectStoreToken, StorageProviderToken } from "./tokens.js";

const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));

describe("createStorageContainer", () => {
  it("the shorthand with a provider module binds both contracts as the default stores", async () => {
    const provider = fakeProvider("fake");
    const storage = await createStorageContainer({ provider: "fake", namespace: "n" }, { modules: [providerModule(provider)] });
    const kv = storage.getKeyValueStore();
    await kv.put("k", "v");
    expect(await kv.getText("k")).toBe("v");
    expect(storage.container.get(KeyValueStoreToken)).toBe(kv);
    expect(storage.container.get(KeyValueStoreToken, { name: "default" })).toBe(kv);
    expect(storage.container.get(MultipartObjectStoreToken)).toBe(storage.getObjectStore());
    expect(provider.created.map((c) => [c.kind, c.config])).toEqual([
      ["kv", { namespace: "n" }],
      ["objects", { namespace: "n" }],
    ]);
    await storage.close();
  });

  it("named stores are bound whenNamed; default picks the configured store, else the only one of a contract", async () => {
    const storage = await createStorageContainer(
      {
        stores: {
          cache: { provider: "fake", kind: "kv" },
          sessions: { provider: "fake", kind: "kv" },
          files: { provider: "fake", kind: "objects" },
        },
        default: "cache",
      },
      { modules: [providerModule(fakeProvider("fake"))] },
    );
    const { container } = storage;
    expect(storage.getKeyValueStore()).toBe(storage.getKeyValueStore("cache"));
    expect(storage.getKeyValueStore("sessions")).not.toBe(storage.getKeyValueStore("cache"));
    expect(container.get(KeyValueStoreToken, { name: "sessions" })).toBe(storage.getKeyValueStore("sessions"));
    expect(container.get(KeyValueStoreToken)).toBe(storage.getKeyValueStore("cache"));
    expect(storage.getObjectStore()).toBe(storage.getObjectStore("files"));
    expect(container.get(MultipartObjectStoreToken)).toBe(storage.getObjectStore("files"));
    await storage.getKeyValueStore("sessions").put("only-here", "1");
    expect(await storage.getKeyValueStore("cache").get("only-here")).toBeUndefined();
    expect(() => storage.getObjectStore("cache")).toThrow(
      expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining("object stores: files") }),
    );
    await storage.close();
  });

  it("getKeyValueStore() without a name and no default among several raises InvalidArgument listing them", async () => {
    const storage = await createStorageContainer(
      { stores: { a: { provider: "fake", kind: "kv" }, b: { provider: "fake", kind: "kv" } } },
      { providers: [fakeProvider("fake")] },
    );
    expect(() => storage.getKeyValueStore()).toThrow(expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining("a, b") }));
    expect(storage.container.isBound(KeyValueStoreToken, { name: "a" })).toBe(true);
    expect(() => storage.container.get(KeyValueStoreToken)).toThrow();
    await storage.close();
  });

  it("a third-party provider passed in `providers` is used exactly like one from a module", async () => {
    const thirdParty = fakeProvider("acme-kv", ["kv"]);
    const storage = await createStorageContainer({ provider: "acme-kv" }, { providers: [thirdParty], modules: [providerModule(fakeProvider("fake"))] });
    expect(storage.providers.list().map((p) => p.id)).toEqual(["acme-kv", "fake"]);
    expect(storage.container.getAll(StorageProviderToken).map((p) => p.id)).toEqual(["fake"]);
    await storage.getKeyValueStore().put("x", "y");
    expect(thirdParty.created).toHaveLength(1);
    expect(() => storage.getObjectStore()).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
    await storage.close();
  });

  it("two different providers with one id raise AlreadyExists", async () => {
    await expect(
      createStorageContainer({ provider: "fake" }, { modules: [providerModule(fakeProvider("fake"))], providers: [fakeProvider("fake")] }),
    ).rejects.toMatchObject({ code: "AlreadyExists" });
  });

  it("an unknown provider raises InvalidArgument naming stores.<name>.provider and the known ids", async () => {
    const err = await createStorageContainer({ stores: { cache: { provider: "redis" } } }, { providers: [fakeProvider("memory")] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "InvalidArgument", message: expect.stringMatching(/stores\.cache\.provider.*"redis".*memory/) });
  });

  it.each([
    ["KS3", "ks3"],
    ["esakv", "esa-kv"],
    ["memroy", "memory"],
  ])("an unknown provider %j is echoed with a suggestion: did you mean %j?", async (typed, meant) => {
    const providers = ["esa-kv", "ks3", "memory"].map((id) => fakeProvider(id));
    const err = await createStorageContainer({ stores: { s: { provider: typed } } }, { providers }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "InvalidArgument", message: expect.stringContaining(`unknown provider "${typed}"; did you mean "${meant}"?`) });
  });

  it("an unknown provider that does not look like an id is not echoed, and nothing far off is suggested", async () => {
    const providers = [fakeProvider("memory")];
    const secret = await createStorageContainer({ stores: { s: { provider: "s3cr3t value/with spaces" } } }, { providers }).catch((e: unknown) => e);
    expect((secret as Error).message).not.toContain("s3cr3t");
    const far = await createStorageContainer({ stores: { s: { provider: "azure-blob" } } }, { providers }).catch((e: unknown) => e);
    expect((far as Error).message).not.toContain("did you mean");
  });

  it("getObjectStore() on a container with only key-value stores says so and points to getKeyValueStore()", async () => {
    const storage = await createStorageContainer({ stores: { cache: { provider: "kv-only" } } }, { providers: [fakeProvider("kv-only", ["kv"])] });
    const err = (() => {
      try {
        storage.getObjectStore();
      } catch (e) {
        return e as Error;
      }
      throw new Error("expected a throw");
    })();
    expect(err).toMatchObject({ code: "InvalidArgument" });
    expect(err.message).toContain("has no object store");
    expect(err.message).toContain('key-value stores (cache), reached with getKeyValueStore()');
    expect(err.message).not.toContain("(none configured)");
    expect(() => storage.getKeyValueStore("files")).toThrow(/no key-value store named "files"; key-value stores: cache/);
    await storage.close();
  });

  it("a kind the provider lacks raises InvalidArgument naming stores.<name>.kind", async () => {
    await expect(
      createStorageContainer({ stores: { files: { provider: "kv-only", kind: "objects" } } }, { providers: [fakeProvider("kv-only", ["kv"])] }),
    ).rejects.toMatchObject({ code: "InvalidArgument", message: expect.stringContaining("stores.files.kind") });
  });

  it("a provider rejecting its config raises with the store's path, and stores built before are closed", async () => {
    const provider = fakeProvider("fake");
    const err = await createStorageContainer(
      { stores: { good: { provider: "fake" }, bad: { provider: "fake", reject: true } } },
      { providers: [provider] },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "InvalidArgument", message: expect.stringContaining("stores.bad: ") });
    expect(provider.closed()).toBe(2);
  });

  it("the retry layer is applied by default and removed by retry: false", async () => {
    const provider = fakeProvider("fake", ["kv"]);
    const storage = await createStorageContainer(
      {
        stores: {
          retried: { provider: "fake", failGets: 2, retry: { baseDelayMs: 0 } },
          single: { provider: "fake", failGets: 2, retry: false },
        },
      },
      { providers: [provider] },
    );
    await expect(storage.getKeyValueStore("retried").get("k")).resolves.toBeUndefined();
    await expect(storage.getKeyValueStore("single").get("k")).rejects.toMatchObject({ code: "ServiceUnavailable" });
    expect(provider.getCalls).toEqual([3, 1]);
    await storage.close();
  });

  it("timeoutMs times out each attempt: a hung first get is retried, without retry it raises Timeout", async () => {
    const provider = fakeProvider("fake", ["kv"]);
    const storage = await createStorageContainer(
      {
        stores: {
          retried: { provider: "fake", hangGets: 1, timeoutMs: 5, retry: { baseDelayMs: 0 } },
          single: { provider: "fake", hangGets: 1, timeoutMs: 5, retry: false },
        },
      },
      { providers: [provider] },
    );
    await storage.getKeyValueStore("retried").put("k", "v");
    expect(text(await storage.getKeyValueStore("retried").get("k"))).toBe("v");
    await expect(storage.getKeyValueStore("single").get("k")).rejects.toMatchObject({ code: "Timeout" });
    expect(provider.getCalls).toEqual([2, 1]);
    await storage.close();
  });

  it("validation stays outermost: an invalid key is refused before retry or driver see it", async () => {
    const provider = fakeProvider("fake", ["kv"]);
    const storage = await createStorageContainer({ provider: "fake", failGets: 5 }, { providers: [provider] });
    await expect(storage.getKeyValueStore().get("has space")).rejects.toMatchObject({ code: "InvalidKey" });
    expect(provider.getCalls).toEqual([0]);
    await storage.close();
  });

  it("close() closes every store of both contracts once, however often it is called", async () => {
    const provider = fakeProvider("fake");
    const storage = await createStorageContainer({ stores: { a: { provider: "fake" }, b: { provider: "fake", kind: "kv" } } }, { providers: [provider] });
    await Promise.all([storage.close(), storage.close()]);
    await storage.close();
    expect(provider.closed()).toBe(3);
  });

  it("application modules load into the same container beside the provider modules", async () => {
    const Greeting = Symbol("Greeting");
    const appModule = new ContainerModule(({ bind }) => {
      bind(Greeting).toConstantValue("hello");
    });
    const storage = await createStorageContainer({ provider: "fake" }, { modules: [appModule, providerModule(fakeProvider("fake"))] });
    expect(storage.container.get<string>(Greeting)).toBe("hello");
    await storage.close();
  });
});
