import { inspect } from "node:util";
import { createStorageContainer, loadStorageConfig, providerFields } from "@stowage/core";
import { describe, expect, it } from "vitest";
import { EsaKvCredentials, isAlibabaCloudEndpoint, parseEsaKvConfig, resolveEsaKvOptions } from "./config.js";
import { esaKvModule } from "./module.js";

describe("esa-kv config", () => {
  it("resolveEsaKvOptions() reads credentials from ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET when not configured", () => {
    const resolved = resolveEsaKvOptions({ namespace: "ns" }, { ALIBABA_CLOUD_ACCESS_KEY_ID: "envid", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "envsecret" });
    expect(resolved.credentials.accessKeyId).toBe("envid");
    expect(resolved.credentials.revealSecret()).toBe("envsecret");
    expect(resolved.endpoint).toBe("https://esa.cn-hangzhou.aliyuncs.com");
    expect(resolved.openPlatformEndpoint).toBe("https://openplatform.aliyuncs.com");
  });

  it("resolveEsaKvOptions() prefers configured credentials and derives the endpoint from regionId", () => {
    const resolved = resolveEsaKvOptions({ namespace: "ns", regionId: "ap-southeast-1", accessKeyId: "a", accessKeySecret: "b" }, { ALIBABA_CLOUD_ACCESS_KEY_ID: "envid", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "envsecret" });
    expect(resolved.credentials.accessKeyId).toBe("a");
    expect(resolved.endpoint).toBe("https://esa.ap-southeast-1.aliyuncs.com");
  });

  it("resolveEsaKvOptions() with only a non-Alibaba endpoint sends OpenPlatform and OSS there too, never to Alibaba Cloud", () => {
    const resolved = resolveEsaKvOptions({ namespace: "ns", endpoint: "http://127.0.0.1:9100", accessKeyId: "a", accessKeySecret: "b" }, {});
    expect(resolved.openPlatformEndpoint).toBe("http://127.0.0.1:9100");
    expect(resolved.ossEndpoint).toBe("http://127.0.0.1:9100");
  });

  it("resolveEsaKvOptions() with an Alibaba Cloud endpoint keeps the real OpenPlatform host and the OSS bucket host", () => {
    const resolved = resolveEsaKvOptions({ namespace: "ns", endpoint: "https://esa.cn-hangzhou.aliyuncs.com", accessKeyId: "a", accessKeySecret: "b" }, {});
    expect(resolved.openPlatformEndpoint).toBe("https://openplatform.aliyuncs.com");
    expect(resolved.ossEndpoint).toBeUndefined();
    expect(isAlibabaCloudEndpoint("https://ESA.ap-southeast-1.AliyunCS.com.")).toBe(true);
    expect(isAlibabaCloudEndpoint("https://notaliyuncs.com")).toBe(false);
    expect(isAlibabaCloudEndpoint("https://aliyuncs.com.evil.example")).toBe(false);
  });

  it("resolveEsaKvOptions() without any credentials rejects Unauthorized", () => {
    expect(() => resolveEsaKvOptions({ namespace: "ns" }, {})).toThrow(expect.objectContaining({ code: "Unauthorized", providerCode: "InvalidCredentials" }));
  });

  it("resolveEsaKvOptions() with a non-URL endpoint rejects InvalidArgument naming the field", () => {
    expect(() => resolveEsaKvOptions({ namespace: "ns", endpoint: "esa.example", accessKeyId: "a", accessKeySecret: "b" }, {})).toThrow(
      expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining("endpoint") }),
    );
  });

  it("EsaKvCredentials never shows the secret in inspect, JSON or toString", () => {
    const credentials = new EsaKvCredentials("my-id", "super-secret-value");
    const options = resolveEsaKvOptions({ namespace: "ns", credentials }, {});
    for (const text of [inspect(credentials), inspect(options, { depth: 5 }), JSON.stringify(options), String(credentials)]) {
      expect(text).not.toContain("super-secret-value");
    }
    expect(inspect(credentials)).toContain("my-id");
  });

  it("parseEsaKvConfig() accepts the plain DI config and rejects unknown fields and wrong types", () => {
    expect(parseEsaKvConfig({ provider: "esa-kv", namespace: "ns", endpoint: "http://127.0.0.1:1", idleTimeoutMs: 5000, limits: { putMaxValueBytes: 10 } })).toEqual({
      namespace: "ns",
      endpoint: "http://127.0.0.1:1",
      idleTimeoutMs: 5000,
      limits: { putMaxValueBytes: 10 },
    });
    expect(() => parseEsaKvConfig({ namespace: "ns", bucket: "x" })).toThrow(expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining("bucket") }));
    expect(() => parseEsaKvConfig({ namespace: 3 })).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
    expect(() => parseEsaKvConfig({ endpoint: "http://x" })).toThrow(expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining("namespace") }));
  });

  it("parseEsaKvConfig() error for a wrong-typed secret does not echo the value", () => {
    try {
      parseEsaKvConfig({ namespace: "ns", accessKeySecret: 12345678 });
      expect.unreachable();
    } catch (err) {
      expect(String((err as Error).message)).not.toContain("12345678");
    }
  });

  it("parseEsaKvConfig() accepts numbers given as decimal strings and rejects other strings naming the field", () => {
    expect(parseEsaKvConfig({ namespace: "ns", connections: "4", idleTimeoutMs: "5000", limits: { putMaxValueBytes: "10" } })).toEqual({
      namespace: "ns",
      connections: 4,
      idleTimeoutMs: 5000,
      limits: { putMaxValueBytes: 10 },
    });
    expect(() => parseEsaKvConfig({ namespace: "ns", connections: "four" })).toThrow(expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining('"connections"') }));
    expect(() => parseEsaKvConfig({ namespace: "ns", limits: { putMaxValueBytes: 1, bucketCount: 2 } })).toThrow(
      expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining('"limits.bucketCount"') }),
    );
  });

  it("createStorageContainer() from STOWAGE_* variables builds an esa-kv store with the numbers and flags given as strings", async () => {
    const config = await loadStorageConfig({
      env: {
        STOWAGE_STORES__cache__PROVIDER: "esa-kv",
        STOWAGE_STORES__cache__NAMESPACE: "ns",
        STOWAGE_STORES__cache__ENDPOINT: "http://127.0.0.1:9",
        STOWAGE_STORES__cache__ACCESS_KEY_ID: "id",
        STOWAGE_STORES__cache__ACCESS_KEY_SECRET: "secret",
        STOWAGE_STORES__cache__CONNECTIONS: "2",
        STOWAGE_STORES__cache__IDLE_TIMEOUT_MS: "5000",
        STOWAGE_STORES__cache__LIMITS__PUT_MAX_VALUE_BYTES: "10",
        STOWAGE_STORES__cache__LIMITS__PUT_WITH_TTL: "false",
      },
    });
    expect(parseEsaKvConfig(providerFields(config.stores["cache"]!))).toMatchObject({ connections: 2, idleTimeoutMs: 5000 });
    const storage = await createStorageContainer(config, { modules: [esaKvModule] });
    try {
      expect(storage.getKeyValueStore("cache").limits).toMatchObject({ putMaxValueBytes: 10, putWithTtl: false });
    } finally {
      await storage.close();
    }
  });
});
