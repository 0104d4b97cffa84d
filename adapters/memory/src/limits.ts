/**
 * The memory adapter's manifests. By default it keeps the limits of the providers it stands
 * in for, so code that passes its tests on memory behaves the same on ESA Edge KV and KS3:
 * a key of 513 bytes, a 2,000,001-byte value or a 4 MiB non-last part fail here exactly as
 * they fail there. Tests pass other manifests (e.g. a small `namespaceMaxBytes` or
 * `multipartMinPartBytes`) to reach a limit cheaply.
 */
import { ESA_KV_LIMITS, KS3_LIMITS, S3_LIMITS, type KeyValueLimits, type ObjectStoreLimits } from "@stowage/core";

/** The default key-value manifest: ESA Edge KV's (`ESA_KV_LIMITS` in core). */
export const MEMORY_KV_LIMITS: KeyValueLimits = ESA_KV_LIMITS;

/** The default object manifest: KS3's (`KS3_LIMITS` in core), contiguous part numbers included. */
export const MEMORY_OBJECT_LIMITS: ObjectStoreLimits = KS3_LIMITS;

/** The object manifests a plain configuration can name with `profile`. */
export const MEMORY_OBJECT_PROFILES = {
  /** Kingsoft KS3's manifest, the default. */
  ks3: KS3_LIMITS,
  /** AWS S3's manifest: KS3's except where the two services differ. */
  s3: S3_LIMITS,
} as const satisfies Record<string, ObjectStoreLimits>;

/** A name of {@link MEMORY_OBJECT_PROFILES}. */
export type MemoryObjectProfile = keyof typeof MEMORY_OBJECT_PROFILES;

/**
 * Page size of a `list` call without `limit`. ESA ListKvs defaults to 50 ("Default value: 50.
 * Maximum value: 100."), so a caller that forgets `limit` pages the same way on both.
 */
export const MEMORY_KV_DEFAULT_PAGE_SIZE = 50;
