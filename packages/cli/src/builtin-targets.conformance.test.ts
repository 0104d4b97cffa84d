import { afterAll, beforeAll, describe } from "vitest";
import { describeKeyValueStore, describeMultipartObjectStore } from "@stowage/conformance";
import { BUILTIN_TARGETS } from "./builtin-targets/index.js";

// The provider adapters on their emulators, exactly as `stowage conformance --adapter all`
// runs them. (Memory runs in conformance/src/memory.conformance.test.ts, with its extra wrappers;
// fs in adapters/fs/src/fs.conformance.test.ts, with the same subject; s3 on Ceph in
// adapters/s3/src/s3-ceph.conformance.test.ts, so one Ceph cluster per test run is enough.)
for (const [id, make] of BUILTIN_TARGETS) {
  if (id === "memory" || id === "fs" || id === "s3") continue;
  const target = make();
  describe(id, () => {
    beforeAll(() => target.setup?.());
    afterAll(() => target.teardown?.());
    if (target.kv) describeKeyValueStore(`${id} (key-value)`, target.kv);
    if (target.objects) describeMultipartObjectStore(`${id} (objects)`, target.objects);
  });
}
