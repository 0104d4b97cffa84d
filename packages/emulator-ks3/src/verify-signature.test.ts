/** Signature verification: KSS V2, AWS V2, presigned V2, SigV4, and the documented 403s. */
import { createHash } from "node:crypto";
import { kssV2Signature, kssV2StringToSign, sigV4Sign } from "@stowage/adapter-s3-family";
import { ManualClock } from "@stowage/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningKs3Emulator } from "./options.js";
import { startKs3Emulator } from "./server.js";
import { rawRequest } from "./test-raw-client.js";

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

/** A presigned SigV4 query (host signed only, 60 s) for `method path`, signed over `payloadHash`. */
function presignSigV4(emulator: RunningKs3Emulator, method: string, path: string, payloadHash: string): Record<string, string> {
  const amzDate = new Date(NOW).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const query = new URLSearchParams({
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Credential": `${emulator.accessKeyId}/${amzDate.slice(0, 8)}/${emulator.region}/s3/aws4_request`,
    "X-Amz-Date": amzDate,
    "X-Amz-Expires": "60",
    "X-Amz-SignedHeaders": "host",
  });
  const { signature } = sigV4Sign({
    method,
    path,
    query,
    headers: { host: new URL(emulator.endpoint).host },
    payloadHash,
    region: emulator.region,
    service: "s3",
    amzDate,
    accessKeyId: emulator.accessKeyId,
    secret: emulator.secretAccessKey,
    signedHeaders: ["host"],
  });
  return { ...Object.fromEntries(query), "X-Amz-Signature": signature };
}

/**
 * Headers for a SigV4 header-signed request over `signedHeaders` only (host, x-amz-date and
 * x-amz-content-sha256 are always sent); `unsigned` is added after signing.
 */
function sigV4Headers(
  emulator: RunningKs3Emulator,
  req: { method: string; path: string; host?: string; headers?: Record<string, string>; signedHeaders: string[]; unsigned?: Record<string, string> },
): Record<string, string> {
  const amzDate = new Date(NOW).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const headers: Record<string, string> = {
    host: req.host ?? new URL(emulator.endpoint).host,
    "x-amz-date": amzDate,
    "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
    ...req.headers,
  };
  const { authorization } = sigV4Sign({
    method: req.method,
    path: req.path,
    query: new URLSearchParams(),
    headers,
    payloadHash: "UNSIGNED-PAYLOAD",
    region: emulator.region,
    service: "s3",
    amzDate,
    accessKeyId: emulator.accessKeyId,
    secret: emulator.secretAccessKey,
    signedHeaders: req.signedHeaders,
  });
  const { host: _host, ...rest } = headers;
  return { ...rest, authorization, ...req.unsigned };
}

