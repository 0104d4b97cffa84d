import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKs3Emulator, type RunningKs3Emulator } from "@stowage/emulator-ks3";
import { cephRgwUnavailableReason, startCephRgw, type RunningCephRgw } from "./ceph-rgw-server.js";
import { createS3Store } from "./multipart-object-store.js";
import { CEPH_TEST_LIMITS, CEPH_TEST_SETTINGS, TEST_SIZE_LIMITS, emulatorServer, type S3TestServer } from "./test-s3-subjects.js";

// Streamed bodies in both SigV4 payload modes, against the KS3 emulator's s3 profile and, when
// installed, a real Ceph RGW: UNSIGNED-PAYLOAD and aws-chunked (STREAMING-AWS4-HMAC-SHA256-PAYLOAD).
const ceph = cephRgwUnavailableReason() === undefined;
let emulator: RunningKs3Emulator | undefined;
let rgw: RunningCephRgw | undefined;
beforeAll(async () => {
  emulator = await startKs3Emulator({ port: 0, profile: "s3", limits: TEST_SIZE_LIMITS });
  if (ceph) rgw = await startCephRgw({ gatewaySettings: CEPH_TEST_SETTINGS });
}, 120_000);
afterAll(async () => {
  await emulator?.close();
  await rgw?.close();
}, 30_000);

const servers: Array<[string, () => S3TestServer, "aws" | "ceph-rgw-16"]> = [
  ["the KS3 emulator (s3 profile)", () => emulatorServer(emulator!), "aws"],
  ...(ceph ? [["Ceph RGW 16", () => rgw!, "ceph-rgw-16"] as [string, () => S3TestServer, "ceph-rgw-16"]] : []),
];
let n = 0;

describe.each(servers)("s3 store on %s", (_name, server, profile) => {
  it.each([false, true])("putObject() and uploadPart() of streams with chunkedUploads %s store the exact bytes", async (chunkedUploads) => {
    const s = server();
    const bucket = `stream-${process.pid}-${++n}`;
    await s.createBucket(bucket);
    const store = createS3Store({ bucket, endpoint: s.endpoint, region: s.region, accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, addressing: "path", profile, chunkedUploads, limits: profile === "aws" ? TEST_SIZE_LIMITS : CEPH_TEST_LIMITS, retry: false });
    try {
      const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) % 251);
      const chunks = [bytes.subarray(0, 30_000), bytes.subarray(30_000, 70_001), bytes.subarray(70_001)];
      await store.putObject("streamed", Readable.from(chunks.map((c) => Buffer.from(c))), { contentLength: bytes.byteLength });
      expect(await store.getObjectBytes("streamed")).toEqual(bytes);
      const { uploadId } = await store.createMultipartUpload("multi");
      const part1 = await store.uploadPart("multi", uploadId, 1, Readable.from(chunks.map((c) => Buffer.from(c))), { contentLength: bytes.byteLength });
      const part2 = await store.uploadPart("multi", uploadId, 2, "tail");
      const done = await store.completeMultipartUpload("multi", uploadId, [part1, part2]);
      const info = await store.headObject("multi");
      expect(info.size).toBe(bytes.byteLength + 4);
      expect(done.etag).toBe(info.etag);
    } finally {
      await store.close();
    }
  });

  it("a wrong secret rejects Unauthorized", async () => {
    const s = server();
    const bucket = `auth-${process.pid}-${++n}`;
    await s.createBucket(bucket);
    const store = createS3Store({ bucket, endpoint: s.endpoint, region: s.region, accessKeyId: s.accessKeyId, secretAccessKey: "wrong-secret", addressing: "path", profile, retry: false });
    try {
      await expect(store.putObject("k", "x")).rejects.toMatchObject({ code: "Unauthorized" });
    } finally {
      await store.close();
    }
  });
});
