/**
 * The vitest binding: `describeKeyValueStore` and `describeMultipartObjectStore` register one
 * vitest test per case. A case the adapter lacks the capability for is reported skipped with
 * its reason (vitest's `context.skip(note)`), never as a pass.
 *
 * vitest is an optional peer: it is imported here with a top-level dynamic import, so the
 * runner and the renderers work in a process where vitest is not installed.
 */
import type { ConformanceCase } from "./case.js";
import type { CaseContext } from "./case-context.js";
import { executeCase, failureError } from "./execute-case.js";
import { keyValueStoreCases } from "./key-value-store-cases.js";
import { multipartObjectStoreCases } from "./multipart-object-store-cases.js";
import type { KeyValueStoreSubject, MultipartObjectStoreSubject } from "./subject.js";

type Vitest = typeof import("vitest");
const vitest: Vitest | undefined = await import("vitest").catch(() => undefined);

/** Options of the describe functions. */
export interface DescribeOptions {
  /** Per-case time limit; default 60,000 ms. */
  caseTimeoutMs?: number;
  /** Only cases whose id starts with one of these prefixes are registered. */
  only?: readonly string[];
}

function describeCases<Store extends { limits: Limits; close(): Promise<void> }, Limits, Subject extends { create(): Promise<Store>; cleanup?(s: Store): Promise<void>; limits?: Limits }>(
  name: string,
  cases: readonly ConformanceCase<CaseContext<Store, Limits, Subject>, Limits, Subject>[],
  subject: Subject,
  options: DescribeOptions,
): void {
  if (!vitest) throw new Error("@stowage/conformance: describe functions need vitest; use runConformance() without it");
  const { describe, it } = vitest;
  const timeoutMs = options.caseTimeoutMs ?? 60_000;
  const selected = options.only ? cases.filter((c) => options.only!.some((p) => c.id.startsWith(p))) : cases;
  describe(name, () => {
    for (const testCase of selected) {
      it(
        `${testCase.id}: ${testCase.rule}`,
        async (context) => {
          const outcome = await executeCase(testCase, subject, { timeoutMs });
          if (outcome.status === "skip") context.skip(outcome.reason);
          if (outcome.status === "fail") throw failureError(outcome);
        },
        // vitest's own limit sits above the case's, so the case's timeout is the one reported.
        timeoutMs + 5_000,
      );
    }
  });
}

/**
 * Registers the key-value suite as a vitest `describe` block:
 * `describeKeyValueStore("memory", { create: async () => createMemoryKeyValueStore() })`.
 */
export function describeKeyValueStore(name: string, subject: KeyValueStoreSubject, options: DescribeOptions = {}): void {
  describeCases(name, keyValueStoreCases(), subject, options);
}

/**
 * Registers the object and multipart suite as a vitest `describe` block:
 * `describeMultipartObjectStore("memory", { create: async () => createMemoryObjectStore() })`.
 */
export function describeMultipartObjectStore(name: string, subject: MultipartObjectStoreSubject, options: DescribeOptions = {}): void {
  describeCases(name, multipartObjectStoreCases(), subject, options);
}
