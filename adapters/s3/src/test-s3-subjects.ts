/**
 * Test helpers: conformance subjects for the S3 adapter on a throwaway Ceph RGW and on the KS3
 * emulator's `s3` profile, each case on a fresh bucket.
 */
import type { MultipartObjectStore, ObjectStoreLimits } from "@stowage/core";
import type { MultipartObjectStoreSubject } from "@stowage/conformance";
import type { RunningKs3Emulator } from "@stowage/emulator-ks3";
import type { RunningCephRgw } from "./ceph-rgw-server.js";
import type { S3Profile } from "./limits.js";
import { createS3Store } from "./multipart-object-store.js";

/**
 * Size limits set identically on the server and the adapter, small enough that the suite's
 * boundary cases (max − 1, max, max + 1) move KiBs, not GiBs. Ceph is started with
 * `rgw multipart min part size` equal to the minimum here.
 */
export const TEST_SIZE_LIMITS = {
  multipartMinPartBytes: 5 * 1024,
  multipartMaxPartBytes: 256 * 1024,
  putObjectMaxBytes: 256 * 1024,
  copyObjectMaxSourceBytes: 128 * 1024,
} as const satisfies Partial<ObjectStoreLimits>;

/** The `[client.rgw.0]` settings matching {@link TEST_SIZE_LIMITS}. */
export const CEPH_TEST_SETTINGS = {
  "rgw multipart min part size": String(TEST_SIZE_LIMITS.multipartMinPartBytes),
  "rgw max put size": String(TEST_SIZE_LIMITS.putObjectMaxBytes),
  // SSE-C over plain HTTP on loopback (Ceph refuses customer keys without TLS by default).
  "rgw crypt require ssl": "false",
} as const;

/**
 * The adapter's overrides for Ceph: the sizes above except the copy-source maximum, which Ceph
 * cannot be configured to enforce (it stays S3's 5 GiB, beyond the suite's probe ceiling).
 */
export const CEPH_TEST_LIMITS: Partial<ObjectStoreLimits> = {
  multipartMinPartBytes: TEST_SIZE_LIMITS.multipartMinPartBytes,
  multipartMaxPartBytes: TEST_SIZE_LIMITS.multipartMaxPartBytes,
  putObjectMaxBytes: TEST_SIZE_LIMITS.putObjectMaxBytes,
};

/** Where the subject's buckets live. */
export interface S3TestServer {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  createBucket(name: string): Promise<void>;
  /** Deletes a bucket with its contents, when the server can (`BucketNotFound` cases). */
  deleteBucket?(name: string): Promise<void>;
}

/**
 * A subject creating one bucket per store on `server()` (read lazily: the server starts in
 * `beforeAll`); with `canDropBuckets` it also offers `dropBucket` through `server().deleteBucket`.
 */
export function s3Subject(server: () => S3TestServer, profile: S3Profile, tag: string, limits: Partial<ObjectStoreLimits> = TEST_SIZE_LIMITS, canDropBuckets = false): MultipartObjectStoreSubject {
  let buckets = 0;
  const bucketOf = new WeakMap<MultipartObjectStore, string>();
  const storeOnNewBucket = async (): Promise<{ bucket: string; store: MultipartObjectStore }> => {
    const s = server();
    const bucket = `${tag}-${process.pid}-${++buckets}`;
    await s.createBucket(bucket);
    const store = createS3Store({
      bucket,
      endpoint: s.endpoint,
      region: s.region,
      accessKeyId: s.accessKeyId,
      secretAccessKey: s.secretAccessKey,
      addressing: "path",
      profile,
      limits,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    bucketOf.set(store, bucket);
    return { bucket, store };
  };
  const dropBucket = async (store: MultipartObjectStore): Promise<void> => {
    const s = server();
    if (!s.deleteBucket) throw new Error("this server cannot delete buckets");
    await s.deleteBucket(bucketOf.get(store)!);
  };
  return {
    create: async () => (await storeOnNewBucket()).store,
    createOtherBucket: storeOnNewBucket,
    ...(canDropBuckets ? { dropBucket } : {}),
  };
}

/** The KS3 emulator as an {@link S3TestServer}. */
export function emulatorServer(em: RunningKs3Emulator): S3TestServer {
  return {
    endpoint: em.endpoint,
    region: em.region,
    accessKeyId: em.accessKeyId,
    secretAccessKey: em.secretAccessKey,
    createBucket: (name) => em.createBucket(name),
  };
}

/** A Ceph RGW as an {@link S3TestServer}. */
export function cephServer(rgw: RunningCephRgw): S3TestServer {
  return rgw;
}
