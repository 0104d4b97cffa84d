/**
 * Test helpers: a KS3 emulator with small limits and KS3 stores on fresh buckets of it, shared
 * by the integration tests and the conformance wiring.
 */
import { startKs3Emulator, type Ks3Profile, type RunningKs3Emulator } from "@stowage/emulator-ks3";
import type { MultipartObjectStore, ObjectStoreLimits } from "@stowage/core";
import { S3HttpClient, XML_MAX_BYTES, type Addressing } from "@stowage/adapter-s3-family";
import type { MultipartObjectStoreSubject } from "@stowage/conformance";
import type { Ks3Signature } from "./config.js";
import { ks3Dialect } from "./dialect.js";
import { createKs3Store } from "./multipart-object-store.js";

/**
 * Size limits set identically on the emulator and the adapter, small enough that the
 * conformance suite's boundary cases (max − 1, max, max + 1) move KiBs, not GiBs.
 */
export const TEST_SIZE_LIMITS = {
  multipartMinPartBytes: 5 * 1024,
  multipartMaxPartBytes: 256 * 1024,
  putObjectMaxBytes: 256 * 1024,
  copyObjectMaxSourceBytes: 128 * 1024,
} as const;

/**
 * The adapter's limit overrides for an emulator profile: the test sizes, and under the `s3`
 * profile what AWS does differently (ks3-api.md §7: gaps allowed, 1000 keys with a delimiter).
 */
export function limitsForProfile(profile: Ks3Profile): Partial<ObjectStoreLimits> {
  return profile === "ks3"
    ? TEST_SIZE_LIMITS
    : { ...TEST_SIZE_LIMITS, multipartPartNumbersContiguous: false, listObjectsWithDelimiterMaxPageSize: 1000 };
}

/** Starts an emulator in `profile` with the test limits. */
export function startTestEmulator(profile: Ks3Profile): Promise<RunningKs3Emulator> {
  return startKs3Emulator({ port: 0, profile, limits: TEST_SIZE_LIMITS });
}

/** How a test store talks to the emulator. */
export interface TestStoreOptions {
  addressing?: Addressing;
  signature?: Ks3Signature;
  /** A wrong secret, for signature failures. */
  secretAccessKey?: string;
  /** `false`: no retry layer (to observe single answers). */
  retry?: false;
  /** With `sigv4`: aws-chunked signed streams. */
  sigv4ChunkedUploads?: boolean;
}

let buckets = 0;

/** A store on `bucket` of `emulator`. */
export function storeFor(emulator: RunningKs3Emulator, bucket: string, o: TestStoreOptions = {}): MultipartObjectStore {
  return createKs3Store({
    bucket,
    endpoint: emulator.endpoint,
    region: emulator.region,
    accessKeyId: emulator.accessKeyId,
    secretAccessKey: o.secretAccessKey ?? emulator.secretAccessKey,
    addressing: o.addressing ?? "path",
    signature: o.signature ?? "kss-v2",
    sigv4ChunkedUploads: o.sigv4ChunkedUploads ?? false,
    limits: limitsForProfile(emulator.profile),
    retry: o.retry ?? { baseDelayMs: 1, maxDelayMs: 5 },
  });
}

/** A fresh bucket on `emulator` and a store on it. */
export async function storeOn(emulator: RunningKs3Emulator, o: TestStoreOptions = {}): Promise<{ store: MultipartObjectStore; bucket: string }> {
  const bucket = `test-${process.pid}-${++buckets}`;
  await emulator.createBucket(bucket);
  return { store: storeFor(emulator, bucket, o), bucket };
}

/** Empties `bucket` through `store`, then deletes it with a signed DeleteBucket. */
async function dropBucket(emulator: RunningKs3Emulator, bucket: string, store: MultipartObjectStore): Promise<void> {
  for await (const o of store.objects()) await store.deleteObject(o.key);
  for (;;) {
    const page = await store.listMultipartUploads();
    for (const u of page.uploads) await store.abortMultipartUpload(u.key, u.uploadId);
    if (page.cursor === undefined) break;
  }
  const client = new S3HttpClient({
    endpoint: new URL(emulator.endpoint),
    addressing: "path",
    dialect: ks3Dialect,
    maxDocumentBytes: XML_MAX_BYTES,
    signing: {
      signature: "v2",
      region: emulator.region,
      headerPrefix: "x-kss-",
      clock: { now: () => Date.now() },
      credentials: { accessKeyId: emulator.accessKeyId, secretAccessKey: emulator.secretAccessKey },
    },
  });
  try {
    await client.sendForHeaders({ operation: "deleteBucket", method: "DELETE", bucket, query: new URLSearchParams(), headers: {} }, { signal: new AbortController().signal });
  } finally {
    await client.close();
  }
}

/**
 * The conformance subject of one emulator profile. The emulator starts on first use;
 * call `close()` when the suite is done.
 */
export function ks3Subject(profile: Ks3Profile, o: TestStoreOptions = {}): MultipartObjectStoreSubject & { close(): Promise<void> } {
  let emulator: Promise<RunningKs3Emulator> | undefined;
  const started = () => (emulator ??= startTestEmulator(profile));
  const bucketOf = new WeakMap<MultipartObjectStore, string>();
  return {
    async create() {
      const { store, bucket } = await storeOn(await started(), o);
      bucketOf.set(store, bucket);
      return store;
    },
    async createOtherBucket() {
      const { store, bucket } = await storeOn(await started(), o);
      return { bucket, store };
    },
    async dropBucket(store) {
      const bucket = bucketOf.get(store);
      if (bucket === undefined) throw new Error("dropBucket: not a store of this subject");
      // A second store on the same bucket: the case's own store must still see it vanish.
      const cleaner = storeFor(await started(), bucket, o);
      try {
        await dropBucket(await started(), bucket, cleaner);
      } finally {
        await cleaner.close();
      }
    },
    async close() {
      if (emulator) await (await emulator).close();
    },
  };
}
