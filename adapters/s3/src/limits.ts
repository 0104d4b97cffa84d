/**
 * The AWS S3 manifest and the manifests of the named engine profiles. A profile is the S3
 * manifest plus what the engine cannot keep, declared (`declaredDivergences`) so the
 * conformance report shows each affected case as skipped with the reason.
 */
import { SIGV4_MAX_EXPIRES_SECONDS } from "@stowage/adapter-s3-family";
import { S3_LIMITS, defineLimits, type ObjectStoreLimits } from "@stowage/core";

/** The named profiles: `aws` (Amazon S3 itself) and compatible engines by version. */
export type S3Profile = "aws" | "ceph-rgw-16";

/**
 * Amazon S3 (User Guide, "Amazon S3 multipart upload limits"): parts 5 MiB–5 GiB (the last may
 * be smaller), part numbers 1–10,000 with gaps allowed, a single PUT up to 5 GiB, objects up to
 * 5 TiB (10,000 × 5 GiB caps what Complete can build), keys up to 1,024 UTF-8 bytes, 2 KB of
 * user metadata, 1,000 entries per listing page (core's `S3_LIMITS` holds these numbers), and
 * conditional PutObject.
 */
export const s3Limits: ObjectStoreLimits = defineLimits({
  ...S3_LIMITS,
  // "Conditional writes": PutObject with If-None-Match: * or If-Match answers 412 when they fail
  // (S3 User Guide, since August / November 2024).
  putObjectWithConditions: true,
  // The same headers on CompleteMultipartUpload: "Uploads the object only if the object key name
  // does not already exist … Otherwise, Amazon S3 returns a 412 Precondition Failed error."
  completeMultipartUploadWithConditions: true,
  // SigV4 query authentication: "The minimum value you can set is 1, and the maximum is
  // 604800 seconds (seven days)" (S3 API Reference, "Authenticating Requests: Using Query Parameters").
  presign: true,
  presignMaxExpiresInSeconds: SIGV4_MAX_EXPIRES_SECONDS,
});

/** Why Ceph RGW 16 cannot keep copy-source conditions (../shared/reference/ceph-rgw.md). */
const CEPH_COPY_CONDITIONS =
  "Ceph RGW 16 ignores x-amz-copy-source-if-* on CopyObject and UploadPartCopy and copies anyway (it reads non-standard x-amz-copy-if-* names; Ceph bug 40808)";

/** Found by running the conformance suite against 16.2.15: every conditional Complete case failed. */
const CEPH_COMPLETE_CONDITIONS =
  "Ceph RGW 16 ignores If-None-Match / If-Match on CompleteMultipartUpload and completes anyway (over an existing key, over a stale ETag, onto a missing key, and both of two racing creators win)";

const CEPH_LIST_PARTS = "Ceph RGW 16 answers ListParts of an unknown or aborted upload with 404 NoSuchKey (AWS: NoSuchUpload), which reads as NotFound";
const CEPH_COMPLETE_UNKNOWN = "Ceph RGW 16 answers CompleteMultipartUpload of an unknown or aborted upload with 500 (AWS: 404 NoSuchUpload)";
const CEPH_416_WITHOUT_SIZE = "Ceph RGW 16 answers an unsatisfiable range with 416 but without Content-Range: bytes */size, so the object's size is not reported";
const CEPH_SUFFIX_ZERO = "Ceph RGW 16 answers Range: bytes=-0 with the whole object (RFC 9110 §14.1.1 and AWS: 416)";
const CEPH_IF_MATCH_STAR = "Ceph RGW 16 answers If-Match: * on an existing object with 412 (RFC 9110 §13.1.1: * matches any current representation)";
const CEPH_IF_NONE_MATCH_STAR = "Ceph RGW 16 ignores If-None-Match: * on GET/HEAD of an existing object and answers 200 (RFC 9110 §13.1.2: 304)";
const CEPH_CONDITION_ORDER = "Ceph RGW 16 evaluates If-Modified-Since before If-Unmodified-Since and answers 304 when both fail (RFC 9110 §13.2.2: 412)";

/**
 * Ceph RADOS Gateway 16.2 (Pacific, the Debian version), probed with the AWS SDK
 * (ceph-rgw.md). It does not claim `copyWithConditions` nor `completeMultipartUploadWithConditions`,
 * so the facade refuses a conditional copy or Complete with `Unsupported` instead of letting Ceph
 * write unconditionally. The other divergences
 * the adapter repairs where it can: an unquoted UploadPartCopy ETag is quoted, an empty
 * `<ETag/>` in the Complete answer is read back with HEAD. What it cannot repair (found by
 * running the conformance suite against 16.2.15) is declared below, case by case.
 */
