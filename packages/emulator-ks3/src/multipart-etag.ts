/**
 * The ETag of a multipart object: `md5(concat(binary md5 of each part)) + "-" + N`
 * (`ks3-api.md` §6.1, the S3 algorithm; vector from s3-tests
 * `test_multipart_reupload_checksum_and_etag`: three 5 MiB parts of A, B, C →
 * `b2add96cc9702bbf4efb0ccdfc6b7747-3`).
 */
import { createHash } from "node:crypto";

/** The quoted composite ETag of parts whose hex MD5s are given in part-number order. */
export function multipartEtag(partMd5Hex: readonly string[]): string {
  const hash = createHash("md5");
  for (const md5 of partMd5Hex) hash.update(Buffer.from(md5, "hex"));
  return `"${hash.digest("hex")}-${partMd5Hex.length}"`;
}
