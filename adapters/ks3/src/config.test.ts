import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { parseKs3Config, resolveKs3Options } from "./config.js";

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
});
