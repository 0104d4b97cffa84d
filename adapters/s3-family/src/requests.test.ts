import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { normalizeBody } from "@stowage/core";
import {
  completeMultipartUploadRequest,
  completeMultipartUploadXml,
  copyObjectRequest,
  getObjectRequest,
  listObjectsRequest,
  putObjectRequest,
  uploadPartCopyRequest,
  uploadPartRequest,
} from "./requests.js";

const sseKey = new Uint8Array(32).fill(7);
const sseKeyB64 = Buffer.from(sseKey).toString("base64");
const sseMd5 = createHash("md5").update(sseKey).digest("base64");

describe("request builders", () => {
  it("uploadPartCopyRequest() sends the seed's copy-source headers, range, four conditions and both SSE-C sets", () => {
    const r = uploadPartCopyRequest("x-kss-", "dst", "new video.rm", "U1", 2, {
      source: { bucket: "src", key: "dir/a b.bin", sseC: { key: sseKey } },
      range: { first: 500, last: 6291456 },
      ifMatch: "abc",
      ifNoneMatch: '"def"',
      ifModifiedSince: new Date(Date.UTC(2011, 3, 11, 20, 34, 56)),
      ifUnmodifiedSince: new Date(Date.UTC(2012, 0, 1)),
      sseC: { key: sseKey },
    });
    expect(r.method).toBe("PUT");
    expect([...r.query]).toEqual([["partNumber", "2"], ["uploadId", "U1"]]);
    expect(r.headers).toEqual({
      "x-kss-copy-source": "/src/dir/a%20b.bin",
      "x-kss-copy-source-range": "bytes=500-6291456",
      "x-kss-copy-source-if-match": '"abc"',
      "x-kss-copy-source-if-none-match": '"def"',
      "x-kss-copy-source-if-modified-since": "Mon, 11 Apr 2011 20:34:56 GMT",
      "x-kss-copy-source-if-unmodified-since": "Sun, 01 Jan 2012 00:00:00 GMT",
      "x-kss-copy-source-server-side-encryption-customer-algorithm": "AES256",
      "x-kss-copy-source-server-side-encryption-customer-key": sseKeyB64,
      "x-kss-copy-source-server-side-encryption-customer-key-md5": sseMd5,
      "x-kss-server-side-encryption-customer-algorithm": "AES256",
      "x-kss-server-side-encryption-customer-key": sseKeyB64,
      "x-kss-server-side-encryption-customer-key-md5": sseMd5,
    });
  });

  it("uploadPartCopyRequest() without a source bucket copies from the store's bucket and sends no range", () => {
    const r = uploadPartCopyRequest("x-amz-", "b", "k", "U", 1, { source: { key: "s" } });
    expect(r.headers).toEqual({ "x-amz-copy-source": "/b/s" });
  });

  it("getObjectRequest() formats the three range forms and the read conditions", () => {
    expect(getObjectRequest("x-kss-", "b", "k", { range: { first: 4, last: 7 } }).headers).toEqual({ range: "bytes=4-7" });
    expect(getObjectRequest("x-kss-", "b", "k", { range: { first: 4 } }).headers).toEqual({ range: "bytes=4-" });
    expect(getObjectRequest("x-kss-", "b", "k", { range: { suffix: 7 }, ifNoneMatch: "*" }).headers).toEqual({ range: "bytes=-7", "if-none-match": "*" });
  });

  it("putObjectRequest() sends content-length, a default content type and prefixed lower-case metadata", () => {
    const r = putObjectRequest("x-kss-", "b", "k", normalizeBody("hello"), { metadata: { Author: "alice" } });
    expect(r.headers).toEqual({ "content-type": "application/octet-stream", "content-length": "5", "x-kss-meta-author": "alice" });
  });

  it("uploadPartRequest() of a stream with a declared length sends that length", () => {
    async function* gen() {
      yield new Uint8Array(3);
    }
    const r = uploadPartRequest("x-kss-", "b", "k", "U", 3, normalizeBody(gen(), 3), {});
    expect(r.headers["content-length"]).toBe("3");
    expect([...r.query]).toEqual([["partNumber", "3"], ["uploadId", "U"]]);
  });

  it("copyObjectRequest() with new metadata sets the REPLACE directive; without, copies the source's", () => {
    const replace = copyObjectRequest("x-kss-", "b", "k", { source: { key: "s" }, metadata: { a: "1" } });
    expect(replace.headers["x-kss-metadata-directive"]).toBe("REPLACE");
    expect(replace.headers["x-kss-meta-a"]).toBe("1");
    const copy = copyObjectRequest("x-kss-", "b", "k", { source: { key: "s" } });
    expect(copy.headers["x-kss-metadata-directive"]).toBeUndefined();
  });

  it("listObjectsRequest() sends prefix, delimiter, marker, max-keys and encoding-type=url", () => {
    const r = listObjectsRequest("b", { prefix: "p/", delimiter: "/", marker: "p/a", maxKeys: 100 });
    expect(r.key).toBeUndefined();
    expect(Object.fromEntries(r.query)).toEqual({ prefix: "p/", delimiter: "/", marker: "p/a", "max-keys": "100", "encoding-type": "url" });
  });

  it("completeMultipartUploadXml() quotes and escapes ETags in the given order", () => {
    expect(completeMultipartUploadXml([{ partNumber: 1, etag: "aa" }, { partNumber: 2, etag: '"bb"' }])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload>' +
        "<Part><PartNumber>1</PartNumber><ETag>&quot;aa&quot;</ETag></Part>" +
        "<Part><PartNumber>2</PartNumber><ETag>&quot;bb&quot;</ETag></Part></CompleteMultipartUpload>",
    );
  });

  it("completeMultipartUploadRequest() sends ifNoneMatch as If-None-Match: * and ifMatch quoted as If-Match, and neither without them", () => {
    const parts = [{ partNumber: 1, etag: '"aa"' }];
    expect(completeMultipartUploadRequest("b", "k", "u", parts, { ifNoneMatch: "*" }).headers).toMatchObject({ "if-none-match": "*" });
    expect(completeMultipartUploadRequest("b", "k", "u", parts, { ifMatch: "abc-2" }).headers).toMatchObject({ "if-match": '"abc-2"' });
    const plain = completeMultipartUploadRequest("b", "k", "u", parts).headers;
    expect(Object.keys(plain).filter((name) => name.startsWith("if-"))).toEqual([]);
  });
});
