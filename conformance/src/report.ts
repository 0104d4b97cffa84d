/** The report the runner produces and every renderer reads. Its JSON form is stable API. */

/** How one case ended on one adapter. */
export type CaseStatus = "pass" | "fail" | "skip";

/** Which contract a case belongs to. */
export type ContractName = "kv" | "objects";

/** One case on one adapter. */
export interface CaseReport {
  /** The case's stable id, e.g. `objects.range.suffix-larger-than-object`. */
  id: string;
  contract: ContractName;
  area: string;
  rule: string;
  source: string;
  status: CaseStatus;
  /** Why the case failed or was skipped; `null` on a pass. */
  reason: string | null;
  durationMs: number;
}

/** Counts of a set of cases. */
export interface StatusCounts {
  pass: number;
  fail: number;
  skip: number;
}

/** Every case run on one adapter. */
export interface AdapterReport {
  /** The target's id, e.g. `memory`, `esa-kv`, `ks3`. */
  id: string;
  cases: CaseReport[];
  summary: StatusCounts;
}

/** A whole run: one entry per adapter, in the order the targets were given. */
export interface ConformanceReport {
  tool: "@stowage/conformance";
  startedAt: string;
  finishedAt: string;
  adapters: AdapterReport[];
  summary: StatusCounts;
}

/** Counts the statuses of `cases`. */
export function countStatuses(cases: readonly { status: CaseStatus }[]): StatusCounts {
  const counts: StatusCounts = { pass: 0, fail: 0, skip: 0 };
  for (const c of cases) counts[c.status]++;
  return counts;
}

/** Whether any applicable case failed: the CLI exits non-zero exactly when this is true. */
export function hasFailures(report: ConformanceReport): boolean {
  return report.summary.fail > 0;
}
