import { describe, expect, it } from "vitest";
import { isStorageError } from "@stowage/core";
import { parseListCursor } from "./list-cursor.js";
import {
  metadataFromHeaders,
  objectInfoFromHeaders,
  parseCopyResult,
  parseErrorDocument,
  parseListMultipartUploads,
  parseListObjects,
  parseListParts,
} from "./responses.js";

describe("response parsers", () => {
  it("metadataFromHeaders() keeps a metadata header named __proto__ that another client wrote", () => {
    const metadata = metadataFromHeaders({ "x-amz-meta-__proto__": "v", "x-amz-meta-note": "n", "content-type": "text/plain" }, ["x-amz-meta-"]);
    expect(Object.keys(metadata).sort()).toEqual(["__proto__", "note"]);
    expect(Object.getOwnPropertyDescriptor(metadata, "__proto__")?.value).toBe("v");
  });

  it("parseCopyResult() accepts <CopyPartResult> (seed) and <CopyObjectResult> (Go SDK) when both are allowed", () => {
    const roots = ["CopyPartResult", "CopyObjectResult"];
    const seed = '<CopyPartResult><LastModified>2009-10-28T22:32:00</LastModified><ETag>"9b2cf535f27731c974343645a3985328"</ETag></CopyPartResult>';
    expect(parseCopyResult(seed, roots).etag).toBe('"9b2cf535f27731c974343645a3985328"');
    const go = "<CopyObjectResult><LastModified>2021-11-30T06:29:38.000Z</LastModified><ETag>&quot;ab&quot;</ETag></CopyObjectResult>";
    expect(parseCopyResult(go, roots)).toEqual({ etag: '"ab"', lastModified: new Date("2021-11-30T06:29:38.000Z") });
  });

  it("parseCopyResult() with an unexpected root rejects Internal", () => {
    expect(() => parseCopyResult("<Other/>", ["CopyPartResult"])).toThrow(expect.objectContaining({ code: "Internal" }));
  });

  it("parseErrorDocument() reads Code, Message, Resource and RequestId", () => {
    expect(
      parseErrorDocument("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Resource>/b/k</Resource><RequestId>r1</RequestId></Error>"),
    ).toEqual({ code: "NoSuchKey", message: "The specified key does not exist.", resource: "/b/k", requestId: "r1" });
    expect(parseErrorDocument("<CopyPartResult/>")).toBeUndefined();
  });

  it("parseListObjects() of a truncated page without NextMarker uses the last key as cursor", () => {
    const page = parseListObjects(
      "<ListBucketResult><IsTruncated>true</IsTruncated>" +
        '<Contents><Key>a</Key><LastModified>2021-11-30T06:29:38.000Z</LastModified><ETag>"e1"</ETag><Size>1</Size></Contents>' +
        '<Contents><Key>b</Key><LastModified>2021-11-30T06:29:38.000Z</LastModified><ETag>"e2"</ETag><Size>2</Size></Contents>' +
        "</ListBucketResult>",
    );
    expect(page.objects.map((o) => o.key)).toEqual(["a", "b"]);
    expect(parseListCursor("objects", page.cursor!, 1, "listObjects")).toEqual(["b"]);
  });

  it("parseListObjects() decodes url-encoded keys, prefixes and NextMarker only when EncodingType is url", () => {
    const encoded = parseListObjects(
      "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextMarker>d%2F</NextMarker>" +
        '<Contents><Key>a%01%25</Key><LastModified>2021-11-30T06:29:38.000Z</LastModified><ETag>"e"</ETag><Size>0</Size></Contents>' +
        "<CommonPrefixes><Prefix>d%2F</Prefix></CommonPrefixes></ListBucketResult>",
    );
    expect(encoded).toEqual({
      objects: [{ key: "a\u0001%", size: 0, etag: '"e"', lastModified: new Date("2021-11-30T06:29:38.000Z") }],
      commonPrefixes: ["d/"],
      cursor: expect.any(String),
    });
    expect(parseListCursor("objects", encoded.cursor!, 1, "listObjects")).toEqual(["d/"]);
    const raw = parseListObjects(
      '<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a%25</Key><LastModified>2021-11-30T06:29:38.000Z</LastModified><ETag>"e"</ETag><Size>0</Size></Contents></ListBucketResult>',
    );
    expect(raw.objects[0]!.key).toBe("a%25");
    expect(raw.cursor).toBeUndefined();
  });

  it("parseListParts() returns parts and NextPartNumberMarker as cursor while truncated", () => {
    const page = parseListParts(
      "<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>2</NextPartNumberMarker>" +
        '<Part><PartNumber>2</PartNumber><LastModified>2021-11-30T06:29:38.000Z</LastModified><ETag>"p"</ETag><Size>5242880</Size></Part></ListPartsResult>',
    );
    expect(page.parts).toEqual([{ partNumber: 2, etag: '"p"', size: 5242880, lastModified: new Date("2021-11-30T06:29:38.000Z") }]);
    expect(parseListCursor("parts", page.cursor!, 1, "listParts")).toEqual(["2"]);
  });

  it("parseListMultipartUploads() folds both next markers into one cursor that parseListCursor() reads back", () => {
    const page = parseListMultipartUploads(
      "<ListMultipartUploadsResult><IsTruncated>true</IsTruncated><NextKeyMarker>k</NextKeyMarker><NextUploadIdMarker>u2</NextUploadIdMarker>" +
        "<Upload><Key>k</Key><UploadId>u2</UploadId><Initiated>2012-02-23T04:18:23.000Z</Initiated></Upload></ListMultipartUploadsResult>",
    );
    expect(page.uploads).toEqual([{ key: "k", uploadId: "u2", initiated: new Date("2012-02-23T04:18:23.000Z") }]);
    expect(parseListCursor("uploads", page.cursor!, 2, "listMultipartUploads")).toEqual(["k", "u2"]);
  });

  it("objectInfoFromHeaders() of a 206 takes the size from Content-Range and metadata from both prefixes", () => {
    const r = objectInfoFromHeaders(
      "k",
      {
        "content-length": "4",
        "content-range": "bytes 4-7/11",
        etag: "abc",
        "last-modified": "Tue, 30 Nov 2021 06:29:38 GMT",
        "content-type": "text/plain",
        "x-kss-meta-a": "1",
        "x-amz-meta-b": "2",
      },
      ["x-kss-meta-", "x-amz-meta-"],
    );
    expect(r.info).toEqual({ key: "k", size: 11, etag: '"abc"', lastModified: new Date("2021-11-30T06:29:38Z"), contentType: "text/plain", metadata: { a: "1", b: "2" } });
    expect(r.range).toEqual({ start: 4, end: 7, size: 11 });
    expect(r.contentLength).toBe(4);
  });

  it("objectInfoFromHeaders() without an ETag rejects Internal", () => {
    try {
      objectInfoFromHeaders("k", { "content-length": "1", "last-modified": "Tue, 30 Nov 2021 06:29:38 GMT" }, []);
      expect.unreachable();
    } catch (err) {
      expect(isStorageError(err, "Internal")).toBe(true);
    }
  });
});
