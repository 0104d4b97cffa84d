import { ManualClock } from "@stowage/core";
import { describe, expect, it } from "vitest";
import { EsaKvEmulatorError } from "./errors.js";
import {
  acs3CanonicalRequest,
  acs3Signature,
  NonceCache,
  rpcV2Signature,
  rpcV2StringToSign,
  sha256Hex,
  verifySignature,
  type SignedRequest,
} from "./signature-verify.js";

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// Reference §3.1: the official V3 worked example (RunInstances on ECS).
const officialHeaders = new Map([
  ["host", "ecs.cn-shanghai.aliyuncs.com"],
  ["x-acs-action", "RunInstances"],
  ["x-acs-content-sha256", EMPTY_SHA256],
  ["x-acs-date", "2023-10-26T10:22:32Z"],
  ["x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"],
  ["x-acs-version", "2014-05-26"],
]);
const officialQuery = [
  ["RegionId", "cn-shanghai"],
  ["ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"],
] as const;

describe("ACS3-HMAC-SHA256", () => {
  it("acs3CanonicalRequest() reproduces the official example's canonical request byte for byte", () => {
    const canonical = acs3CanonicalRequest({
      method: "POST",
      path: "/",
      query: officialQuery,
      signedHeaderValues: officialHeaders,
      hashedPayload: EMPTY_SHA256,
    });
    expect(canonical).toBe(
      [
        "POST",
        "/",
        "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
        "host:ecs.cn-shanghai.aliyuncs.com",
        "x-acs-action:RunInstances",
        `x-acs-content-sha256:${EMPTY_SHA256}`,
        "x-acs-date:2023-10-26T10:22:32Z",
        "x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d",
        "x-acs-version:2014-05-26",
        "",
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version",
        EMPTY_SHA256,
      ].join("\n"),
    );
    expect(sha256Hex(canonical)).toBe("7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
  });

  it("acs3Signature() yields the official example's signature", () => {
    const canonical = acs3CanonicalRequest({
      method: "POST",
      path: "/",
      query: officialQuery,
      signedHeaderValues: officialHeaders,
      hashedPayload: EMPTY_SHA256,
    });
    expect(acs3Signature("YourAccessKeySecret", canonical)).toBe(
      "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
    );
  });

  function officialRequest(signature: string): SignedRequest {
    const headers: Record<string, string> = Object.fromEntries(officialHeaders);
    headers.authorization =
      "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version," +
      `Signature=${signature}`;
    return { method: "POST", path: "/", query: officialQuery, form: [], headers, body: new Uint8Array() };
  }
  const keys = new Map([["YourAccessKeyId", "YourAccessKeySecret"]]);
  const atVectorTime = () => new ManualClock(Date.UTC(2023, 9, 26, 10, 22, 40));

  it("verifySignature() accepts the official example request", () => {
    const clock = atVectorTime();
    const scheme = verifySignature(
      officialRequest("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"),
      keys,
      clock,
      15 * 60_000,
      new NonceCache(clock, 15 * 60_000),
    );
    expect(scheme).toBe("ACS3-HMAC-SHA256");
  });

  it("verifySignature() with one flipped signature digit rejects SignatureDoesNotMatch", () => {
    const clock = atVectorTime();
    expect(() =>
      verifySignature(
        officialRequest("16563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"),
        keys,
        clock,
        15 * 60_000,
        new NonceCache(clock, 15 * 60_000),
      ),
    ).toThrow(expect.objectContaining({ code: "SignatureDoesNotMatch" }));
  });

  it("verifySignature() 16 minutes after x-acs-date rejects InvalidTimeStamp.Expired", () => {
    const clock = new ManualClock(Date.UTC(2023, 9, 26, 10, 38, 33));
    expect(() =>
      verifySignature(
        officialRequest("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"),
        keys,
        clock,
        15 * 60_000,
        new NonceCache(clock, 15 * 60_000),
      ),
    ).toThrow(expect.objectContaining({ code: "InvalidTimeStamp.Expired" }));
  });

  it("verifySignature() replaying the same nonce rejects SignatureNonceUsed", () => {
    const clock = atVectorTime();
    const nonces = new NonceCache(clock, 15 * 60_000);
    const request = officialRequest("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    verifySignature(request, keys, clock, 15 * 60_000, nonces);
    expect(() => verifySignature(request, keys, clock, 15 * 60_000, nonces)).toThrow(
      expect.objectContaining({ code: "SignatureNonceUsed" }),
    );
  });

  it("verifySignature() with an unknown access key id rejects InvalidAccessKeyId.NotFound", () => {
    const clock = atVectorTime();
    const error = (() => {
      try {
        verifySignature(
          officialRequest("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"),
          new Map([["someone-else", "x"]]),
          clock,
          15 * 60_000,
          new NonceCache(clock, 15 * 60_000),
        );
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(EsaKvEmulatorError);
    expect((error as EsaKvEmulatorError).code).toBe("InvalidAccessKeyId.NotFound");
    expect((error as EsaKvEmulatorError).status).toBe(404);
  });

  it("acs3Signature() reproduces the reference's self-computed PutKv example", () => {
    const body = "Value=test_value";
    const hashed = sha256Hex(body);
    expect(hashed).toBe("3ff7ab3271bdac37b01551b8b96f9003ea70446e9234eee0be5c1094672bffbe");
    const canonical = acs3CanonicalRequest({
      method: "POST",
      path: "/",
      query: [
        ["Key", "test_key"],
        ["Namespace", "test_namespace"],
      ],
      signedHeaderValues: new Map([
        ["content-type", "application/x-www-form-urlencoded"],
        ["host", "esa.cn-hangzhou.aliyuncs.com"],
        ["x-acs-action", "PutKv"],
        ["x-acs-content-sha256", hashed],
        ["x-acs-date", "2023-10-26T10:22:32Z"],
        ["x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"],
        ["x-acs-version", "2024-09-10"],
      ]),
      hashedPayload: hashed,
    });
    expect(sha256Hex(canonical)).toBe("598b98298049d746d3a0aeca6504193569c555e8749e5d40d095348c94b6a7bb");
    expect(acs3Signature("YourAccessKeySecret", canonical)).toBe(
      "74cc2dd5c877e7d07dd594894b6ba80ec0676c05def41cff2164089cfa027505",
    );
  });
});

describe("V2 RPC HMAC-SHA1", () => {
  // Reference §3.2: the official ECS DescribeRegions vector.
  const params = [
    ["AccessKeyId", "testid"],
    ["Action", "DescribeRegions"],
    ["Format", "XML"],
    ["SignatureMethod", "HMAC-SHA1"],
    ["SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"],
    ["SignatureVersion", "1.0"],
    ["Timestamp", "2016-02-23T12:46:24Z"],
    ["Version", "2014-05-26"],
  ] as const;

  it("rpcV2StringToSign() reproduces the official string to sign", () => {
    expect(rpcV2StringToSign("GET", params)).toBe(
      "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
    );
  });

  it("rpcV2Signature() yields the official GET and POST signatures", () => {
    expect(rpcV2Signature("testsecret", rpcV2StringToSign("GET", params))).toBe("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    expect(rpcV2Signature("testsecret", rpcV2StringToSign("POST", params))).toBe("MxbnVAM4w6sft9xjVpe/GCKueuk=");
  });

  it("verifySignature() accepts the official V2 request and rejects it with a wrong secret", () => {
    const clock = new ManualClock(Date.UTC(2016, 1, 23, 12, 46, 30));
    const request: SignedRequest = {
      method: "GET",
      path: "/",
      query: [...params, ["Signature", "OLeaidS1JvxuMvnyHOwuJ+uX5qY="]],
      form: [],
      headers: {},
      body: new Uint8Array(),
    };
    expect(verifySignature(request, new Map([["testid", "testsecret"]]), clock, 900_000, new NonceCache(clock, 900_000))).toBe(
      "HMAC-SHA1",
    );
    expect(() =>
      verifySignature(request, new Map([["testid", "wrong"]]), clock, 900_000, new NonceCache(clock, 900_000)),
    ).toThrow(expect.objectContaining({ code: "SignatureDoesNotMatch" }));
  });
});
