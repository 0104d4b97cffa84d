import { inspect } from "node:util";
import { ManualClock, createStorageContainer, loadStorageConfig, providerFields } from "@stowage/core";
import { signRequest, resolveTarget } from "@stowage/adapter-s3-family";
import { describe, expect, it } from "vitest";
import { parseS3Config, resolveS3Options } from "./config.js";
import { cephRgw16Limits, s3Limits } from "./limits.js";
import { s3Module } from "./module.js";

const env = { AWS_ACCESS_KEY_ID: "envid", AWS_SECRET_ACCESS_KEY: "envsecret", AWS_SESSION_TOKEN: "envtoken", AWS_REGION: "eu-west-1" };

describe("s3 config", () => {
  it("resolveS3Options() reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN / AWS_REGION and defaults to AWS's regional endpoint and virtual-host", () => {
    const o = resolveS3Options({ bucket: "my-bucket" }, env);
    expect(o.credentials.accessKeyId).toBe("envid");
    expect(o.credentials.secretAccessKey).toBe("envsecret");
    expect(o.credentials.sessionToken).toBe("envtoken");
    expect(o.region).toBe("eu-west-1");
    expect(o.endpoint.href).toBe("https://s3.eu-west-1.amazonaws.com/");
    expect(o.addressing).toBe("virtual-host");
    expect(o.profile).toBe("aws");
  });

  it("resolveS3Options() with a configured key pair ignores AWS_SESSION_TOKEN (a token belongs to its own key pair)", () => {
    const o = resolveS3Options({ bucket: "b-1", accessKeyId: "a", secretAccessKey: "b" }, env);
    expect(o.credentials.accessKeyId).toBe("a");
    expect(o.credentials.sessionToken).toBeUndefined();
  });

  it("resolveS3Options() defaults an engine profile to path addressing", () => {
    expect(resolveS3Options({ bucket: "b-1", endpoint: "http://127.0.0.1:7480", profile: "ceph-rgw-16" }, env).addressing).toBe("path");
  });

  it("resolveS3Options() without credentials rejects Unauthorized", () => {
    expect(() => resolveS3Options({ bucket: "b-1" }, {})).toThrow(expect.objectContaining({ code: "Unauthorized" }));
  });

  it.each([
    [{ bucket: "Upper" }, "bucket"],
    [{ bucket: "b-1", endpoint: "s3.example" }, "endpoint"],
    [{ bucket: "b-1", addressing: "dns" as never }, "addressing"],
    [{ bucket: "b-1", profile: "minio" as never }, "profile"],
    [{ bucket: "dotted.bucket" }, "addressing"],
  ])("resolveS3Options(%j) rejects InvalidArgument naming %s", (options, field) => {
    expect(() => resolveS3Options(options, env)).toThrow(expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining(field) }));
  });

  it("the resolved credentials never show the secret or the session token in inspect, JSON or toString", () => {
    const o = resolveS3Options({ bucket: "b-1", accessKeyId: "my-id", secretAccessKey: "super-secret-value", sessionToken: "session-token-value" }, {});
    for (const text of [inspect(o, { depth: 5 }), JSON.stringify(o), String(o.credentials)]) {
      expect(text).not.toContain("super-secret-value");
      expect(text).not.toContain("session-token-value");
    }
  });

  it("a SigV4 request with session credentials carries x-amz-security-token among the signed headers", () => {
    const o = resolveS3Options({ bucket: "b-1", accessKeyId: "id", secretAccessKey: "secret", sessionToken: "tok" }, {});
    const signed = signRequest(
      { signature: "sigv4", region: o.region, headerPrefix: "x-amz-", clock: new ManualClock(Date.UTC(2026, 0, 1)), credentials: o.credentials },
      { method: "GET", target: resolveTarget(o.endpoint, "path", { bucket: "b-1", key: "k", query: new URLSearchParams() }), query: new URLSearchParams(), headers: {}, bodyBytes: undefined, hasBody: false, bodyLength: undefined },
    );
    expect(signed.headers["x-amz-security-token"]).toBe("tok");
    expect(signed.headers["authorization"]).toMatch(/SignedHeaders=[^,]*x-amz-security-token/);
  });

  it("parseS3Config() accepts the plain DI config and rejects unknown fields naming them", () => {
    expect(parseS3Config({ bucket: "b-1", endpoint: "http://127.0.0.1:1", addressing: "path", profile: "ceph-rgw-16", region: "us-east-1" })).toEqual({
      bucket: "b-1",
      endpoint: "http://127.0.0.1:1",
      addressing: "path",
      profile: "ceph-rgw-16",
      region: "us-east-1",
    });
    expect(() => parseS3Config({ bucket: "b-1", colour: "red" })).toThrow(expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining("colour") }));
  });

  it("createStorageContainer() builds an s3 store from STOWAGE_* variables with the profile's manifest", async () => {
    const config = await loadStorageConfig({
      env: {
        STOWAGE_STORES__media__PROVIDER: "s3",
        STOWAGE_STORES__media__BUCKET: "my-bucket",
        STOWAGE_STORES__media__ENDPOINT: "http://127.0.0.1:9",
        STOWAGE_STORES__media__PROFILE: "ceph-rgw-16",
        STOWAGE_STORES__media__ACCESS_KEY_ID: "id",
        STOWAGE_STORES__media__SECRET_ACCESS_KEY: "secret",
      },
    });
    expect(parseS3Config(providerFields(config.stores["media"]!))).toMatchObject({ profile: "ceph-rgw-16" });
    const storage = await createStorageContainer(config, { modules: [s3Module] });
    try {
      expect(storage.getObjectStore("media").limits.copyWithConditions).toBe(false);
      expect(storage.getObjectStore("media").limits.declaredDivergences).toBe(cephRgw16Limits.declaredDivergences);
    } finally {
      await storage.close();
    }
  });
});

describe("s3 manifests", () => {
  it("the aws manifest is S3's: gaps allowed, 10,000 parts of 5 MiB–5 GiB, 5 GiB single PUT, no declared divergences", () => {
    expect(s3Limits).toMatchObject({ multipartPartNumbersContiguous: false, multipartMaxPartNumber: 10_000, multipartMinPartBytes: 5 * 1024 ** 2, multipartMaxPartBytes: 5 * 1024 ** 3, putObjectMaxBytes: 5 * 1024 ** 3 });
    expect(s3Limits.declaredDivergences).toBeUndefined();
  });

  it("the ceph-rgw-16 profile leaves copyWithConditions unclaimed and declares why, frozen", () => {
    expect(cephRgw16Limits.copyWithConditions).toBe(false);
    expect(cephRgw16Limits.declaredDivergences?.["copyWithConditions"]).toMatch(/copy-source-if/);
    expect(Object.isFrozen(cephRgw16Limits.declaredDivergences)).toBe(true);
  });
});