export const cephRgw16Limits: ObjectStoreLimits = defineLimits({
  ...s3Limits,
  copyWithConditions: false,
  completeMultipartUploadWithConditions: false,
  declaredDivergences: {
    copyWithConditions: CEPH_COPY_CONDITIONS,
    completeMultipartUploadWithConditions: CEPH_COMPLETE_CONDITIONS,
    "multipart.abort.then-listParts": CEPH_LIST_PARTS,
    "multipart.listParts.unknown-upload": CEPH_LIST_PARTS,
    "multipart.abort.then-completeMultipartUpload": CEPH_COMPLETE_UNKNOWN,
    "multipart.completeMultipartUpload.unknown-upload": CEPH_COMPLETE_UNKNOWN,
    "multipart.copy.source-special-names": "Ceph RGW 16 answers UploadPartCopy from a source whose key holds special characters with 404 (it decodes x-amz-copy-source differently from AWS)",
    "objects.sse-c.upload-part-copy-source": "Ceph RGW 16 refuses UploadPartCopy from an SSE-C source given with its key (400 InvalidArgument)",
    "objects.conditional-write.if-match-current-replaces": "Ceph RGW 16 answers PutObject with If-Match naming the object's current ETag with 412",
    "objects.metadata.round-trip": "Ceph RGW 16 turns '_' in user metadata names into '-' (x-amz-meta-trace_id comes back as trace-id)",
    "objects.range.first-last.empty-object": CEPH_416_WITHOUT_SIZE,
    "objects.range.first-open.empty-object": CEPH_416_WITHOUT_SIZE,
    "objects.range.last-byte.empty-object": CEPH_416_WITHOUT_SIZE,
    "objects.range.last-past-end.empty-object": CEPH_416_WITHOUT_SIZE,
    "objects.range.start-at-size": CEPH_416_WITHOUT_SIZE,
    "objects.range.start-at-size.empty-object": CEPH_416_WITHOUT_SIZE,
    "objects.range.start-at-size.one-byte-object": CEPH_416_WITHOUT_SIZE,
    "objects.range.start-past-size": CEPH_416_WITHOUT_SIZE,
    "objects.range.start-past-size.empty-object": CEPH_416_WITHOUT_SIZE,
    "objects.range.start-past-size.one-byte-object": CEPH_416_WITHOUT_SIZE,
    "objects.range.suffix-larger-than-object.empty-object": CEPH_416_WITHOUT_SIZE,
    "objects.range.suffix.empty-object": CEPH_416_WITHOUT_SIZE,
    "objects.range.whole-as-range.empty-object": CEPH_416_WITHOUT_SIZE,
    "objects.range.suffix-zero": CEPH_SUFFIX_ZERO,
    "objects.range.suffix-zero.empty-object": CEPH_SUFFIX_ZERO,
    "objects.range.suffix-zero.one-byte-object": CEPH_SUFFIX_ZERO,
    "objects.conditional.get.if-match-star-passes": CEPH_IF_MATCH_STAR,
    "objects.conditional.head.if-match-star-passes": CEPH_IF_MATCH_STAR,
    "objects.conditional.get.if-none-match-star-fails": CEPH_IF_NONE_MATCH_STAR,
    "objects.conditional.head.if-none-match-star-fails": CEPH_IF_NONE_MATCH_STAR,
    "objects.conditional.get.if-unmodified-since-fails-and-if-modified-since-fails": CEPH_CONDITION_ORDER,
    "objects.conditional.head.if-unmodified-since-fails-and-if-modified-since-fails": CEPH_CONDITION_ORDER,
  },
});

/** The manifest of `profile`. */
export function s3ProfileLimits(profile: S3Profile): ObjectStoreLimits {
  return profile === "ceph-rgw-16" ? cephRgw16Limits : s3Limits;
}

/**
 * The profile's manifest with `overrides` applied, frozen: for test engines configured the same
 * way (e.g. Ceph started with `rgw multipart min part size = 5120`), so boundary cases move KiBs.
 */
export function s3LimitsWith(profile: S3Profile, overrides: Partial<ObjectStoreLimits> = {}): ObjectStoreLimits {
  const base = s3ProfileLimits(profile);
  if (Object.keys(overrides).length === 0) return base;
  return defineLimits({ ...base, ...overrides });
}
