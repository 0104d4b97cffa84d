/** The requirement helpers of `case.ts`, bound to each contract's manifest and subject types. */
import type { KeyValueLimits, ObjectStoreLimits } from "@stowage/core";
import { claims, lacks, manifest, provides } from "./case.js";
import type { KeyValueStoreSubject, MultipartObjectStoreSubject } from "./subject.js";

/** Key-value requirements. */
export const kv = {
  claims: claims<KeyValueLimits, KeyValueStoreSubject>,
  lacks: lacks<KeyValueLimits, KeyValueStoreSubject>,
  provides: provides<KeyValueLimits, KeyValueStoreSubject>,
  manifest: manifest<KeyValueLimits, KeyValueStoreSubject>,
};

/** Object and multipart requirements. */
export const objects = {
  claims: claims<ObjectStoreLimits, MultipartObjectStoreSubject>,
  lacks: lacks<ObjectStoreLimits, MultipartObjectStoreSubject>,
  provides: provides<ObjectStoreLimits, MultipartObjectStoreSubject>,
  manifest: manifest<ObjectStoreLimits, MultipartObjectStoreSubject>,
};
