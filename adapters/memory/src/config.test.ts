import { ESA_KV_LIMITS, KS3_LIMITS, S3_LIMITS } from "@stowage/core";
import { describe, expect, it } from "vitest";
import { parseMemoryConfig } from "./config.js";

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
