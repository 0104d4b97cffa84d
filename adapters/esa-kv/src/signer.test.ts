import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { acs3Authorization, acs3CanonicalRequest, canonicalQueryString, EMPTY_PAYLOAD_SHA256, hashPayload, percentEncode } from "./signer.js";

// The worked example of "V3 request structure and signature" (help.aliyun.com), reproduced in
// reference/esa-kv-api.md §3.1.
const officialVector = {
  method: "POST",
  pathname: "/",
  query: { ImageId: "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", RegionId: "cn-shanghai" },
  headers: {
    host: "ecs.cn-shanghai.aliyuncs.com",
    "x-acs-action": "RunInstances",
    "x-acs-version": "2014-05-26",
    "x-acs-date": "2023-10-26T10:22:32Z",
    "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
    "x-acs-content-sha256": EMPTY_PAYLOAD_SHA256,
    "user-agent": "not signed",
  },
  hashedPayload: hashPayload(""),
};

describe("ACS3-HMAC-SHA256 signer", () => {
  it("acs3CanonicalRequest() of the official example equals the published canonical request", () => {
    const canonical = acs3CanonicalRequest(officialVector);
    expect(canonical).toBe(
      [
        "POST",
        "/",
        "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
        "host:ecs.cn-shanghai.aliyuncs.com",
        "x-acs-action:RunInstances",
        "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "x-acs-date:2023-10-26T10:22:32Z",
        "x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d",
        "x-acs-version:2014-05-26",
        "",
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      ].join("\n"),
    );
    expect(createHash("sha256").update(canonical).digest("hex")).toBe("7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
  });

  it("acs3Authorization() of the official example yields the published signature", () => {
    expect(acs3Authorization(officialVector, "YourAccessKeyId", "YourAccessKeySecret")).toBe(
      "ACS3-HMAC-SHA256 Credential=YourAccessKeyId," +
        "SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version," +
        "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
    );
  });

  it("acs3Authorization() of a form-body PutKv signs content-type and matches the reference's recomputed example", () => {
    const body = "Value=test_value";
    const hashed = hashPayload(body);
    expect(hashed).toBe("3ff7ab3271bdac37b01551b8b96f9003ea70446e9234eee0be5c1094672bffbe");
    const auth = acs3Authorization(
      {
        method: "POST",
        pathname: "/",
        query: { Namespace: "test_namespace", Key: "test_key" },
        headers: {
          Host: "esa.cn-hangzhou.aliyuncs.com",
          "Content-Type": "application/x-www-form-urlencoded",
          "x-acs-action": "PutKv",
          "x-acs-version": "2024-09-10",
          "x-acs-date": "2023-10-26T10:22:32Z",
          "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
          "x-acs-content-sha256": hashed,
        },
        hashedPayload: hashed,
      },
      "YourAccessKeyId",
      "YourAccessKeySecret",
    );
    expect(auth).toContain("SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,");
    expect(auth).toMatch(/Signature=74cc2dd5c877e7d07dd594894b6ba80ec0676c05def41cff2164089cfa027505$/);
  });

  it("acs3Authorization() changes when the secret changes", () => {
    const a = acs3Authorization(officialVector, "YourAccessKeyId", "YourAccessKeySecret");
    const b = acs3Authorization(officialVector, "YourAccessKeyId", "YourAccessKeySecreT");
    expect(a).not.toBe(b);
  });

  it("percentEncode() keeps only RFC 3986 unreserved characters and encodes ! ' ( ) * and space", () => {
    expect(percentEncode("a-b_c.d~e")).toBe("a-b_c.d~e");
    expect(percentEncode("!'()* /+=&")).toBe("%21%27%28%29%2A%20%2F%2B%3D%26");
    expect(percentEncode("é")).toBe("%C3%A9");
  });

  it("percentEncode() output contains only unreserved characters and %XX triples, and decodes back (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const encoded = percentEncode(s);
        expect(encoded).toMatch(/^(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2})*$/);
        expect(decodeURIComponent(encoded)).toBe(s);
      }),
    );
  });

  it("acs3Authorization() with the canonical query given signs as it does when building it from query", () => {
    const canonicalQuery = canonicalQueryString(officialVector.query);
    const given = acs3Authorization({ ...officialVector, canonicalQuery }, "YourAccessKeyId", "YourAccessKeySecret");
    expect(given).toBe(acs3Authorization(officialVector, "YourAccessKeyId", "YourAccessKeySecret"));
    expect(acs3Authorization({ ...officialVector, canonicalQuery: "ImageId=other" }, "YourAccessKeyId", "YourAccessKeySecret")).not.toBe(given);
  });

  it("hashPayload() of bytes equals hashPayload() of the same text, and of an empty body is the empty SHA-256", () => {
    expect(hashPayload(new TextEncoder().encode("Value=t\u00e9st"))).toBe(hashPayload("Value=t\u00e9st"));
    expect(hashPayload("Value=test_value")).toBe(createHash("sha256").update("Value=test_value").digest("hex"));
    expect(hashPayload(new Uint8Array(0))).toBe(EMPTY_PAYLOAD_SHA256);
  });

  it("canonicalQueryString() sorts by name and renders an empty value as name=", () => {
    expect(canonicalQueryString({ b: "2", a: "", C: "x y" })).toBe("C=x%20y&a=&b=2");
  });
});
