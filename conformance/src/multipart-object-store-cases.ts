/**
 * The object suite: the list of features. Each feature file registers its cases; which of
 * them apply to an adapter is decided only by the capabilities its manifest and subject declare.
 */
import { CaseRegistry } from "./case.js";
import type { ObjectCase, ObjectRegistry } from "./case-context.js";
import { register as basics } from "./suites/objects-basic.js";
import { register as keys } from "./suites/objects-key.js";
import { register as metadata } from "./suites/objects-metadata.js";
import { register as operations } from "./suites/objects-operations.js";
import { register as ranges } from "./suites/objects-range.js";
import { register as conditions } from "./suites/objects-conditional.js";
import { register as conditionalWrites } from "./suites/objects-conditional-write.js";
import { register as copies } from "./suites/objects-copy.js";
import { register as listing } from "./suites/objects-list.js";
import { register as sseC } from "./suites/objects-sse-c.js";
import { register as presign } from "./suites/objects-presign.js";
import { register as parts } from "./suites/multipart-parts.js";
import { register as complete } from "./suites/multipart-complete.js";
import { register as conditionalComplete } from "./suites/multipart-complete-conditional.js";
import { register as uploads } from "./suites/multipart-upload.js";
import { register as multipartListing } from "./suites/multipart-list.js";
import { register as partCopies } from "./suites/multipart-copy.js";
import { register as concurrency } from "./suites/objects-concurrency.js";
import { register as transfer } from "./suites/transfer.js";

const FEATURES: ReadonlyArray<(registry: ObjectRegistry) => void> = [
  basics,
  keys,
  metadata,
  operations,
  ranges,
  conditions,
  conditionalWrites,
  copies,
  listing,
  sseC,
  presign,
  parts,
  complete,
  conditionalComplete,
  uploads,
  multipartListing,
  partCopies,
  concurrency,
  transfer,
];

/** Every object and multipart case, in catalogue order. */
export function multipartObjectStoreCases(): readonly ObjectCase[] {
  const registry: ObjectRegistry = new CaseRegistry();
  for (const feature of FEATURES) feature(registry);
  return registry.list();
}
