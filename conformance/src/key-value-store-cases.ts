/**
 * The key-value suite: the list of features. Each feature file registers its cases; which of
 * them apply to an adapter is decided only by the capabilities its manifest and subject declare.
 */
import { CaseRegistry } from "./case.js";
import type { KeyValueCase, KeyValueRegistry } from "./case-context.js";
import { register as keys } from "./suites/kv-key.js";
import { register as values } from "./suites/kv-value.js";
import { register as deletes } from "./suites/kv-delete.js";
import { register as operations } from "./suites/kv-operations.js";
import { register as expiry } from "./suites/kv-ttl.js";
import { register as listing } from "./suites/kv-list.js";
import { register as batches } from "./suites/kv-batch.js";
import { register as namespace } from "./suites/kv-namespace.js";
import { register as concurrency } from "./suites/kv-concurrency.js";

const FEATURES: ReadonlyArray<(registry: KeyValueRegistry) => void> = [
  keys,
  values,
  deletes,
  operations,
  expiry,
  listing,
  batches,
  namespace,
  concurrency,
];

/** Every key-value case, in catalogue order. */
export function keyValueStoreCases(): readonly KeyValueCase[] {
  const registry: KeyValueRegistry = new CaseRegistry();
  for (const feature of FEATURES) feature(registry);
  return registry.list();
}
