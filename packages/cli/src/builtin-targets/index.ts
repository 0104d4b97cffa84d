import { StorageError } from "@stowage/core";
import { memoryKeyValueSubject, memoryObjectSubject, type ConformanceTarget } from "@stowage/conformance";
import { esaKvTarget } from "./esa-kv-target.js";
import { fsTarget } from "./fs-target.js";
import { ks3Target } from "./ks3-target.js";
import { redisTarget } from "./redis-target.js";
import { s3Target } from "./s3-target.js";

export { esaKvTarget } from "./esa-kv-target.js";
export { fsTarget } from "./fs-target.js";
export { ks3Target } from "./ks3-target.js";
export { redisTarget } from "./redis-target.js";
export { s3Target } from "./s3-target.js";

/**
 * The built-in adapters as conformance targets, each on its embedded defaults or on its
 * emulator started in-process on an ephemeral port (`stowage conformance --adapter all`).
 */
export const BUILTIN_TARGETS: ReadonlyMap<string, () => ConformanceTarget> = new Map<string, () => ConformanceTarget>([
  ["memory", () => ({ id: "memory", kv: memoryKeyValueSubject(), objects: memoryObjectSubject() })],
  ["fs", fsTarget],
  ["esa-kv", esaKvTarget],
  ["ks3", () => ks3Target("ks3")],
  ["ks3-s3-profile", () => ks3Target("s3")],
  ["redis", redisTarget],
  ["s3", s3Target],
]);

/** The built-in target `id`; `InvalidArgument` listing the known ids otherwise. */
export function builtinTarget(id: string): ConformanceTarget {
  const make = BUILTIN_TARGETS.get(id);
  if (!make) {
    throw new StorageError({ code: "InvalidArgument", message: `unknown adapter (the name is not echoed); built-in adapters: ${[...BUILTIN_TARGETS.keys()].join(", ")}, all` });
  }
  return make();
}
