import { withObjectRetry, withObjectTimeout, withRetry, withTimeout } from "@stowage/core";
import { describeKeyValueStore, describeMultipartObjectStore } from "@stowage/conformance";
import { memoryKeyValueSubject, memoryObjectSubject } from "./memory-subjects.js";

// The suite again, through core's retry and timeout layers: a wrapper must keep every promise
// of the store it wraps (style.md item 9).
describeKeyValueStore("memory through withRetry and withTimeout", memoryKeyValueSubject({ layers: [withRetry(), withTimeout({ ms: 30_000 })] }));
describeMultipartObjectStore("memory through withObjectRetry and withObjectTimeout", memoryObjectSubject({ layers: [withObjectRetry(), withObjectTimeout({ ms: 30_000 })] }));
