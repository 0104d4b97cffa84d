import { describe, expect, expectTypeOf, it } from "vitest";
import { ESA_KV_LIMITS, KS3_LIMITS } from "./limits.js";
import { readProviderConfig } from "./provider-config.js";

const schema = {
  provider: "demo",
  fields: {
    bucket: "string",
    secretAccessKey: "string",
    port: "integer",
    chunked: "boolean",
    addressing: { oneOf: ["path", "virtual-host"] },
    limits: { limits: [ESA_KV_LIMITS, KS3_LIMITS] },
  },
  required: ["bucket"],
} as const;

function rejection(config: Record<string, unknown>, options: { path?: string } = {}): Error {
  try {
    readProviderConfig(config, { ...schema, ...options });
  } catch (err) {
    return err as Error;
  }
  throw new Error("readProviderConfig() accepted the configuration");
}

describe("readProviderConfig()", () => {
  it("readProviderConfig() returns the present fields typed, without absent ones", () => {
    const read = readProviderConfig({ bucket: "b", port: 9000, chunked: true, addressing: "path" }, schema);
    expect(read).toEqual({ bucket: "b", port: 9000, chunked: true, addressing: "path" });
    expectTypeOf(read.bucket).toEqualTypeOf<string>();
    expectTypeOf(read.addressing).toEqualTypeOf<"path" | "virtual-host" | undefined>();
  });

  it("readProviderConfig() accepts numbers and flags given as strings, as STOWAGE_* variables give them", () => {
    const read = readProviderConfig(
      { bucket: "b", port: "9000", chunked: "false", limits: { putMaxValueBytes: "10", putWithTtl: "true", multipartMinPartBytes: "1024" } },
      schema,
    );
    expect(read).toEqual({ bucket: "b", port: 9000, chunked: false, limits: { putMaxValueBytes: 10, putWithTtl: true, multipartMinPartBytes: 1024 } });
  });

  it("readProviderConfig() with an unknown field rejects InvalidArgument naming it and listing the known fields", () => {
    const err = rejection({ bucket: "b", colour: "red" });
    expect(err).toMatchObject({ code: "InvalidArgument" });
    expect(err.message).toContain('"colour"');
    expect(err.message).toContain("bucket, secretAccessKey, port, chunked, addressing, limits");
  });

  it("readProviderConfig() with a path names the field under it", () => {
    expect(rejection({ bucket: "b", colour: "red" }, { path: "stores.media" }).message).toContain('"stores.media.colour"');
    expect(rejection({ bucket: "b", limits: { nope: 1 } }, { path: "stores.media" }).message).toContain('"stores.media.limits.nope"');
  });

  it("readProviderConfig() ignores the registry's own provider field", () => {
    expect(readProviderConfig({ provider: "demo", bucket: "b" }, schema)).toEqual({ bucket: "b" });
  });

  it.each([
    [{ bucket: 3 }, "bucket"],
    [{ bucket: "" }, "bucket"],
    [{ bucket: "b", port: -1 }, "port"],
    [{ bucket: "b", port: 1.5 }, "port"],
    [{ bucket: "b", port: "12ab" }, "port"],
    [{ bucket: "b", port: "99999999999999999" }, "port"],
    [{ bucket: "b", chunked: "yes" }, "chunked"],
    [{ bucket: "b", chunked: 1 }, "chunked"],
    [{ bucket: "b", addressing: "dns" }, "addressing"],
    [{ bucket: "b", limits: "small" }, "limits"],
    [{ bucket: "b", limits: { notAField: 1 } }, "limits.notAField"],
    [{ bucket: "b", limits: { keyMaxBytes: "-1" } }, "limits.keyMaxBytes"],
    [{ bucket: "b", limits: { putWithTtl: "yes" } }, "limits.putWithTtl"],
    [{ bucket: "b", limits: { keyForbiddenCharacters: 5 } }, "limits.keyForbiddenCharacters"],
    [{ bucket: "b", limits: { keyForbiddenSubstrings: [1] } }, "limits.keyForbiddenSubstrings"],
    [{ port: 1 }, "bucket"],
  ])("readProviderConfig(%j) rejects InvalidArgument naming %s", (config, field) => {
    const err = rejection(config);
    expect(err).toMatchObject({ code: "InvalidArgument" });
    expect(err.message).toContain(`"${field}"`);
  });

  it("readProviderConfig() accepts an empty string where a manifest field is a string", () => {
    expect(readProviderConfig({ bucket: "b", limits: { keyForbiddenCharacters: "" } }, schema).limits).toEqual({ keyForbiddenCharacters: "" });
  });

  it("readProviderConfig() never quotes a rejected value, so a secret stays out of the message", () => {
    for (const config of [{ bucket: "b", secretAccessKey: 987654321 }, { bucket: "b", port: "987654321x" }, { bucket: "b", addressing: "987654321" }]) {
      const err = rejection(config);
      expect(err).toMatchObject({ code: "InvalidArgument" });
      expect(err.message).not.toContain("987654321");
      expect(String(err.cause ?? "")).not.toContain("987654321");
    }
  });
});