describe("signature verification", () => {
  let emulator: RunningKs3Emulator;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    emulator = await startKs3Emulator({ clock, buckets: ["sig-bucket", "other-bucket"] });
  });
  afterAll(async () => {
    await emulator.close();
  });

  const at = new Date(NOW);

  test("PutObject signed `KSS AK:sig` with x-kss-meta-* succeeds and GetObject returns x-kss-meta-*", async () => {
    const put = await rawRequest(emulator, {
      method: "PUT",
      path: "/sig-bucket/photos/a%20b%2A.jpg",
      headers: { "content-type": "image/jpeg", "x-kss-meta-author": "alice" },
      body: "jpeg",
      date: at,
    });
    expect(put.status).toBe(200);
    const get = await rawRequest(emulator, { method: "GET", path: "/sig-bucket/photos/a%20b%2A.jpg", date: at });
    expect(get.status).toBe(200);
    expect(get.text).toBe("jpeg");
    expect(get.headers["x-kss-meta-author"]).toBe("alice");
  });

  test("a request signed `AWS AK:sig` over x-amz-* headers succeeds", async () => {
    const put = await rawRequest(emulator, { method: "PUT", path: "/sig-bucket/aws-v2", headers: { "x-amz-meta-k": "v" }, body: "x", sign: "x-amz-", date: at });
    expect(put.status).toBe(200);
  });

  test("a KSS signature over the Python SDK's key encoding (`+`, literal `*`) is accepted", async () => {
    const put = await rawRequest(emulator, {
      method: "PUT",
      path: "/sig-bucket/py%20key%2A",
      resource: "/sig-bucket/py+key*",
      body: "x",
      date: at,
    });
    expect(put.status).toBe(200);
  });

  test("a wrong signature rejects 403 SignatureDoesNotMatch with the error document", async () => {
    const res = await rawRequest(emulator, { method: "GET", path: "/sig-bucket/aws-v2", secret: "not-the-secret", date: at });
    expect(res.status).toBe(403);
    expect(res.code).toBe("SignatureDoesNotMatch");
    expect(res.text).toMatch(/<Error><Code>SignatureDoesNotMatch<\/Code><Message>[^<]+<\/Message><Resource>\/sig-bucket\/aws-v2<\/Resource><RequestId>[0-9A-F]+<\/RequestId><\/Error>/);
    expect(res.headers["x-kss-request-id"]).toMatch(/^[0-9A-F]+$/);
    expect(res.text).not.toContain(emulator.secretAccessKey);
  });

  test("an unknown access key rejects 403 InvalidAccessKeyId", async () => {
    const res = await rawRequest(emulator, { method: "GET", path: "/sig-bucket/aws-v2", accessKeyId: "nobody", date: at });
    expect(res.status).toBe(403);
    expect(res.code).toBe("InvalidAccessKeyId");
  });

  test("a Date 16 minutes off the server clock rejects 403 RequestTimeTooSkewed; 14 minutes is accepted", async () => {
    const late = await rawRequest(emulator, { method: "GET", path: "/sig-bucket/aws-v2", date: new Date(NOW + 16 * 60_000) });
    expect(late.status).toBe(403);
    expect(late.code).toBe("RequestTimeTooSkewed");
    const ok = await rawRequest(emulator, { method: "GET", path: "/sig-bucket/aws-v2", date: new Date(NOW - 14 * 60_000) });
    expect(ok.status).toBe(200);
  });

  test("an anonymous request rejects 403 AccessDenied", async () => {
    const res = await rawRequest(emulator, { method: "GET", path: "/sig-bucket/aws-v2", sign: false });
    expect(res.status).toBe(403);
    expect(res.code).toBe("AccessDenied");
  });

  test("a presigned V2 URL (KSSAccessKeyId, Expires, Signature) is accepted until it expires", async () => {
    const expires = String(Math.floor(NOW / 1000) + 60);
    const stringToSign = kssV2StringToSign({ method: "GET", resource: "/sig-bucket/aws-v2", query: new URLSearchParams(), headers: {}, headerPrefix: "x-kss-", expires });
    const query = { KSSAccessKeyId: emulator.accessKeyId, Expires: expires, Signature: kssV2Signature(stringToSign, emulator.secretAccessKey) };
    const ok = await rawRequest(emulator, { method: "GET", path: "/sig-bucket/aws-v2", query, sign: false });
    expect(ok.status).toBe(200);
    clock.advance(120_000);
    const expired = await rawRequest(emulator, { method: "GET", path: "/sig-bucket/aws-v2", query, sign: false });
    clock.advance(-120_000);
    expect(expired.status).toBe(403);
    expect(expired.code).toBe("AccessDenied");
  });

  test("a presigned SigV4 URL (X-Amz-Algorithm … X-Amz-Signature) is accepted until it expires; a tampered one is not", async () => {
    const presigned = presignSigV4(emulator, "GET", "/sig-bucket/aws-v2", "UNSIGNED-PAYLOAD");
    const ok = await rawRequest(emulator, { method: "GET", path: "/sig-bucket/aws-v2", query: presigned, sign: false });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe("x");
    const tampered = await rawRequest(emulator, { method: "GET", path: "/sig-bucket/aws-v2", query: { ...presigned, "X-Amz-Expires": "6000" }, sign: false });
    expect(tampered.code).toBe("SignatureDoesNotMatch");
    clock.advance(120_000);
    const expired = await rawRequest(emulator, { method: "GET", path: "/sig-bucket/aws-v2", query: presigned, sign: false });
    clock.advance(-120_000);
    expect(expired.code).toBe("AccessDenied");
  });

  test("a presigned SigV4 PUT signed over an x-amz-content-sha256 rejects other bytes 400 XAmzContentSHA256Mismatch", async () => {
    const payloadHash = createHash("sha256").update("signed bytes").digest("hex");
    const presigned = presignSigV4(emulator, "PUT", "/sig-bucket/presigned-put", payloadHash);
    const put = (body: string) =>
      rawRequest(emulator, { method: "PUT", path: "/sig-bucket/presigned-put", query: presigned, headers: { "x-amz-content-sha256": payloadHash }, body, sign: false });
    const swapped = await put("other bytes!");
    expect(swapped.status).toBe(400);
    expect(swapped.code).toBe("XAmzContentSHA256Mismatch");
    const ok = await put("signed bytes");
    expect(ok.status).toBe(200);
  });

  describe("headers the signature does not cover", () => {
    const NOT_SIGNED = "There were headers present in the request which were not signed";

    test("a KSS-signed PutObject with an x-amz-copy-source it does not sign stores its own body, not a copy", async () => {
      await rawRequest(emulator, { method: "PUT", path: "/sig-bucket/unsigned-src", body: "source bytes", date: at });
      // `KSS AK:sig` canonicalizes x-kss-* only, so this header could have been added by anyone.
      const put = await rawRequest(emulator, { method: "PUT", path: "/sig-bucket/victim", headers: { "x-amz-copy-source": "/sig-bucket/unsigned-src" }, body: "own", date: at });
      expect(put.status).toBe(200);
      expect(put.text).not.toContain("CopyObjectResult");
      expect((await rawRequest(emulator, { method: "GET", path: "/sig-bucket/victim", date: at })).text).toBe("own");
    });

    test("an AWS-signed PutObject with an x-kss-copy-source it does not sign stores its own body, not a copy", async () => {
      const put = await rawRequest(emulator, { method: "PUT", path: "/sig-bucket/victim-aws", headers: { "x-kss-copy-source": "/sig-bucket/unsigned-src" }, body: "own", sign: "x-amz-", date: at });
      expect(put.status).toBe(200);
      expect((await rawRequest(emulator, { method: "GET", path: "/sig-bucket/victim-aws", date: at })).text).toBe("own");
    });

    test("a KSS-signed PutObject ignores x-amz-meta-* and x-amz-server-side-encryption it does not sign", async () => {
      const put = await rawRequest(emulator, {
        method: "PUT",
        path: "/sig-bucket/meta",
        headers: { "x-kss-meta-kept": "yes", "x-amz-meta-evil": "1", "x-amz-server-side-encryption": "AES256" },
        body: "abc",
        date: at,
      });
      expect(put.status).toBe(200);
      const get = await rawRequest(emulator, { method: "GET", path: "/sig-bucket/meta", date: at });
      expect(get.headers["x-kss-meta-kept"]).toBe("yes");
      expect(get.headers["x-kss-meta-evil"]).toBeUndefined();
      expect(get.headers["x-kss-server-side-encryption"]).toBeUndefined();
    });

    test("a presigned KSS V2 URL ignores an x-amz-meta-* header sent with it", async () => {
      const expires = String(Math.floor(NOW / 1000) + 60);
      const stringToSign = kssV2StringToSign({ method: "PUT", resource: "/sig-bucket/presigned-meta", query: new URLSearchParams(), headers: {}, headerPrefix: "x-kss-", expires });
      const query = { KSSAccessKeyId: emulator.accessKeyId, Expires: expires, Signature: kssV2Signature(stringToSign, emulator.secretAccessKey) };
      const put = await rawRequest(emulator, { method: "PUT", path: "/sig-bucket/presigned-meta", query, headers: { "x-amz-meta-evil": "1" }, body: "x", sign: false });
      expect(put.status).toBe(200);
      expect((await rawRequest(emulator, { method: "GET", path: "/sig-bucket/presigned-meta", date: at })).headers["x-kss-meta-evil"]).toBeUndefined();
    });

    test("a SigV4 request with an unsigned x-amz-copy-source rejects 403 AccessDenied and copies nothing", async () => {
      const headers = sigV4Headers(emulator, {
        method: "PUT",
        path: "/sig-bucket/v4-victim",
        signedHeaders: ["host", "x-amz-date", "x-amz-content-sha256"],
        unsigned: { "x-amz-copy-source": "/sig-bucket/unsigned-src" },
      });
      const res = await rawRequest(emulator, { method: "PUT", path: "/sig-bucket/v4-victim", headers, sign: false });
      expect(res.status).toBe(403);
      expect(res.code).toBe("AccessDenied");
      expect(res.text).toContain(NOT_SIGNED);
      expect((await rawRequest(emulator, { method: "HEAD", path: "/sig-bucket/v4-victim", date: at })).status).toBe(404);
    });

    test("a SigV4 request with an unsigned x-kss-meta-* or x-amz-meta-* header rejects 403 AccessDenied", async () => {
      for (const name of ["x-kss-meta-evil", "x-amz-meta-evil"]) {
        const headers = sigV4Headers(emulator, { method: "PUT", path: "/sig-bucket/v4-meta", signedHeaders: ["host", "x-amz-date", "x-amz-content-sha256"], unsigned: { [name]: "1" } });
        const res = await rawRequest(emulator, { method: "PUT", path: "/sig-bucket/v4-meta", headers, body: "abc", sign: false });
        expect(res.status, name).toBe(403);
        expect(res.code, name).toBe("AccessDenied");
      }
    });

    test("a SigV4 request that does not sign host rejects 403 AccessDenied, so it cannot be replayed to another bucket", async () => {
      const port = new URL(emulator.endpoint).port;
      const headers = sigV4Headers(emulator, { method: "PUT", path: "/replayed", host: `sig-bucket.localhost:${port}`, signedHeaders: ["x-amz-date", "x-amz-content-sha256"] });
      const res = await rawRequest(emulator, { method: "PUT", path: "/replayed", host: `other-bucket.localhost:${port}`, headers, body: "data", sign: false });
      expect(res.status).toBe(403);
      expect(res.code).toBe("AccessDenied");
      expect(res.text).toContain(NOT_SIGNED);
    });

    test("a SigV4 request signing x-amz-copy-source and x-amz-meta-* copies (the signed headers are honoured)", async () => {
      const headers = sigV4Headers(emulator, {
        method: "PUT",
        path: "/sig-bucket/v4-copy",
        headers: { "x-amz-copy-source": "/sig-bucket/unsigned-src" },
        signedHeaders: ["host", "x-amz-content-sha256", "x-amz-copy-source", "x-amz-date"],
      });
      const res = await rawRequest(emulator, { method: "PUT", path: "/sig-bucket/v4-copy", headers, sign: false });
      expect(res.status).toBe(200);
      expect((await rawRequest(emulator, { method: "GET", path: "/sig-bucket/v4-copy", date: at })).text).toBe("source bytes");
    });

    test("a presigned SigV4 URL sent with an x-amz-meta-* header it does not sign rejects 403 AccessDenied", async () => {
      const presigned = presignSigV4(emulator, "PUT", "/sig-bucket/presigned-v4-meta", "UNSIGNED-PAYLOAD");
      const res = await rawRequest(emulator, { method: "PUT", path: "/sig-bucket/presigned-v4-meta", query: presigned, headers: { "x-amz-meta-evil": "1" }, body: "x", sign: false });
      expect(res.status).toBe(403);
      expect(res.code).toBe("AccessDenied");
    });
  });

  test("virtual-host addressing (Host: {bucket}.localhost) reaches the same object", async () => {
    const url = new URL(emulator.endpoint);
    const res = await rawRequest(emulator, { method: "GET", path: "/aws-v2", host: `sig-bucket.localhost:${url.port}`, resource: "/sig-bucket/aws-v2", date: at });
    expect(res.status).toBe(200);
    expect(res.text).toBe("x");
  });
});
