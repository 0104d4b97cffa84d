import { KS3_LIMITS, defineLimits } from "@stowage/core";
import { describeMultipartObjectStore } from "@stowage/conformance";
import { memoryObjectSubject } from "./memory-subjects.js";

// Memory's default manifest (KS3's) lacks conditional writes, so memory.conformance covers the
// Unsupported path; here the same store claims them and is held to the cases.
describeMultipartObjectStore(
  "memory with putObjectWithConditions",
  memoryObjectSubject({ limits: defineLimits({ ...KS3_LIMITS, putObjectWithConditions: true }) }),
  { only: ["objects.conditional-write."] },
);
