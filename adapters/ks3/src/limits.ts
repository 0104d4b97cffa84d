/**
 * The KS3 limits manifest. The numbers and their sources live in core's `KS3_LIMITS`
 * (ks3-api.md §5 and the seed UploadPartCopy document); this file only allows overrides.
 */
import { SIGV4_MAX_EXPIRES_SECONDS } from "@stowage/adapter-s3-family";
import { defineLimits, KS3_LIMITS, type ObjectStoreLimits } from "@stowage/core";

/** The manifest every KS3 store keeps unless told otherwise. */
export const ks3Limits: ObjectStoreLimits = defineLimits({
  ...KS3_LIMITS,
  // Presigned URLs in whichever scheme the store signs with: KSS V2 query-string
  // authentication (ks3-api.md §2.1 "Presigned URL") or SigV4 query authentication (§2.2).
  presign: true,
  // SigV4 allows at most 604,800 s (seven days). ks3-api.md names no maximum for the V2
  // `Expires`; the same seven days keeps one figure whichever signature a store is configured
  // with, so switching `signature` never changes which calls are accepted.
  presignMaxExpiresInSeconds: SIGV4_MAX_EXPIRES_SECONDS,
});

/**
 * The manifest with `overrides` applied, frozen. Meant for test profiles that match an
 * emulator configured the same way (e.g. a 1 KiB `multipartMinPartBytes`), so boundary cases
 * stay cheap, and for the emulator's `s3` profile (gaps allowed in part numbers).
 */
export function ks3LimitsWith(overrides: Partial<ObjectStoreLimits> = {}): ObjectStoreLimits {
  if (Object.keys(overrides).length === 0) return ks3Limits;
  return defineLimits({ ...ks3Limits, ...overrides });
}
