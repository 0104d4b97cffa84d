import { StorageError } from "@stowage/core";
import { memoryKeyValueSubject, memoryObjectSubject, type ConformanceTarget } from "@stowage/conformance";

/**
 * The built-in adapters as conformance targets, each on its embedded defaults or its emulator
 * started in-process on an ephemeral port (`stowage conformance --adapter all`).
 */
export const BUILTIN_TARGETS: ReadonlyMap<string, () => ConformanceTarget> = new Map([
  ["memory", () => ({ id: "memory", kv: memoryKeyValueSubject(), objects: memoryObjectSubject() })],
]);

/** The built-in target `id`; `InvalidArgument` listing the known ids otherwise. */
export function builtinTarget(id: string): ConformanceTarget {
  const make = BUILTIN_TARGETS.get(id);
  if (!make) {
    throw new StorageError({ code: "InvalidArgument", message: `unknown adapter "${id}"; built-in adapters: ${[...BUILTIN_TARGETS.keys()].join(", ")}, all` });
  }
  return make();
}
