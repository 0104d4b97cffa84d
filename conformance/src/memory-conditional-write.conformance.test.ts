import { KS3_LIMITS, defineLimits, withObjectRetry, withObjectTimeout } from "@stowage/core";
import { describeMultipartObjectStore } from "@stowage/conformance";
import { memoryObjectSubject } from "./memory-subjects.js";

// Memory's default manifest (KS3's) lacks conditional writes, so memory.conformance covers the
// Unsupported path; here the same store claims them and is held to the cases, directly and
// again through the retry and timeout layers (which must pass the conditions on untouched).
const CONDITIONAL = defineLimits({ ...KS3_LIMITS, putObjectWithConditions: true, completeMultipartUploadWithConditions: true });
const ONLY = { only: ["objects.conditional-write.", "multipart.conditional-complete."] };

describeMultipartObjectStore("memory with putObjectWithConditions and completeMultipartUploadWithConditions", memoryObjectSubject({ limits: CONDITIONAL }), ONLY);
describeMultipartObjectStore(
  "memory with conditional writes through withObjectRetry and withObjectTimeout",
  memoryObjectSubject({ limits: CONDITIONAL, layers: [withObjectRetry(), withObjectTimeout({ ms: 30_000 })] }),
  ONLY,
);
