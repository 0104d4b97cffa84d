import { type MultipartObjectStore, type ObjectStoreLimits } from "@stowage/core";
import type { ConformanceTarget } from "@stowage/conformance";
import { createKs3Store } from "@stowage/adapter-ks3";
import { startKs3Emulator, type Ks3Profile, type RunningKs3Emulator } from "@stowage/emulator-ks3";

/**
 * Size limits set identically on the emulator and the adapter, so the suite's boundary cases
 * (max − 1, max, max + 1) move KiBs rather than the real 5 MiB parts and 5 GiB objects. Every
 * other limit and quirk is the profile's own. (The emulator's tests check the real 5 MiB
 * minimum part once, with the AWS SDK.)
 */
const SIZE_LIMITS = {
  multipartMinPartBytes: 5 * 1024,
  multipartMaxPartBytes: 256 * 1024,
  putObjectMaxBytes: 256 * 1024,
  copyObjectMaxSourceBytes: 128 * 1024,
} as const;

/** What the adapter is told about a profile (docs/providers/ks3.md §7: S3 allows gaps and 1000 keys with a delimiter). */
function adapterLimits(profile: Ks3Profile): Partial<ObjectStoreLimits> {
  return profile === "ks3" ? SIZE_LIMITS : { ...SIZE_LIMITS, multipartPartNumbersContiguous: false, listObjectsWithDelimiterMaxPageSize: 1000 };
}

/**
 * The KS3 adapter against the KS3 emulator started in-process: in the `ks3` profile with KS3's
 * own signature (KSS V2) and virtual-host addressing, in the `s3` profile with SigV4 and path
 * addressing. Every case gets a fresh bucket.
 */
export function ks3Target(profile: Ks3Profile): ConformanceTarget {
  let emulator: RunningKs3Emulator | undefined;
  let buckets = 0;
  const bucketOf = new WeakMap<MultipartObjectStore, string>();
  const running = (): RunningKs3Emulator => {
    if (!emulator) throw new Error("the KS3 emulator is not running: setup() was not called");
    return emulator;
  };
  const storeOnNewBucket = async (): Promise<{ bucket: string; store: MultipartObjectStore }> => {
    const em = running();
    const bucket = `conformance-${++buckets}`;
    await em.createBucket(bucket);
    const store = createKs3Store({
      bucket,
      endpoint: em.endpoint,
      region: em.region,
      accessKeyId: em.accessKeyId,
      secretAccessKey: em.secretAccessKey,
      addressing: profile === "ks3" ? "virtual-host" : "path",
      signature: profile === "ks3" ? "kss-v2" : "sigv4",
      limits: adapterLimits(profile),
    });
    bucketOf.set(store, bucket);
    return { bucket, store };
  };
  const dropBucket = async (store: MultipartObjectStore): Promise<void> => {
    const bucket = bucketOf.get(store);
    if (bucket !== undefined) await running().deleteBucket(bucket);
  };
  const target: ConformanceTarget = {
    id: profile === "ks3" ? "ks3" : "ks3-s3-profile",
    details: {
      provider: `ks3 adapter (${profile === "ks3" ? "KSS V2 signature, virtual-host addressing" : "SigV4, path addressing"}) on the KS3 emulator in the ${profile} profile, in-process`,
      notes: [
        `size limits LOWERED on both the emulator and the adapter so boundary cases move KiBs: ${Object.entries(SIZE_LIMITS).map(([name, bytes]) => `${name} ${bytes}`).join(", ")} (KS3's real limits: 5 MiB minimum part, 5 GiB parts and objects); every other limit is the profile's own`,
      ],
      limits: adapterLimits(profile),
    },
    setup: async () => {
      emulator = await startKs3Emulator({ port: 0, profile, limits: SIZE_LIMITS });
      target.details!.endpoint = emulator.endpoint;
    },
    teardown: async () => {
      await emulator?.close();
      emulator = undefined;
    },
    objects: {
      create: async () => (await storeOnNewBucket()).store,
      cleanup: async (store) => {
        await store.close();
        await dropBucket(store);
      },
      createOtherBucket: storeOnNewBucket,
      dropBucket,
    },
  };
  return target;
}
