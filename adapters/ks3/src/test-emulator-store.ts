/**
 * Test helpers: a KS3 emulator with small limits and KS3 stores on fresh buckets of it, for the
 * integration tests. (The conformance wiring is the CLI's built-in `ks3` target.)
 */
import { startKs3Emulator, type Ks3Profile, type RunningKs3Emulator } from "@stowage/emulator-ks3";
import type { MultipartObjectStore, ObjectStoreLimits } from "@stowage/core";
import type { Addressing } from "@stowage/adapter-s3-family";
import type { Ks3Signature } from "./config.js";
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
