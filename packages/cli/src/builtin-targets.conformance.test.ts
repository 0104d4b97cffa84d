import { afterAll, beforeAll, describe } from "vitest";
import { describeKeyValueStore, describeMultipartObjectStore } from "@stowage/conformance";
import { BUILTIN_TARGETS } from "./builtin-targets/index.js";

// The provider adapters on their emulators, exactly as `stowage conformance --adapter all`
// runs them. (Memory runs in conformance/src/memory.conformance.test.ts, with its extra wrappers.)
for (const [id, make] of BUILTIN_TARGETS) {
  if (id === "memory") continue;
  const target = make();
  describe(id, () => {
    beforeAll(() => target.setup?.());
    afterAll(() => target.teardown?.());
    if (target.kv) describeKeyValueStore(`${id} (key-value)`, target.kv);
    if (target.objects) describeMultipartObjectStore(`${id} (objects)`, target.objects);
  });
}
