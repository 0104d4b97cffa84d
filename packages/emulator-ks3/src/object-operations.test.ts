/** Object operations over KSS-signed requests, in both profiles where they differ (§7). */
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningKs3Emulator } from "./options.js";
import type { Ks3Profile } from "./profile.js";
import { startKs3Emulator } from "./server.js";
import { getObject, putObject, tag, tags } from "./test-ks3-calls.js";
import { rawRequest } from "./test-raw-client.js";

const B = "objects";
const BODY = "0123456789abcdefghijklmnopqrstuvwxyz"; // 36 bytes

function sseC(key: Buffer, prefix = "x-kss-server-side-encryption-customer-"): Record<string, string> {
  return {
    [`${prefix}algorithm`]: "AES256",
    [`${prefix}key`]: key.toString("base64"),
    [`${prefix}key-MD5`]: createHash("md5").update(key).digest("base64"),
  };
}

describe.each<Ks3Profile>(["ks3", "s3"])("object operations in the %s profile", (profile) => {
  const ks3 = profile === "ks3";
  let emu: RunningKs3Emulator;
  let etag: string;

  beforeAll(async () => {
    emu = await startKs3Emulator({ profile, buckets: [B], limits: { putObjectMaxBytes: 1000 } });
    etag = (await putObject(emu, B, "obj", BODY)).headers["etag"]!;
  });
  afterAll(async () => {
    await emu.close();
  });

  describe("GetObject() conditions (RFC 9110 order)", () => {
    const future = new Date(Date.now() + 86_400_000).toUTCString();
    const past = "Sun, 06 Nov 1994 08:49:37 GMT";
    test.each([
      ["If-Match with the ETag", () => ({ "if-match": etag }), 200],
      ["If-Match with another ETag", () => ({ "if-match": '"ABCORZ"' }), 412],
      ["If-None-Match with the ETag", () => ({ "if-none-match": etag }), 304],
      ["If-None-Match with another ETag", () => ({ "if-none-match": '"ABCORZ"' }), 200],
      ["If-Modified-Since a future date", () => ({ "if-modified-since": future }), 304],
      ["If-Modified-Since a past date", () => ({ "if-modified-since": past }), 200],
      ["If-Unmodified-Since a past date", () => ({ "if-unmodified-since": past }), 412],
      ["If-Unmodified-Since a future date", () => ({ "if-unmodified-since": future }), 200],
      ["If-Match failing and If-None-Match matching (If-Match first)", () => ({ "if-match": '"other"', "if-none-match": etag }), 412],
      ["If-None-Match not matching and If-Modified-Since stale (If-None-Match wins)", () => ({ "if-none-match": '"other"', "if-modified-since": future }), 200],
    ])("%s answers the expected status", async (_name, headers, status) => {
      const res = await getObject(emu, B, "obj", headers());
      expect(res.status).toBe(status);
      if (status === 304) {
        expect(res.headers["etag"]).toBe(etag);
        expect(res.body.length).toBe(0);
      }
      if (status === 412) expect(res.code).toBe("PreconditionFailed");
    });
  });

  describe("GetObject() ranges", () => {
    test.each([
      ["bytes=0-9", 206, "0123456789"],
      ["bytes=30-", 206, "uvwxyz"],
      ["bytes=-4", 206, "wxyz"],
      ["bytes=30-100", 206, "uvwxyz"],
      ["bytes=", 200, BODY],
      ["bytes=-1-3", ks3 ? 206 : 200, ks3 ? "0123" : BODY],
      ["bytes=0-1,3-4", ks3 ? 416 : 200, ks3 ? undefined : BODY],
      ["byte=0-4", ks3 ? 416 : 200, ks3 ? undefined : BODY],
      ["bytes=9-5", ks3 ? 416 : 200, ks3 ? undefined : BODY],
      ["bytes=36-40", 416, undefined],
      ["bytes=-0", 416, undefined],
    ])("Range %s answers %s", async (range, status, text) => {
      const res = await getObject(emu, B, "obj", { range });
      expect(res.status).toBe(status);
      if (text !== undefined) expect(res.text).toBe(text);
      if (status === 416) {
        expect(res.code).toBe("InvalidRange");
        expect(res.headers["content-range"]).toBe("bytes */36");
      }
    });

    test("a range of an empty object rejects 416 InvalidRange", async () => {
      await putObject(emu, B, "empty", "");
      const res = await getObject(emu, B, "empty", { range: "bytes=0-0" });
      expect(res.status).toBe(416);
    });

    test(`response-content-type applies to a 206 answer ${ks3 ? "not at all (doc 42320: 200 only)" : "as well"}`, async () => {
      const res = await rawRequest(emu, { method: "GET", path: `/${B}/obj`, query: { "response-content-type": "text/x-override" }, headers: { range: "bytes=0-1" } });
      expect(res.headers["content-type"]).toBe(ks3 ? "application/octet-stream" : "text/x-override");
      const whole = await rawRequest(emu, { method: "GET", path: `/${B}/obj`, query: { "response-content-type": "text/x-override" } });
      expect(whole.headers["content-type"]).toBe("text/x-override");
    });
  });

  test(`DeleteObject() of a missing key ${ks3 ? "rejects 404 NoSuchKey" : "answers 204"}`, async () => {
    const res = await rawRequest(emu, { method: "DELETE", path: `/${B}/never-existed` });
    expect(res.status).toBe(ks3 ? 404 : 204);
    if (ks3) expect(res.code).toBe("NoSuchKey");
  });

  test("DeleteObject() of an existing key answers 204 and GetObject() then rejects 404 NoSuchKey", async () => {
    await putObject(emu, B, "doomed", "x");
    expect((await rawRequest(emu, { method: "DELETE", path: `/${B}/doomed` })).status).toBe(204);
    const res = await getObject(emu, B, "doomed");
    expect(res.status).toBe(404);
    expect(res.code).toBe("NoSuchKey");
  });

  test("HeadObject() of a missing key answers 404 without a body", async () => {
    const res = await rawRequest(emu, { method: "HEAD", path: `/${B}/nope` });
    expect(res.status).toBe(404);
    expect(res.body.length).toBe(0);
  });

  test(`ListObjects() with a delimiter caps max-keys at ${ks3 ? 100 : 1000}`, async () => {
    const own = await startKs3Emulator({ profile, buckets: ["many"] });
    try {
      for (let i = 0; i < 120; i++) await putObject(own, "many", `k${String(i).padStart(3, "0")}`, "x");
      const res = await rawRequest(own, { method: "GET", path: "/many/", query: { delimiter: "/", "max-keys": "1000" } });
      expect(tag(res.text, "MaxKeys")).toBe(ks3 ? "100" : "1000");
      expect(tags(res.text, "Key").length).toBe(ks3 ? 100 : 120);
      expect(tag(res.text, "IsTruncated")).toBe(ks3 ? "true" : "false");
      if (ks3) expect(tag(res.text, "NextMarker")).toBe("k099");
    } finally {
      await own.close();
    }
  });

  test(`ListObjects() with max-keys=0 ${ks3 ? "rejects 400 InvalidArgument (doc 42288: [1,1000])" : "answers an empty, untruncated page"}`, async () => {
    const res = await rawRequest(emu, { method: "GET", path: `/${B}/`, query: { "max-keys": "0" } });
    expect(res.status).toBe(ks3 ? 400 : 200);
    if (ks3) expect(res.code).toBe("InvalidArgument");
    else {
      expect(tags(res.text, "Key")).toEqual([]);
      expect(tag(res.text, "IsTruncated")).toBe("false");
    }
    const one = await rawRequest(emu, { method: "GET", path: `/${B}/`, query: { "max-keys": "1" } });
    expect(tags(one.text, "Key").length).toBe(1);
  });

  test("ListObjects() escapes keys with XML metacharacters and pages by marker", async () => {
    const own = await startKs3Emulator({ profile, buckets: ["escape"] });
    try {
      await putObject(own, "escape", "a%26b%3Cc", "x");
      await putObject(own, "escape", "z", "x");
      const res = await rawRequest(own, { method: "GET", path: "/escape/", query: { "max-keys": "1" } });
      expect(res.text).toContain("<Key>a&amp;b&lt;c</Key>");
      expect(tag(res.text, "NextMarker")).toBe("a&amp;b&lt;c");
      const next = await rawRequest(own, { method: "GET", path: "/escape/", query: { marker: "a&b<c" } });
      expect(tags(next.text, "Key")).toEqual(["z"]);
    } finally {
      await own.close();
    }
  });

  describe("SSE-C", () => {
    const key = randomBytes(32);
    test("GetObject() of an SSE-C object needs the same key: none or another rejects 400, the right one answers 200", async () => {
      const put = await putObject(emu, B, "secret", "classified", sseC(key));
      expect(put.status).toBe(200);
      expect(put.headers["x-kss-server-side-encryption-customer-key-md5"] ?? put.headers["x-amz-server-side-encryption-customer-key-md5"]).toBe(
        createHash("md5").update(key).digest("base64"),
      );
      expect((await getObject(emu, B, "secret")).status).toBe(400);
      expect((await getObject(emu, B, "secret", sseC(randomBytes(32)))).status).toBe(400);
      const ok = await rawRequest(emu, { method: "GET", path: `/${B}/secret`, headers: sseC(key, "x-amz-server-side-encryption-customer-"), sign: "x-amz-" });
      expect(ok.status).toBe(200);
      expect(ok.text).toBe("classified");
      expect(ok.text).not.toContain(key.toString("base64"));
    });

    test("a multipart upload initiated with an SSE-C key takes parts only with that key; the object reads only with it", async () => {
      await putObject(emu, B, "mp-src", "0123456789");
      const other = randomBytes(32);
      const init = await rawRequest(emu, { method: "POST", path: `/${B}/mp-secret`, query: { uploads: "" }, headers: sseC(key) });
      const uploadId = tag(init.text, "UploadId")!;
      const part = (partNumber: number, headers: Record<string, string>) =>
        rawRequest(emu, { method: "PUT", path: `/${B}/mp-secret`, query: { partNumber: String(partNumber), uploadId }, body: "part one", headers });
      const copy = (partNumber: number, headers: Record<string, string>) =>
        rawRequest(emu, { method: "PUT", path: `/${B}/mp-secret`, query: { partNumber: String(partNumber), uploadId }, headers: { "x-kss-copy-source": `/${B}/mp-src`, ...headers } });
      for (const [what, res] of [
        ["UploadPart without the key", await part(1, {})],
        ["UploadPart with another key", await part(1, sseC(other))],
        ["UploadPartCopy without the key", await copy(2, {})],
        ["UploadPartCopy with another key", await copy(2, sseC(other))],
      ] as const) {
        expect(res.status, what).toBe(400);
        expect(res.code, what).toBe("InvalidRequest");
      }
      const e1 = (await part(1, sseC(key))).headers["etag"]!;
      const c2 = await copy(2, sseC(key));
      expect(c2.status).toBe(200);
      // Part 2 only proves the copy is accepted with the key: a part under the 5 MiB minimum
      // can only be the last one, so the object is part 1 alone.
      const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${e1}</ETag></Part></CompleteMultipartUpload>`;
      expect((await rawRequest(emu, { method: "POST", path: `/${B}/mp-secret`, query: { uploadId }, body })).status).toBe(200);
      expect((await getObject(emu, B, "mp-secret")).code).toBe("InvalidRequest");
      expect((await getObject(emu, B, "mp-secret", sseC(other))).code).toBe("InvalidRequest");
      const ok = await getObject(emu, B, "mp-secret", sseC(key));
      expect(ok.status).toBe(200);
      expect(ok.text).toBe("part one");
    });

    test("PutObject() with a key MD5 that does not match the key rejects 400 InvalidArgument", async () => {
      const headers = { ...sseC(key), "x-kss-server-side-encryption-customer-key-MD5": createHash("md5").update("other").digest("base64") };
      const res = await putObject(emu, B, "bad-md5", "x", headers);
      expect(res.status).toBe(400);
      expect(res.code).toBe("InvalidArgument");
    });

    test("UploadPartCopy() from an SSE-C source needs the copy-source key", async () => {
      await putObject(emu, B, "secret-src", "classified", sseC(key));
      const init = await rawRequest(emu, { method: "POST", path: `/${B}/copy-dest`, query: { uploads: "" } });
      const uploadId = tag(init.text, "UploadId")!;
      const query = { partNumber: "1", uploadId };
      const without = await rawRequest(emu, { method: "PUT", path: `/${B}/copy-dest`, query, headers: { "x-kss-copy-source": `/${B}/secret-src` } });
      expect(without.status).toBe(400);
      const withKey = await rawRequest(emu, {
        method: "PUT",
        path: `/${B}/copy-dest`,
        query,
        headers: { "x-kss-copy-source": `/${B}/secret-src`, ...sseC(key, "x-kss-copy-source-server-side-encryption-customer-") },
      });
      expect(withKey.status).toBe(200);
    });
  });

  test("PutObject() accepts a 1024-byte key and rejects a 1025-byte key with KeyTooLong", async () => {
    expect((await putObject(emu, B, "k".repeat(1024), "x")).status).toBe(200);
    const res = await putObject(emu, B, "k".repeat(1025), "x");
    expect(res.status).toBe(400);
    expect(res.code).toBe("KeyTooLong");
  });

  test(`PutObject() with @base@ in the key ${ks3 ? "rejects InvalidKey" : "succeeds"}`, async () => {
    const res = await putObject(emu, B, "img@base@x", "x");
    expect(res.status).toBe(ks3 ? 400 : 200);
    if (ks3) expect(res.code).toBe("InvalidKey");
  });

  test("PutObject() past putObjectMaxBytes rejects EntityTooLarge and keeps nothing", async () => {
    const res = await putObject(emu, B, "huge", Buffer.alloc(1001));
    expect(res.code).toBe("EntityTooLarge");
    expect((await getObject(emu, B, "huge")).code).toBe("NoSuchKey");
  });

  test("PutObject() with a wrong Content-MD5 rejects BadDigest; a malformed one InvalidDigest", async () => {
    const wrong = await putObject(emu, B, "digest", "abc", { "content-md5": createHash("md5").update("abd").digest("base64") });
    expect(wrong.code).toBe("BadDigest");
    const malformed = await putObject(emu, B, "digest", "abc", { "content-md5": "not-md5" });
    expect(malformed.code).toBe("InvalidDigest");
    const right = await putObject(emu, B, "digest", "abc", { "content-md5": createHash("md5").update("abc").digest("base64") });
    expect(right.status).toBe(200);
  });

  test("PutObject() without Content-Length (chunked transfer) rejects 411 MissingContentLength", async () => {
    const res = await rawRequest(emu, { method: "PUT", path: `/${B}/no-length`, headers: { "transfer-encoding": "chunked" } });
    expect(res.status).toBe(411);
    expect(res.code).toBe("MissingContentLength");
  });

  test("CopyObject() copies bytes and metadata; onto itself without REPLACE it rejects InvalidRequest", async () => {
    await putObject(emu, B, "orig", "original", { "x-kss-meta-color": "blue", "content-type": "text/plain" });
    const copy = await rawRequest(emu, { method: "PUT", path: `/${B}/copy`, headers: { "x-kss-copy-source": `/${B}/orig` } });
    expect(copy.status).toBe(200);
    expect(copy.text).toContain("<CopyObjectResult");
    const got = await getObject(emu, B, "copy");
    expect(got.text).toBe("original");
    expect(got.headers[`${ks3 ? "x-kss" : "x-amz"}-meta-color`]).toBe("blue");
    const self = await rawRequest(emu, { method: "PUT", path: `/${B}/orig`, headers: { "x-kss-copy-source": `/${B}/orig` } });
    expect(self.code).toBe("InvalidRequest");
    const replaced = await rawRequest(emu, {
      method: "PUT",
      path: `/${B}/orig`,
      headers: { "x-kss-copy-source": `/${B}/orig`, "x-kss-metadata-directive": "REPLACE", "x-kss-meta-color": "red" },
    });
    expect(replaced.status).toBe(200);
  });

  test("PutObject(), CopyObject() and CompleteMultipartUpload() with x-kss-forbid-overwrite: true onto an existing key reject 400 InvalidKey", async () => {
    await putObject(emu, B, "keep", "first");
    const forbid = { "x-kss-forbid-overwrite": "true" };
    expect((await putObject(emu, B, "keep", "second", forbid)).code).toBe("InvalidKey");
    expect((await rawRequest(emu, { method: "PUT", path: `/${B}/keep`, headers: { "x-kss-copy-source": `/${B}/obj`, ...forbid } })).code).toBe("InvalidKey");
    const init = await rawRequest(emu, { method: "POST", path: `/${B}/keep`, query: { uploads: "" } });
    const uploadId = tag(init.text, "UploadId")!;
    const etag = (await rawRequest(emu, { method: "PUT", path: `/${B}/keep`, query: { partNumber: "1", uploadId }, body: "third" })).headers["etag"]!;
    const done = await rawRequest(emu, {
      method: "POST",
      path: `/${B}/keep`,
      query: { uploadId },
      headers: forbid,
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`,
    });
    expect(done.code).toBe("InvalidKey");
    expect((await getObject(emu, B, "keep")).text).toBe("first");
    expect((await putObject(emu, B, "fresh-key", "x", forbid)).status).toBe(200);
  });

  test("requests naming a missing bucket reject 404 NoSuchBucket", async () => {
    const res = await getObject(emu, "no-such-bucket", "k");
    expect(res.status).toBe(404);
    expect(res.code).toBe("NoSuchBucket");
  });

  test("DeleteBucket() of a bucket with objects rejects 409 BucketNotEmpty", async () => {
    const res = await rawRequest(emu, { method: "DELETE", path: `/${B}` });
    expect(res.status).toBe(409);
    expect(res.code).toBe("BucketNotEmpty");
  });
});
