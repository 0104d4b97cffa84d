import { createHash } from "node:crypto";
import { expect, test } from "vitest";
import { multipartEtag } from "./multipart-etag.js";

test("multipartEtag() of three 5 MiB parts of A, B, C is the s3-tests vector b2add96cc9702bbf4efb0ccdfc6b7747-3", () => {
  const md5s = ["A", "B", "C"].map((c) => createHash("md5").update(Buffer.alloc(5 * 1024 * 1024, c)).digest("hex"));
  expect(multipartEtag(md5s)).toBe('"b2add96cc9702bbf4efb0ccdfc6b7747-3"');
});

test("multipartEtag() of one part is the MD5 of that part's binary MD5 with -1", () => {
  // ks3-api.md §6.1: the single-byte \x00 part MD5 is 93b885adfe0da089cdf634904fd59f71.
  const expected = createHash("md5").update(Buffer.from("93b885adfe0da089cdf634904fd59f71", "hex")).digest("hex");
  expect(multipartEtag(["93b885adfe0da089cdf634904fd59f71"])).toBe(`"${expected}-1"`);
});
