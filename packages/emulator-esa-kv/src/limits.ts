import { ESA_KV_LIMITS } from "@stowage/core";

/**
 * The limits the emulator enforces. Every one is configurable so tests can hit a limit with a
 * few bytes; the defaults are the documented values (reference §1.3), taken from the core
 * manifest where it already holds them so the two can never disagree.
 */
export interface EsaKvEmulatorLimits {
  /** Key size in UTF-8 bytes (`InvalidKey.ExceedsMaximum`). */
  keyMaxBytes: number;
  /**
   * Which key characters are accepted (`InvalidKey.Malformed`). `"openapi"`: anything but
   * space and `/` (the OpenAPI text); `"strict"`: only letters, digits, `-`, `_` (the
   * get-started guide). Reference §7 item 2 asks for this to be switchable.
   */
  keyCharset: "openapi" | "strict";
  /** PutKv value bytes, and the total value bytes of one BatchPutKv request. */
  valueMaxBytes: number;
  /** PutKvWithHighCapacity value bytes. */
  highCapacityValueMaxBytes: number;
  /** Batch*WithHighCapacity payload bytes. */
  highCapacityBatchMaxBytes: number;
  /** BatchDeleteKv keys per request. */
  batchDeleteMaxKeys: number;
  /** Bytes one namespace may hold (keys plus values). */
  namespaceCapacityBytes: number;
  /** Bytes the whole account may hold. */
  accountCapacityBytes: number;
  /** Namespaces per account. */
  namespaceQuota: number;
  /** ListKvs PageSize maximum. */
  listMaxPageSize: number;
  /** ListKvs PageSize when none is given. */
  listDefaultPageSize: number;
  /** ListKvs: the largest PageNumber × PageSize. */
  listMaxKeys: number;
  /** Namespace description length in characters (DCDN predecessor: ≤ 1024). */
  descriptionMaxChars: number;
  /**
   * Largest request body the server reads at all, in bytes: the OSS-style POST endpoint's cap
   * (it authenticates from inside the form, so it must read before it can refuse). RPC
   * actions are capped lower, per action (see body-limits.ts), and only after their signature
   * passed.
   */
  requestMaxBytes: number;
  /** Fields one form may carry (an RPC form body, or an OSS POST); the SDK sends at most a handful. */
  formMaxFields: number;
  /** Signature nonces remembered at most (the replay cache's hard cap). */
  nonceCacheMaxEntries: number;
  /** Accepted clock skew of `x-acs-date` / `Timestamp`, in milliseconds. */
  clockSkewMs: number;
}

const MB = 1000 * 1000;
const GiB = 1024 * 1024 * 1024;

/** The documented limits (reference §1.3); see each field of {@link EsaKvEmulatorLimits}. */
export const DEFAULT_ESA_KV_EMULATOR_LIMITS: Readonly<EsaKvEmulatorLimits> = Object.freeze({
  keyMaxBytes: ESA_KV_LIMITS.keyMaxBytes,
  keyCharset: "openapi",
  valueMaxBytes: ESA_KV_LIMITS.putMaxValueBytes,
  highCapacityValueMaxBytes: ESA_KV_LIMITS.putLargeMaxValueBytes,
  // "The maximum request body size is 100 MB."
  highCapacityBatchMaxBytes: 100 * MB,
  batchDeleteMaxKeys: ESA_KV_LIMITS.deleteManyMaxKeys,
  namespaceCapacityBytes: ESA_KV_LIMITS.namespaceMaxBytes,
  // Get-started guide: 10 GB per account.
  accountCapacityBytes: 10 * GiB,
  // "You can create up to 10 namespaces."
  namespaceQuota: 10,
  listMaxPageSize: ESA_KV_LIMITS.listMaxPageSize,
  // ListKvs PageSize: "Default value: 50."
  listDefaultPageSize: 50,
  listMaxKeys: ESA_KV_LIMITS.listMaxKeys,
  descriptionMaxChars: 1024,
  // The largest legitimate body is an OSS POST of a 100 MB batch payload plus form overhead.
  requestMaxBytes: 101 * MB,
  // PostObject's fields are key, OSSAccessKeyId, policy, Signature, success_action_status
  // and file; an RPC form has one or two. 64 leaves room and refuses a 400,000-field flood.
  formMaxFields: 64,
  // The accepted window is ±15 minutes; 100,000 nonces (~13 MB) cover 55 requests per second
  // over a whole window before the oldest are forgotten early.
  nonceCacheMaxEntries: 100_000,
  // Common error InvalidTimeStamp.Expired: more than 15 minutes between client and server.
  clockSkewMs: 15 * 60 * 1000,
});
