import { inspect } from "node:util";
import { createStorageContainer, loadStorageConfig, providerFields } from "@stowage/core";
import { describe, expect, it } from "vitest";
import { parseKs3Config, resolveKs3Options } from "./config.js";
import { ks3Module } from "./module.js";

const base = { bucket: "my-bucket", endpoint: "https://ks3-cn-shanghai.ksyuncs.com" };

describe("ks3 config", () => {
  it("resolveKs3Options() reads KS3_ACCESS_KEY_ID / KS3_SECRET_ACCESS_KEY and defaults to virtual-host, KSS V2 and the endpoint's region", () => {
    const o = resolveKs3Options(base, { KS3_ACCESS_KEY_ID: "envid", KS3_SECRET_ACCESS_KEY: "envsecret" });
    expect(o.credentials.accessKeyId).toBe("envid");
    expect(o.credentials.secretAccessKey).toBe("envsecret");
    expect(o.addressing).toBe("virtual-host");
    expect(o.signature).toBe("kss-v2");
    expect(o.region).toBe("cn-shanghai");
    expect(o.endpoint.href).toBe("https://ks3-cn-shanghai.ksyuncs.com/");
  });

  it("resolveKs3Options() prefers configured credentials and region", () => {
    const o = resolveKs3Options({ ...base, accessKeyId: "a", secretAccessKey: "b", region: "BEIJING" }, { KS3_ACCESS_KEY_ID: "envid", KS3_SECRET_ACCESS_KEY: "envsecret" });
    expect(o.credentials.accessKeyId).toBe("a");
    expect(o.region).toBe("BEIJING");
  });

  it("resolveKs3Options() without credentials rejects Unauthorized", () => {
    expect(() => resolveKs3Options(base, {})).toThrow(expect.objectContaining({ code: "Unauthorized" }));
  });

  it.each([
    [{ ...base, bucket: "Upper" }, "bucket"],
    [{ ...base, bucket: "a..b" }, "bucket"],
    [{ ...base, endpoint: "ks3.example" }, "endpoint"],
    [{ ...base, endpoint: "https://ks3.example/path" }, "endpoint"],
    [{ ...base, addressing: "dns" as never }, "addressing"],
    [{ ...base, signature: "v3" as never }, "signature"],
    [{ ...base, bucket: "dotted.bucket" }, "addressing"],
  ])("resolveKs3Options(%j) rejects InvalidArgument naming %s", (options, field) => {
    expect(() => resolveKs3Options({ ...options, accessKeyId: "a", secretAccessKey: "b" }, {})).toThrow(
      expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining(field) }),
    );
  });

  it("the resolved credentials never show the secret in inspect, JSON or toString", () => {
    const o = resolveKs3Options({ ...base, accessKeyId: "my-id", secretAccessKey: "super-secret-value" }, {});
    for (const text of [inspect(o, { depth: 5 }), JSON.stringify(o), String(o.credentials)]) expect(text).not.toContain("super-secret-value");
    expect(inspect(o.credentials)).toContain("my-id");
  });

  it("parseKs3Config() accepts the plain DI config and rejects unknown fields, wrong types and a missing bucket", () => {
    expect(parseKs3Config({ bucket: "b-1", endpoint: "http://127.0.0.1:1", addressing: "path", limits: { multipartMinPartBytes: 1024 } })).toEqual({
      bucket: "b-1",
      endpoint: "http://127.0.0.1:1",
      addressing: "path",
      limits: { multipartMinPartBytes: 1024 },
    });
    expect(() => parseKs3Config({ ...base, colour: "red" })).toThrow(expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining("colour") }));
    expect(() => parseKs3Config({ ...base, region: 5 })).toThrow(expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining("region") }));
    expect(() => parseKs3Config({ endpoint: base.endpoint })).toThrow(expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining("bucket") }));
  });

  it("parseKs3Config() accepts numbers and flags given as strings and rejects other strings naming the field", () => {
    expect(parseKs3Config({ ...base, sigv4ChunkedUploads: "true", maxBufferedBodyBytes: "1024", limits: { multipartMinPartBytes: "1024" } })).toEqual({
      ...base,
      sigv4ChunkedUploads: true,
      maxBufferedBodyBytes: 1024,
      limits: { multipartMinPartBytes: 1024 },
    });
    expect(() => parseKs3Config({ ...base, sigv4ChunkedUploads: "yes" })).toThrow(expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining('"sigv4ChunkedUploads"') }));
    expect(() => parseKs3Config({ ...base, addressing: "dns" })).toThrow(expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining('"addressing"') }));
  });

  it("parseKs3Config() error for a wrong-typed secret does not echo the value", () => {
    expect(() => parseKs3Config({ ...base, secretAccessKey: 12345678 })).toThrow(
      expect.objectContaining({ code: "InvalidArgument", message: expect.not.stringContaining("12345678") }),
    );
  });

  it("createStorageContainer() from STOWAGE_* variables builds a ks3 store with the numbers and flags given as strings", async () => {
    const config = await loadStorageConfig({
      env: {
        STOWAGE_STORES__media__PROVIDER: "ks3",
        STOWAGE_STORES__media__BUCKET: "my-bucket",
        STOWAGE_STORES__media__ENDPOINT: "http://127.0.0.1:9",
        STOWAGE_STORES__media__ADDRESSING: "path",
        STOWAGE_STORES__media__ACCESS_KEY_ID: "id",
        STOWAGE_STORES__media__SECRET_ACCESS_KEY: "secret",
        STOWAGE_STORES__media__SIGNATURE: "sigv4",
        STOWAGE_STORES__media__SIGV4_CHUNKED_UPLOADS: "true",
        STOWAGE_STORES__media__MAX_BUFFERED_BODY_BYTES: "1024",
        STOWAGE_STORES__media__LIMITS__MULTIPART_MIN_PART_BYTES: "1024",
        STOWAGE_STORES__media__LIMITS__MULTIPART_PART_NUMBERS_CONTIGUOUS: "false",
      },
    });
    expect(parseKs3Config(providerFields(config.stores["media"]!))).toMatchObject({ sigv4ChunkedUploads: true, maxBufferedBodyBytes: 1024 });
    const storage = await createStorageContainer(config, { modules: [ks3Module] });
    try {
      expect(storage.getObjectStore("media").limits).toMatchObject({ multipartMinPartBytes: 1024, multipartPartNumbersContiguous: false });
    } finally {
      await storage.close();
    }
  });
});
