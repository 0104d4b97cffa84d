/** Multipart behaviour over KSS-signed requests, in both profiles where they differ (§7). */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningKs3Emulator } from "./options.js";
import type { Ks3Profile } from "./profile.js";
import { startKs3Emulator } from "./server.js";
import { abort, complete, getObject, initiate, putObject, tag, tags, uploadPart, uploadPartCopy } from "./test-ks3-calls.js";
import { rawRequest } from "./test-raw-client.js";

const B = "multipart";
const MIN = 100;

describe.each<Ks3Profile>(["ks3", "s3"])("multipart operations in the %s profile", (profile) => {
  const ks3 = profile === "ks3";
  let emu: RunningKs3Emulator;
  let sourceEtag: string;

  beforeAll(async () => {
    emu = await startKs3Emulator({ profile, buckets: [B], limits: { multipartMinPartBytes: MIN, multipartMaxPartBytes: 1000 } });
    sourceEtag = (await putObject(emu, B, "source", "0123456789abcdefghij")).headers["etag"]!;
  });
  afterAll(async () => {
    await emu.close();
  });

  test.each(["0", "10001", "abc"])(`UploadPart() with partNumber %s rejects 400 ${ks3 ? "InvalidPartNum" : "InvalidArgument"}`, async (n) => {
    const id = await initiate(emu, B, "numbers");
    const res = await uploadPart(emu, B, "numbers", id, n, "x");
    expect(res.status).toBe(400);
    expect(res.code).toBe(ks3 ? "InvalidPartNum" : "InvalidArgument");
  });

  test("UploadPart() with partNumber 10000 succeeds with the part's quoted MD5", async () => {
    const id = await initiate(emu, B, "numbers");
    const res = await uploadPart(emu, B, "numbers", id, 10000, "x");
    expect(res.status).toBe(200);
    expect(res.headers["etag"]).toBe('"9dd4e461268c8034f5c8564e155c67a6"');
  });

  test("UploadPart() larger than multipartMaxPartBytes rejects EntityTooLarge", async () => {
    const id = await initiate(emu, B, "big-part");
    const res = await uploadPart(emu, B, "big-part", id, 1, Buffer.alloc(1001));
    expect(res.code).toBe("EntityTooLarge");
  });

  test(`CompleteMultipartUpload() with a gap in part numbers ${ks3 ? "rejects InvalidPartOrder" : "succeeds"}`, async () => {
    const id = await initiate(emu, B, "gap");
    const e1 = (await uploadPart(emu, B, "gap", id, 1, Buffer.alloc(MIN, 1))).headers["etag"]!;
    const e3 = (await uploadPart(emu, B, "gap", id, 3, "end")).headers["etag"]!;
    const res = await complete(emu, B, "gap", id, [[1, e1], [3, e3]]);
    expect(res.status).toBe(ks3 ? 400 : 200);
    if (ks3) expect(res.code).toBe("InvalidPartOrder");
  });

  test("CompleteMultipartUpload() with descending part numbers rejects InvalidPartOrder", async () => {
    const id = await initiate(emu, B, "order");
    const e1 = (await uploadPart(emu, B, "order", id, 1, Buffer.alloc(MIN, 1))).headers["etag"]!;
    const e2 = (await uploadPart(emu, B, "order", id, 2, "end")).headers["etag"]!;
    const res = await complete(emu, B, "order", id, [[2, e2], [1, e1]]);
    expect(res.code).toBe("InvalidPartOrder");
  });

  test("CompleteMultipartUpload() naming a part never uploaded, or with another ETag, rejects InvalidPart", async () => {
    const id = await initiate(emu, B, "missing");
    const e1 = (await uploadPart(emu, B, "missing", id, 1, Buffer.alloc(MIN, 1))).headers["etag"]!;
    expect((await complete(emu, B, "missing", id, [[1, e1], [2, e1]])).code).toBe("InvalidPart");
    expect((await complete(emu, B, "missing", id, [[1, '"ffffffffffffffffffffffffffffffff"']])).code).toBe("InvalidPart");
  });

  test("CompleteMultipartUpload() with no parts rejects MalformedXML, and an unknown upload id NoSuchUpload", async () => {
    const id = await initiate(emu, B, "empty");
    expect((await complete(emu, B, "empty", id, [])).code).toBe("MalformedXML");
    const bogus = await complete(emu, B, "empty", "abc1234def", [[1, '"x"']]);
    expect(bogus.status).toBe(404);
    expect(bogus.code).toBe("NoSuchUpload");
  });

  test("CompleteMultipartUpload() whose ETag is a DTD-declared entity rejects MalformedXML and leaves the upload open", async () => {
    const id = await initiate(emu, B, "entity");
    const etag = (await uploadPart(emu, B, "entity", id, 1, "only")).headers["etag"]!;
    // Were `&e;` expanded, it would be the part's real ETag and the Complete would succeed.
    const body = `<?xml version="1.0"?><!DOCTYPE c [<!ENTITY e "${etag.replace(/"/g, "")}">]><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&e;</ETag></Part></CompleteMultipartUpload>`;
    const res = await rawRequest(emu, { method: "POST", path: `/${B}/entity`, query: { uploadId: id }, body, headers: { "content-type": "text/xml" } });
    expect(res.status).toBe(400);
    expect(res.code).toBe("MalformedXML");
    expect((await getObject(emu, B, "entity")).status).toBe(404);
    expect((await complete(emu, B, "entity", id, [[1, etag]])).status).toBe(200);
  });

  test(`CompleteMultipartUpload() repeated ${ks3 ? "rejects NoSuchUpload (the id is spent)" : "answers the same ETag"}`, async () => {
    const id = await initiate(emu, B, "twice");
    const e1 = (await uploadPart(emu, B, "twice", id, 1, "only")).headers["etag"]!;
    const first = await complete(emu, B, "twice", id, [[1, e1]]);
    expect(first.status).toBe(200);
    const second = await complete(emu, B, "twice", id, [[1, e1]]);
    if (ks3) expect(second.code).toBe("NoSuchUpload");
    else expect(tag(second.text, "ETag")).toBe(tag(first.text, "ETag"));
  });

  test(`AbortMultipartUpload() of an aborted upload ${ks3 ? "answers 204 again" : "rejects NoSuchUpload"}; of an unknown id rejects NoSuchUpload`, async () => {
    const id = await initiate(emu, B, "abort");
    expect((await abort(emu, B, "abort", id)).status).toBe(204);
    const again = await abort(emu, B, "abort", id);
    expect(again.status).toBe(ks3 ? 204 : 404);
    const bogus = await abort(emu, B, "abort", "56788");
    expect(bogus.status).toBe(404);
    expect(bogus.code).toBe("NoSuchUpload");
  });

  test("UploadPartCopy() signed `AWS AK:sig` with x-amz-copy-source (alias of x-kss-copy-source) and a range copies those bytes", async () => {
    const id = await initiate(emu, B, "alias");
    const res = await rawRequest(emu, {
      method: "PUT",
      path: `/${B}/alias`,
      query: { partNumber: "1", uploadId: id },
      headers: { "x-amz-copy-source": `/${B}/source`, "x-amz-copy-source-range": "bytes=2-5" },
      sign: "x-amz-",
    });
    expect(res.status).toBe(200);
    expect(tag(res.text, "ETag")).toBe('"81b073de9370ea873f548e31b8adc081"'); // md5("2345")
    expect(tag(res.text, "LastModified")).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(res.text).toContain("<CopyPartResult");
  });

  test.each(["bytes=0-", "0-2", "bytes=5-2", "bytes=0-1,3-4", "bytes=-3", "bytes=hello-world"])(
    "UploadPartCopy() with the malformed range %s rejects 400 InvalidArgument",
    async (range) => {
      const id = await initiate(emu, B, "bad-range");
      const res = await uploadPartCopy(emu, B, "bad-range", id, 1, { "x-kss-copy-source": `/${B}/source`, "x-kss-copy-source-range": range });
      expect(res.status).toBe(400);
      expect(res.code).toBe("InvalidArgument");
    },
  );

  test("UploadPartCopy() with a range past the source end rejects 416 InvalidRange; the last byte exactly succeeds", async () => {
    const id = await initiate(emu, B, "end-range");
    const past = await uploadPartCopy(emu, B, "end-range", id, 1, { "x-kss-copy-source": `/${B}/source`, "x-kss-copy-source-range": "bytes=10-20" });
    expect(past.status).toBe(416);
    expect(past.code).toBe("InvalidRange");
    const last = await uploadPartCopy(emu, B, "end-range", id, 1, { "x-kss-copy-source": `/${B}/source`, "x-kss-copy-source-range": "bytes=10-19" });
    expect(last.status).toBe(200);
  });

  test("UploadPartCopy() from a missing source key rejects 404 NoSuchKey, from a missing bucket NoSuchBucket", async () => {
    const id = await initiate(emu, B, "no-source");
    expect((await uploadPartCopy(emu, B, "no-source", id, 1, { "x-kss-copy-source": `/${B}/nope` })).code).toBe("NoSuchKey");
    expect((await uploadPartCopy(emu, B, "no-source", id, 1, { "x-kss-copy-source": "/no-such-bucket/source" })).code).toBe("NoSuchBucket");
  });

  describe("UploadPartCopy() copy-source conditions (seed: 412 / 304)", () => {
    const future = new Date(Date.now() + 86_400_000).toUTCString();
    const past = "Sun, 06 Nov 1994 08:49:37 GMT";
    const notModified = ks3 ? 304 : 412;
    test.each([
      ["if-match with the current ETag", () => ({ "x-kss-copy-source-if-match": sourceEtag }), 200],
      ["if-match with another ETag", () => ({ "x-kss-copy-source-if-match": '"0000"' }), 412],
      ["if-none-match with the current ETag", () => ({ "x-kss-copy-source-if-none-match": sourceEtag }), notModified],
      ["if-none-match with another ETag", () => ({ "x-kss-copy-source-if-none-match": '"0000"' }), 200],
      ["if-unmodified-since a past date", () => ({ "x-kss-copy-source-if-unmodified-since": past }), 412],
      ["if-unmodified-since a future date", () => ({ "x-kss-copy-source-if-unmodified-since": future }), 200],
      ["if-modified-since a future date", () => ({ "x-kss-copy-source-if-modified-since": future }), notModified],
      ["if-modified-since a past date", () => ({ "x-kss-copy-source-if-modified-since": past }), 200],
      ["if-match true and if-unmodified-since false (if-match wins, RFC 9110)", () => ({ "x-kss-copy-source-if-match": sourceEtag, "x-kss-copy-source-if-unmodified-since": past }), 200],
    ])("%s answers the expected status", async (_name, headers, status) => {
      const id = await initiate(emu, B, "conditional");
      const res = await uploadPartCopy(emu, B, "conditional", id, 1, { "x-kss-copy-source": `/${B}/source`, ...headers() });
      expect(res.status).toBe(status);
      if (status === 412) expect(res.code).toBe("PreconditionFailed");
    });
  });

  test("ListParts() pages with max-parts and part-number-marker", async () => {
    const id = await initiate(emu, B, "parts");
    for (const n of [1, 2, 3]) await uploadPart(emu, B, "parts", id, n, `part${n}`);
    const first = await rawRequest(emu, { method: "GET", path: `/${B}/parts`, query: { uploadId: id, "max-parts": "2" } });
    expect(tags(first.text, "PartNumber")).toEqual(["1", "2"]);
    expect(tag(first.text, "IsTruncated")).toBe("true");
    expect(tag(first.text, "NextPartNumberMarker")).toBe("2");
    const second = await rawRequest(emu, { method: "GET", path: `/${B}/parts`, query: { uploadId: id, "part-number-marker": "2" } });
    expect(tags(second.text, "PartNumber")).toEqual(["3"]);
    expect(tags(second.text, "Size")).toEqual(["5"]);
  });

  test(`ListParts() with max-parts=0 and ListMultipartUploads() with max-uploads=0 ${ks3 ? "reject 400 InvalidArgument ([1,1000])" : "answer empty pages"}`, async () => {
    const id = await initiate(emu, B, "zero");
    await uploadPart(emu, B, "zero", id, 1, "part");
    const parts = await rawRequest(emu, { method: "GET", path: `/${B}/zero`, query: { uploadId: id, "max-parts": "0" } });
    const uploads = await rawRequest(emu, { method: "GET", path: `/${B}/`, query: { uploads: "", "max-uploads": "0" } });
    for (const res of [parts, uploads]) {
      expect(res.status).toBe(ks3 ? 400 : 200);
      if (ks3) expect(res.code).toBe("InvalidArgument");
    }
    if (!ks3) {
      expect(tags(parts.text, "PartNumber")).toEqual([]);
      expect(tags(uploads.text, "UploadId")).toEqual([]);
    }
  });

  test("ListMultipartUploads() pages by key-marker and upload-id-marker", async () => {
    const own = await startKs3Emulator({ profile, buckets: ["uploads"] });
    try {
      const ids = [await initiate(own, "uploads", "a"), await initiate(own, "uploads", "a"), await initiate(own, "uploads", "b")];
      const aIds = ids.slice(0, 2).sort();
      const first = await rawRequest(own, { method: "GET", path: "/uploads/", query: { uploads: "", "max-uploads": "1" } });
      expect(tags(first.text, "UploadId")).toEqual([aIds[0]]);
      expect(tag(first.text, "IsTruncated")).toBe("true");
      const next = await rawRequest(own, {
        method: "GET",
        path: "/uploads/",
        query: { uploads: "", "key-marker": tag(first.text, "NextKeyMarker")!, "upload-id-marker": tag(first.text, "NextUploadIdMarker")! },
      });
      expect(tags(next.text, "UploadId")).toEqual([aIds[1], ids[2]]);
      expect(tags(next.text, "Key")).toEqual(["a", "b"]);
    } finally {
      await own.close();
    }
  });

  test("a completed object reads back as the concatenation of its parts, copied part included", async () => {
    const id = await initiate(emu, B, "assembled", { "x-kss-meta-origin": "parts", "content-type": "text/plain" });
    const e1 = (await uploadPart(emu, B, "assembled", id, 1, Buffer.alloc(MIN, "a"))).headers["etag"]!;
    const e2 = tag((await uploadPartCopy(emu, B, "assembled", id, 2, { "x-kss-copy-source": `/${B}/source` })).text, "ETag")!;
    const done = await complete(emu, B, "assembled", id, [[1, e1], [2, e2]]);
    expect(done.status).toBe(200);
    const got = await getObject(emu, B, "assembled");
    expect(got.text).toBe(`${"a".repeat(MIN)}0123456789abcdefghij`);
    expect(got.headers["content-type"]).toBe("text/plain");
    expect(got.headers[`${ks3 ? "x-kss" : "x-amz"}-meta-origin`]).toBe("parts");
    const ranged = await getObject(emu, B, "assembled", { range: `bytes=${MIN - 2}-${MIN + 1}` });
    expect(ranged.status).toBe(206);
    expect(ranged.text).toBe("aa01");
  });
});
