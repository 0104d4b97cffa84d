import { createHash } from "node:crypto";
import { expect, it } from "vitest";
import { multipartEtag } from "./multipart-etag.js";

it("multipartEtag() of three 5 MiB parts of A, B, C is the s3-tests vector b2add96cc9702bbf4efb0ccdfc6b7747-3", () => {
  const parts = ["A", "B", "C"].map((c, i) => ({ partNumber: i + 1, etag: `"${createHash("md5").update(Buffer.alloc(5 * 1024 * 1024, c)).digest("hex")}"` }));
  expect(multipartEtag(parts)).toBe('"b2add96cc9702bbf4efb0ccdfc6b7747-3"');
});

it("multipartEtag() of a part ETag that is not an MD5 is undefined", () => {
  expect(multipartEtag([{ partNumber: 1, etag: '"abc"' }])).toBeUndefined();
});
