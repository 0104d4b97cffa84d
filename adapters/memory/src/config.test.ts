import { ESA_KV_LIMITS, KS3_LIMITS, S3_LIMITS, createStorageContainer, loadStorageConfig } from "@stowage/core";
import { describe, expect, it } from "vitest";
import { parseMemoryConfig } from "./config.js";
import { memoryModule } from "./module.js";

describe("parseMemoryConfig()", () => {
  it("an empty configuration gives ESA Edge KV and KS3 limits and no names", () => {
    const parsed = parseMemoryConfig({});
    expect(parsed.keyValue).toEqual({ limits: ESA_KV_LIMITS });
    expect(parsed.objects).toEqual({ limits: KS3_LIMITS });
    expect(parsed.world).toBeUndefined();
  });

  it("names, the s3 profile and limit overrides reach the manifests that have each field", () => {
    const parsed = parseMemoryConfig({
      namespace: "sessions",
      bucket: "media",
      world: "shared",
      profile: "s3",
      limits: { namespaceMaxBytes: 1024, multipartMinPartBytes: 4, keyMaxBytes: 100 },
    });
    expect(parsed.keyValue.namespace).toBe("sessions");
    expect(parsed.keyValue.limits).toMatchObject({ namespaceMaxBytes: 1024, keyMaxBytes: 100 });
    expect(parsed.keyValue.limits).not.toHaveProperty("multipartMinPartBytes");
    expect(parsed.objects).toMatchObject({ bucket: "media", limits: { ...S3_LIMITS, multipartMinPartBytes: 4, keyMaxBytes: 100 } });
    expect(parsed.world).toBe("shared");
    expect(Object.isFrozen(parsed.objects.limits)).toBe(true);
  });

  it("numbers and flags given as strings, as environment variables give them, are accepted", () => {
    const parsed = parseMemoryConfig({ limits: { namespaceMaxBytes: "2048", multipartPartNumbersContiguous: "false" } });
    expect(parsed.keyValue.limits?.namespaceMaxBytes).toBe(2048);
    expect(parsed.objects.limits?.multipartPartNumbersContiguous).toBe(false);
  });

  it("createStorageContainer() from STOWAGE_* variables applies numeric and flag limits given as strings", async () => {
    const config = await loadStorageConfig({
      env: {
        STOWAGE_STORES__cache__PROVIDER: "memory",
        STOWAGE_STORES__cache__PROFILE: "s3",
        STOWAGE_STORES__cache__LIMITS__KEY_MAX_BYTES: "100",
        STOWAGE_STORES__cache__LIMITS__PUT_WITH_TTL: "false",
        STOWAGE_STORES__cache__LIMITS__MULTIPART_MIN_PART_BYTES: "4",
        STOWAGE_STORES__cache__LIMITS__LIST_OBJECTS_MAX_PAGE_SIZE: "7",
      },
    });
    const storage = await createStorageContainer(config, { modules: [memoryModule] });
    try {
      expect(storage.getKeyValueStore("cache").limits).toMatchObject({ keyMaxBytes: 100, putWithTtl: false });
      expect(storage.getObjectStore("cache").limits).toMatchObject({ keyMaxBytes: 100, multipartMinPartBytes: 4, listObjectsMaxPageSize: 7, multipartPartNumbersContiguous: false });
    } finally {
      await storage.close();
    }
  });

  it("createStorageContainer() with a bad memory field rejects InvalidArgument naming the store's field path", async () => {
    await expect(createStorageContainer({ stores: { cache: { provider: "memory", limits: { keyMaxBytes: "many" } } } }, { modules: [memoryModule] })).rejects.toMatchObject({
      code: "InvalidArgument",
      message: expect.stringMatching(/stores\.cache: .*"limits\.keyMaxBytes"/),
    });
  });

  it.each([
    [{ nameSpace: "typo" }, "nameSpace"],
    [{ namespace: "" }, "namespace"],
    [{ bucket: 3 }, "bucket"],
    [{ profile: "gcs" }, "profile"],
    [{ limits: "small" }, "limits"],
    [{ limits: { notAField: 1 } }, "limits.notAField"],
    [{ limits: { namespaceMaxBytes: -1 } }, "limits.namespaceMaxBytes"],
    [{ limits: { namespaceMaxBytes: 1.5 } }, "limits.namespaceMaxBytes"],
    [{ limits: { putWithTtl: "yes" } }, "limits.putWithTtl"],
    [{ limits: { keyForbiddenSubstrings: [1] } }, "limits.keyForbiddenSubstrings"],
  ])("%j rejects InvalidArgument naming %s", (config, field) => {
    let caught: unknown;
    try {
      parseMemoryConfig(config);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: "InvalidArgument" });
    expect((caught as Error).message).toContain(`"${field}"`);
  });
});
