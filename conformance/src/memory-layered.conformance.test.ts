import { defineLimits, KS3_LIMITS, withObjectRetry, withObjectTimeout, withRetry, withTimeout } from "@stowage/core";
import { describeKeyValueStore, describeMultipartObjectStore } from "@stowage/conformance";
import { memoryKeyValueSubject, memoryObjectSubject } from "./memory-subjects.js";

// The suite again, through core's retry and timeout layers: a wrapper must keep every promise
// of the store it wraps (style.md item 9). The object run uses KiB-sized object and part
// limits, so the size-boundary cases (max, max + 1), skipped above their probe ceiling with
// the real 5 GiB / 5 MiB manifest, run against memory too and not only against the emulator.
const KIB_SIZED_LIMITS = defineLimits({
  ...KS3_LIMITS,
  multipartMinPartBytes: 5 * 1024,
  multipartMaxPartBytes: 256 * 1024,
  putObjectMaxBytes: 256 * 1024,
  copyObjectMaxSourceBytes: 128 * 1024,
});
describeKeyValueStore("memory through withRetry and withTimeout", memoryKeyValueSubject({ layers: [withRetry(), withTimeout({ ms: 30_000 })] }));
describeMultipartObjectStore(
  "memory through withObjectRetry and withObjectTimeout, KiB-sized limits",
  memoryObjectSubject({ layers: [withObjectRetry(), withObjectTimeout({ ms: 30_000 })], limits: KIB_SIZED_LIMITS }),
);
