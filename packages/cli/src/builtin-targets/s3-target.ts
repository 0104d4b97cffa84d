import type { MultipartObjectStore, ObjectStoreLimits } from "@stowage/core";
import type { ConformanceTarget } from "@stowage/conformance";
import { cephRgwUnavailableReason, createS3Store, startCephRgw, type RunningCephRgw } from "@stowage/adapter-s3";

/**
 * Sizes set identically on Ceph (`rgw multipart min part size`, `rgw max put size`) and the
 * adapter, so the suite's boundary cases move KiBs rather than 5 MiB parts. The copy-source
 * maximum stays S3's 5 GiB: Ceph cannot be configured to enforce a smaller one.
 */
const SIZE_LIMITS = {
  multipartMinPartBytes: 5 * 1024,
  multipartMaxPartBytes: 256 * 1024,
  putObjectMaxBytes: 256 * 1024,
} as const satisfies Partial<ObjectStoreLimits>;

/**
 * The S3 adapter (`ceph-rgw-16` profile, SigV4, path addressing) on a throwaway Ceph RGW
 * started for the run on 127.0.0.1 (memstore, stopped by pid afterwards). Where Ceph is not
 * installed the target runs no case and says why in its notes (a skip, not a pass). Every case
 * gets a fresh bucket; the profile's declared divergences are reported as skips with reasons.
 */
export function s3Target(): ConformanceTarget {
  const unavailable = cephRgwUnavailableReason();
  if (unavailable !== undefined) return { id: "s3", details: { provider: "s3 adapter on Ceph RGW", notes: [`skipped: ${unavailable}`] } };
  let rgw: RunningCephRgw | undefined;
  let buckets = 0;
  const bucketOf = new WeakMap<MultipartObjectStore, string>();
  const storeOnNewBucket = async (): Promise<{ bucket: string; store: MultipartObjectStore }> => {
    if (!rgw) throw new Error("Ceph RGW is not running: setup() was not called");
    const bucket = `conformance-${++buckets}`;
    await rgw.createBucket(bucket);
    const store = createS3Store({
      bucket,
      endpoint: rgw.endpoint,
      region: rgw.region,
      accessKeyId: rgw.accessKeyId,
      secretAccessKey: rgw.secretAccessKey,
      addressing: "path",
      profile: "ceph-rgw-16",
      limits: SIZE_LIMITS,
    });
    bucketOf.set(store, bucket);
    return { bucket, store };
  };
  return {
    id: "s3",
    details: {
      provider: "s3 adapter (ceph-rgw-16 profile) on a Ceph RGW 16 started for the run (127.0.0.1, ephemeral port, memstore)",
      notes: ["part and PUT sizes lowered to KiBs on both sides", "Ceph's divergences are declared in the profile's manifest and reported as skipped"],
      limits: SIZE_LIMITS,
    },
    setup: async () => {
      rgw = await startCephRgw({
        gatewaySettings: {
          "rgw multipart min part size": String(SIZE_LIMITS.multipartMinPartBytes),
          "rgw max put size": String(SIZE_LIMITS.putObjectMaxBytes),
          "rgw crypt require ssl": "false",
        },
      });
    },
    teardown: async () => {
      await rgw?.close();
      rgw = undefined;
    },
    objects: {
      create: async () => (await storeOnNewBucket()).store,
      createOtherBucket: storeOnNewBucket,
      dropBucket: async (store) => {
        const bucket = bucketOf.get(store);
        if (rgw && bucket !== undefined) await rgw.deleteBucket(bucket);
      },
    },
  };
}
