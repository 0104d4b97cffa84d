/**
 * Where rules come from, named once so the catalogue cites them the same way everywhere.
 * Provider facts are cited from the repository's own docs (`docs/providers/*.md`, `docs/design.md`)
 * by section; sources.test.ts fails when a cited file or section does not exist.
 */

/** The KeyValueStore contract as documented on the interface. */
export const KV_CONTRACT = "KeyValueStore contract (@stowage/core key-value-store.ts)";
/** The MultipartObjectStore contract as documented on the interface. */
export const OBJECT_CONTRACT = "MultipartObjectStore contract (@stowage/core multipart-object-store.ts)";
/** ESA Edge KV limits. */
export const ESA_LIMITS = "ESA Edge KV API 2024-09-10 documented limits (docs/providers/esa-kv.md §2)";
/** ESA ListKvs. */
export const ESA_LIST = "ESA ListKvs (docs/providers/esa-kv.md §1.2)";
/** ESA batch calls. */
export const ESA_BATCH = "ESA BatchPutKv / BatchDeleteKv (docs/providers/esa-kv.md §1.2)";
/** ESA high-capacity put. */
export const ESA_HIGH_CAPACITY = "ESA PutKvWithHighCapacity (docs/providers/esa-kv.md §4)";
/** KS3 UploadPartCopy as its own page states it, authoritative where it speaks. */
export const SEED_UPLOAD_PART_COPY = "KS3 UploadPartCopy (docs/providers/ks3.md §4.3)";
/** RFC 9110 byte ranges. */
export const RFC_RANGE = "RFC 9110 §14.1.2 (byte ranges), §14.4 (Content-Range), §15.5.17 (416)";
/** RFC 9110 conditional request evaluation order. */
export const RFC_PRECONDITIONS = "RFC 9110 §13.2.2 (precedence of preconditions)";
/** RFC 9110 individual conditions. */
export const RFC_CONDITION = (section: string, name: string): string => `RFC 9110 §${section} (${name})`;
/** KS3 GetObject range table. */
export const KS3_RANGE = "KS3 GetObject range semantics (docs/providers/ks3.md §3.2)";
/** KS3 CompleteMultipartUpload rules. */
export const KS3_COMPLETE = "KS3 CompleteMultipartUpload (docs/providers/ks3.md §4.4)";
/** KS3 and S3 multipart behaviour from s3-tests. */
export const S3_TESTS_MULTIPART = "ceph/s3-tests multipart cases (docs/providers/ks3.md §8.1)";
/** KS3 ListParts / ListMultipartUploads. */
export const KS3_LIST_MULTIPART = "KS3 ListParts / ListMultipartUploads (docs/providers/ks3.md §4.6)";
/** KS3 abort. */
export const KS3_ABORT = "KS3 AbortMultipartUpload (docs/providers/ks3.md §4.5)";
/** KS3 CopyObject. */
export const KS3_COPY = "KS3 PUT Object Copy (docs/providers/ks3.md §3.4)";
/** KS3 ListObjects. */
export const KS3_LIST = "KS3 ListObjects (docs/providers/ks3.md §3.5)";
/** KS3 limits. */
export const KS3_LIMITS_DOC = "KS3 limits (docs/providers/ks3.md §5)";
/** KS3 SSE-C. */
export const KS3_SSE_C = "KS3 SSE-C (docs/providers/ks3.md §6.2)";
/** The design's concurrency promises. */
export const DESIGN_CONCURRENCY = "docs/design.md §2 (the contracts: one namespace / one bucket, last writer wins)";
