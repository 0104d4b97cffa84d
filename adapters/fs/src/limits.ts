/**
 * The filesystem adapter's manifests. Unlike memory, fs stands in for no provider: its limits
 * are what a local directory can keep well. Keys may hold any Unicode (the key → path encoding
 * makes every key a safe file name), values and objects are bounded only where a whole value
 * is held in memory (KV) or where S3 draws the line callers will meet elsewhere (objects).
 * Every field can be overridden through `limits` in the configuration.
 */
import { LATEST_DATE_SECONDS, S3_LIMITS, UNLIMITED, defineLimits, type KeyValueLimits, type ObjectStoreLimits } from "@stowage/core";

const MiB = 1024 * 1024;

/** The default key-value manifest of an fs store. */
export const FS_KV_LIMITS: KeyValueLimits = defineLimits({
  // A key is stored as the hex of its UTF-8 bytes, split into directory levels; 1024 bytes
  // keeps the deepest path near 2,100 characters, well inside Linux's 4,096-byte PATH_MAX.
  keyMaxBytes: 1024,
  // Any character: the encoding leaves nothing a file system could misread.
  keyForbiddenCharacters: "",
  // A KV value is read and written whole in memory; larger data belongs in an object store.
  putMaxValueBytes: 32 * MiB,
  // No large-value path: one ordinary write takes any value up to the maximum.
  putLargeMaxValueBytes: 32 * MiB,
  putWithTtl: true,
  putWithExpiresAt: true,
  // Expiry is stored in milliseconds; 1 s is the smallest whole TTL the contract knows.
  putMinTtlSeconds: 1,
  // Added by H3 (core's new manifest field): every expiry must read back as a valid Date.
  putMaxExpiresAtSeconds: LATEST_DATE_SECONDS,
  putMany: true,
  // One batch is applied key by key, each durably; the bound only keeps one call's memory in check.
  putManyMaxBytes: 8 * MiB,
  deleteMany: true,
  // Each key is a durable unlink; the bound keeps one batch's work (and the conformance
  // suite's split case) to a second or two.
  deleteManyMaxKeys: 1000,
  listMaxPageSize: 1000,
  // A listing walks the directory tree from its cursor; it can reach every key.
  listMaxKeys: UNLIMITED,
  // The file system's free space is the only capacity.
  namespaceMaxBytes: UNLIMITED,
});

/**
 * The default object manifest of an fs store: S3's numbers (so code that passes on fs meets
 * the same part sizes and page sizes on S3), with the capabilities a local directory has.
 */
export const FS_OBJECT_LIMITS: ObjectStoreLimits = defineLimits({
  ...S3_LIMITS,
  // As for KV: any character, 1024 bytes (S3's own key limit).
  keyMaxBytes: 1024,
  keyForbiddenCharacters: "",
  keyForbiddenSubstrings: [],
  // One store is one root: there is no other bucket to copy from.
  copyAcrossBuckets: false,
  // Nothing is encrypted at rest by this adapter, so customer keys are refused (`Unsupported`)
  // rather than silently ignored.
  sseC: false,
  // Conditional writes: a create-only write commits by link(), which refuses an existing name
  // atomically; a replace of one version checks the ETag and commits under the path's lock.
  putObjectWithConditions: true,
  completeMultipartUploadWithConditions: true,
});

/** Page size of a KV `list` call without `limit`, the same as memory's (ESA's default of 50). */
export const FS_KV_DEFAULT_PAGE_SIZE = 50;
