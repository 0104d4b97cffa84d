import { describe, expect, it } from "vitest";
import {
  EMPTY_SHA256,
  STREAMING_PAYLOAD,
  UNSIGNED_PAYLOAD,
  sha256Hex,
  sigV4ChunkSignature,
  sigV4Sign,
  sigV4Presign,
  sigV4SigningKey,
} from "./sigv4-signer.js";

// AWS S3 documentation, "Examples: Signature Calculations in AWS Signature Version 4"
// (sig-v4-header-based-auth.html) and "Signature Calculations for the Authorization Header:
// Transferring Payload in Multiple Chunks" (sigv4-streaming.html).
const AK = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const AMZ_DATE = "20130524T000000Z";
const HOST = "examplebucket.s3.amazonaws.com";
const base = { region: "us-east-1", service: "s3", amzDate: AMZ_DATE, accessKeyId: AK, secret: SECRET };

describe("sigV4Sign", () => {
  it("sigV4Sign() of the AWS GET Object example (Range header) gives f0e8bdb8…", () => {
    const r = sigV4Sign({
      ...base,
      method: "GET",
      path: "/test.txt",
      query: new URLSearchParams(),
      headers: { host: HOST, range: "bytes=0-9", "x-amz-content-sha256": EMPTY_SHA256, "x-amz-date": AMZ_DATE },
      payloadHash: EMPTY_SHA256,
    });
    expect(r.signature).toBe("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    expect(r.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=${AK}/20130524/us-east-1/s3/aws4_request, ` +
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, " +
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
  });

  it("sigV4Sign() of the AWS PUT Object example (encoded $ in the path) gives 98ad7217…", () => {
    const payloadHash = sha256Hex("Welcome to Amazon S3.");
    const r = sigV4Sign({
      ...base,
      method: "PUT",
      path: "/test%24file.text",
      query: new URLSearchParams(),
      headers: {
        host: HOST,
        date: "Fri, 24 May 2013 00:00:00 GMT",
        "x-amz-date": AMZ_DATE,
        "x-amz-storage-class": "REDUCED_REDUNDANCY",
        "x-amz-content-sha256": payloadHash,
      },
      payloadHash,
    });
    expect(payloadHash).toBe("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    expect(r.signature).toBe("98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
  });

  it("sigV4Sign() of the AWS GET Bucket Lifecycle example (valueless query) gives fea454ca…", () => {
    const r = sigV4Sign({
      ...base,
      method: "GET",
      path: "/",
      query: new URLSearchParams("lifecycle"),
      headers: { host: HOST, "x-amz-date": AMZ_DATE, "x-amz-content-sha256": EMPTY_SHA256 },
      payloadHash: EMPTY_SHA256,
    });
    expect(r.canonicalRequest.split("\n")[2]).toBe("lifecycle=");
    expect(r.signature).toBe("fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
  });

  it("sigV4Sign() of the AWS List Objects example (sorted query) gives 34b48302…", () => {
    const r = sigV4Sign({
      ...base,
      method: "GET",
      path: "/",
      query: new URLSearchParams({ "max-keys": "2", prefix: "J" }),
      headers: { host: HOST, "x-amz-date": AMZ_DATE, "x-amz-content-sha256": EMPTY_SHA256 },
      payloadHash: EMPTY_SHA256,
    });
    expect(r.signature).toBe("34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
  });

  it("sigV4Sign() with UNSIGNED-PAYLOAD puts the literal in the canonical request and changes the signature", () => {
    const req = {
      ...base,
      method: "PUT",
      path: "/k",
      query: new URLSearchParams(),
      headers: { host: HOST, "x-amz-date": AMZ_DATE, "x-amz-content-sha256": UNSIGNED_PAYLOAD },
    };
    const unsigned = sigV4Sign({ ...req, payloadHash: UNSIGNED_PAYLOAD });
    expect(unsigned.canonicalRequest.endsWith("\nUNSIGNED-PAYLOAD")).toBe(true);
    expect(unsigned.signature).not.toBe(sigV4Sign({ ...req, payloadHash: EMPTY_SHA256 }).signature);
  });

  it("sigV4Sign() with explicit signedHeaders ignores unlisted headers and leaves user-agent out by default", () => {
    const headers = { host: HOST, "x-amz-date": AMZ_DATE, "user-agent": "ua/1", "x-amz-meta-a": "1" };
    const common = { ...base, method: "GET", path: "/k", query: new URLSearchParams(), payloadHash: EMPTY_SHA256 };
    expect(sigV4Sign({ ...common, headers }).signedHeaders).toEqual(["host", "x-amz-date", "x-amz-meta-a"]);
    const a = sigV4Sign({ ...common, headers, signedHeaders: ["host", "x-amz-date"] });
    const b = sigV4Sign({ ...common, headers: { ...headers, "x-amz-meta-a": "2" }, signedHeaders: ["host", "x-amz-date"] });
    expect(a.signature).toBe(b.signature);
  });
});

describe("sigV4ChunkSignature", () => {
  it("the AWS streaming example: seed 4f232c43…, chunks ad80c730…, 0055627c…, final b6c6ea8a…", () => {
    const seed = sigV4Sign({
      ...base,
      method: "PUT",
      path: "/examplebucket/chunkObject.txt",
      query: new URLSearchParams(),
      headers: {
        host: "s3.amazonaws.com",
        "x-amz-date": AMZ_DATE,
        "x-amz-storage-class": "REDUCED_REDUNDANCY",
        "x-amz-content-sha256": STREAMING_PAYLOAD,
        "content-encoding": "aws-chunked",
        "x-amz-decoded-content-length": "66560",
        "content-length": "66824",
      },
      payloadHash: STREAMING_PAYLOAD,
    });
    expect(sha256Hex(seed.canonicalRequest)).toBe("cee3fed04b70f867d036f722359b0b1f2f0e5dc0efadbc082b76c4c60e316455");
    expect(seed.signature).toBe("4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
    const signingKey = sigV4SigningKey(SECRET, "20130524", "us-east-1", "s3");
    const chunk = (previousSignature: string, bytes: Uint8Array) =>
      sigV4ChunkSignature({ ...base, signingKey, previousSignature, chunk: bytes });
    const c1 = chunk(seed.signature, new Uint8Array(65536).fill(0x61));
    expect(c1).toBe("ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
    const c2 = chunk(c1, new Uint8Array(1024).fill(0x61));
    expect(c2).toBe("0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
    const c3 = sigV4ChunkSignature({ ...base, previousSignature: c2, chunk: new Uint8Array(0) });
    expect(c3).toBe("b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
  });
});

// AWS S3 API Reference, "Authenticating Requests: Using Query Parameters (AWS Signature
// Version 4)", the worked example: GET examplebucket/test.txt valid for 86400 s.
describe("sigV4Presign", () => {
  const example = () =>
    sigV4Presign({ ...base, method: "GET", path: "/test.txt", query: new URLSearchParams(), headers: { host: HOST }, expiresInSeconds: 86_400 });

  it("sigV4Presign() of the AWS presigned-URL example gives aeeed9bb… over the documented canonical request", () => {
    const r = example();
    expect(r.canonicalRequest).toBe(
      [
        "GET",
        "/test.txt",
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host",
        `host:${HOST}`,
        "",
        "host",
        UNSIGNED_PAYLOAD,
      ].join("\n"),
    );
    expect(r.stringToSign.split("\n")[3]).toBe("3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04");
    expect(r.signature).toBe("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
    expect(r.query.get("X-Amz-Signature")).toBe(r.signature);
    expect([...r.query.keys()]).toEqual(["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"]);
  });

  it("sigV4Presign() signs every header the caller must send and lists them in X-Amz-SignedHeaders", () => {
    const r = sigV4Presign({
      ...base,
      method: "PUT",
      path: "/a.txt",
      query: new URLSearchParams(),
      headers: { host: HOST, "Content-Type": "text/plain", "x-amz-meta-owner": "ann" },
      expiresInSeconds: 60,
    });
    expect(r.query.get("X-Amz-SignedHeaders")).toBe("content-type;host;x-amz-meta-owner");
    expect(r.canonicalRequest).toContain("content-type:text/plain\nhost:examplebucket.s3.amazonaws.com\nx-amz-meta-owner:ann\n");
    expect(r.signature).not.toBe(example().signature);
  });

  it("sigV4Presign() with a session token puts X-Amz-Security-Token in the signed query", () => {
    const r = sigV4Presign({ ...base, method: "GET", path: "/test.txt", query: new URLSearchParams(), headers: { host: HOST }, expiresInSeconds: 86_400, sessionToken: "tok/en+1" });
    expect(r.query.get("X-Amz-Security-Token")).toBe("tok/en+1");
    expect(r.canonicalRequest.split("\n")[2]).toContain("X-Amz-Security-Token=tok%2Fen%2B1");
    expect(r.signature).not.toBe("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  });

  it("sigV4Presign() refuses X-Amz-Expires of 0 and of 604801 (seven days is the maximum)", () => {
    const at = (expiresInSeconds: number) => () =>
      sigV4Presign({ ...base, method: "GET", path: "/t", query: new URLSearchParams(), headers: { host: HOST }, expiresInSeconds });
    expect(at(0)).toThrow(RangeError);
    expect(at(604_801)).toThrow(RangeError);
    expect(at(604_800)).not.toThrow();
  });
});
