import { MEMORY_KV_LIMITS, MEMORY_OBJECT_LIMITS } from "@stowage/adapter-memory";
import { describeKeyValueStore, describeMultipartObjectStore } from "@stowage/conformance";
import { memoryKeyValueSubject, memoryObjectSubject } from "./memory-subjects.js";

// The memory adapter with every optional capability switched off in its manifest: the cases
// that check the `Unsupported` path (and S3's gap-tolerant Complete) run here, and the cases
// that need a capability are reported skipped.
const kvLimits = { ...MEMORY_KV_LIMITS, putWithTtl: false, putWithExpiresAt: false, putMany: false, deleteMany: false };
const objectLimits = {
  ...MEMORY_OBJECT_LIMITS,
  getObjectWithRange: false,
  getObjectWithConditions: false,
  copyWithConditions: false,
  copyAcrossBuckets: false,
  sseC: false,
  uploadPartCopy: false,
  multipartPartNumbersContiguous: false,
};

describeKeyValueStore("memory without optional capabilities", memoryKeyValueSubject({ limits: kvLimits }));
describeMultipartObjectStore("memory without optional capabilities", memoryObjectSubject({ limits: objectLimits }));
