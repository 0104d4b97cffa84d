/**
 * Cross-checks with a client we did not write: @aws-sdk/client-s3, unmodified (SigV4, path
 * style), against the emulator in both profiles where KS3 and S3 behave the same.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningKs3Emulator } from "./options.js";
import type { Ks3Profile } from "./profile.js";
import { startKs3Emulator } from "./server.js";
import { patternBytes, s3ClientFor } from "./test-s3-client.js";

const BUCKET = "cross-check";
const MIN_PART = 1024;

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof S3ServiceException) return err;
    throw err;
  }
  throw new Error("expected the call to fail");
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  return Buffer.from(await (body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

function md5Hex(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

/** The S3 composite ETag, computed here independently of the emulator's implementation. */
function expectedMultipartEtag(parts: Uint8Array[]): string {
  const joined = Buffer.concat(parts.map((p) => createHash("md5").update(p).digest()));
  return `"${md5Hex(joined)}-${parts.length}"`;
}

describe.each<Ks3Profile>(["s3", "ks3"])("@aws-sdk/client-s3 against the %s profile", (profile) => {
  let emulator: RunningKs3Emulator;
  let s3: S3Client;
  const object = patternBytes(4000, 7);

  beforeAll(async () => {
    emulator = await startKs3Emulator({ profile, limits: { multipartMinPartBytes: MIN_PART } });
    s3 = s3ClientFor(emulator);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "source.bin", Body: object, ContentType: "application/x-test" }));
  });
  afterAll(async () => {
    s3.destroy();
    await emulator.close();
  });

  test("PutObject() answers the quoted MD5 ETag and HeadObject() reports size and content type", async () => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "source.bin" }));
    expect(head.ETag).toBe(`"${md5Hex(object)}"`);
    expect(head.ContentLength).toBe(object.length);
    expect(head.ContentType).toBe("application/x-test");
  });

  test("PutObject() with a streamed body (aws-chunked with trailer) stores exactly the bytes", async () => {
    const bytes = patternBytes(200_000, 3);
    const put = await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: "streamed.bin", Body: Readable.from([bytes.subarray(0, 70_000), bytes.subarray(70_000)]), ContentLength: bytes.length }),
    );
    expect(put.ETag).toBe(`"${md5Hex(bytes)}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "streamed.bin" }));
    expect((await bodyBytes(got.Body)).equals(bytes)).toBe(true);
  });

  test.each([
    ["bytes=100-199", 100, 199],
    ["bytes=-500", 3500, 3999],
    ["bytes=3900-", 3900, 3999],
    ["bytes=3990-5000", 3990, 3999],
  ])("GetObject() with Range %s answers 206 with those bytes", async (range, first, last) => {
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "source.bin", Range: range }));
    expect(got.ContentRange).toBe(`bytes ${first}-${last}/4000`);
    expect(got.ContentLength).toBe(last - first + 1);
    expect((await bodyBytes(got.Body)).equals(object.subarray(first, last + 1))).toBe(true);
  });

  test("GetObject() with a range starting past the end rejects 416 InvalidRange", async () => {
    const err = await failure(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "source.bin", Range: "bytes=4000-4100" })));
    expect(err.$metadata.httpStatusCode).toBe(416);
    expect(err.name).toBe("InvalidRange");
  });

  test("a multipart upload with a middle part from UploadPartCopy(CopySourceRange) completes with the md5-of-md5s ETag", async () => {
    const key = "assembled.bin";
    const first = patternBytes(2 * MIN_PART, 11);
    const middle = object.subarray(1000, 2500);
    const last = patternBytes(300, 13);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const p1 = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: first }));
    const p2 = await s3.send(
      new UploadPartCopyCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 2, CopySource: `${BUCKET}/source.bin`, CopySourceRange: "bytes=1000-2499" }),
    );
    const p3 = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 3, Body: last }));
    expect(p2.CopyPartResult?.ETag).toBe(`"${md5Hex(middle)}"`);
    expect(p2.CopyPartResult?.LastModified).toBeInstanceOf(Date);
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.ETag },
            { PartNumber: 2, ETag: p2.CopyPartResult?.ETag },
            { PartNumber: 3, ETag: p3.ETag },
          ],
        },
      }),
    );
    const etag = expectedMultipartEtag([first, middle, last]);
    expect(done.ETag).toBe(etag);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(got.ETag).toBe(etag);
    expect((await bodyBytes(got.Body)).equals(Buffer.concat([first, middle, last]))).toBe(true);
  });

  test("UploadPartCopy() with CopySourceIfMatch naming another ETag rejects 412 PreconditionFailed", async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: "conditional.bin" }));
    const err = await failure(
      s3.send(
        new UploadPartCopyCommand({
          Bucket: BUCKET,
          Key: "conditional.bin",
          UploadId,
          PartNumber: 1,
          CopySource: `${BUCKET}/source.bin`,
          CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"',
        }),
      ),
    );
    expect(err.$metadata.httpStatusCode).toBe(412);
    expect(err.name).toBe("PreconditionFailed");
  });

  test("UploadPartCopy() with a CopySourceRange past the source end rejects 416 InvalidRange", async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: "past-end.bin" }));
    const err = await failure(
      s3.send(
        new UploadPartCopyCommand({ Bucket: BUCKET, Key: "past-end.bin", UploadId, PartNumber: 1, CopySource: `${BUCKET}/source.bin`, CopySourceRange: "bytes=0-4000" }),
      ),
    );
    expect(err.$metadata.httpStatusCode).toBe(416);
    expect(err.name).toBe("InvalidRange");
  });

  test("CompleteMultipartUpload() with a non-last part under the minimum rejects 400 EntityTooSmall", async () => {
    const key = "too-small.bin";
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const p1 = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: patternBytes(MIN_PART - 1) }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 2, Body: patternBytes(10) }));
    const err = await failure(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
        }),
      ),
    );
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.name).toBe("EntityTooSmall");
  });

  test("AbortMultipartUpload() succeeds and later UploadPart()/ListParts() reject 404 NoSuchUpload", async () => {
    const key = "aborted.bin";
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: patternBytes(10) }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId }));
    const put = await failure(s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 2, Body: patternBytes(10) })));
    expect(put.$metadata.httpStatusCode).toBe(404);
    expect(put.name).toBe("NoSuchUpload");
    const list = await failure(s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId })));
    expect(list.name).toBe("NoSuchUpload");
  });

  test("ListObjectsV2() pages with prefix and delimiter and reports common prefixes", async () => {
    for (const key of ["list/a.txt", "list/b.txt", "list/c.txt", "list/dir/x.txt", "list/dir/y.txt"]) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
    }
    const first = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "list/", Delimiter: "/", MaxKeys: 2 }));
    expect(first.Contents?.map((c) => c.Key)).toEqual(["list/a.txt", "list/b.txt"]);
    expect(first.IsTruncated).toBe(true);
    const second = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "list/", Delimiter: "/", MaxKeys: 2, ContinuationToken: first.NextContinuationToken }),
    );
    expect(second.Contents?.map((c) => c.Key)).toEqual(["list/c.txt"]);
    expect(second.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["list/dir/"]);
    expect(second.IsTruncated).toBe(false);
    const all = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "list/" }));
    expect(all.KeyCount).toBe(5);
    expect(all.Contents?.find((c) => c.Key === "list/a.txt")?.Size).toBe("list/a.txt".length);
  });
});

describe("@aws-sdk/client-s3 against the default 5 MiB part minimum", () => {
  test("CompleteMultipartUpload() rejects a 5 MiB − 1 first part with EntityTooSmall and accepts exactly 5 MiB", async () => {
    const emulator = await startKs3Emulator({ buckets: [BUCKET] });
    const s3 = s3ClientFor(emulator);
    try {
      const MiB5 = 5 * 1024 * 1024;
      const key = "five-mib.bin";
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
      const short = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: Buffer.alloc(MiB5 - 1, 1) }));
      const tail = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 2, Body: Buffer.alloc(10, 2) }));
      const err = await failure(
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: BUCKET,
            Key: key,
            UploadId,
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: short.ETag }, { PartNumber: 2, ETag: tail.ETag }] },
          }),
        ),
      );
      expect(err.name).toBe("EntityTooSmall");
      const exact = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: Buffer.alloc(MiB5, 1) }));
      const done = await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: exact.ETag }, { PartNumber: 2, ETag: tail.ETag }] },
        }),
      );
      expect(done.ETag).toMatch(/-2"$/);
      const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
      expect(head.ContentLength).toBe(MiB5 + 10);
    } finally {
      s3.destroy();
      await emulator.close();
    }
  });
});
