/** The report the runner produces and every renderer reads. Its JSON form is stable API. */

/** How one case ended on one adapter. */
export type CaseStatus = "pass" | "fail" | "skip";

/** Which contract a case belongs to. */
export type ContractName = "kv" | "objects";

/** One case on one adapter. */
export interface CaseReport {
  /** The case's stable id, e.g. `objects.range.suffix-larger-than-object`. */
  id: string;
  /** `kv` for KeyValueStore cases, `objects` for object and multipart cases. */
  contract: ContractName;
  /** The feature area, e.g. `kv.ttl`, `objects.range`; the terminal table groups by it. */
  area: string;
  /** The rule the case checks, one sentence. */
  rule: string;
  /** Where the rule comes from. */
  source: string;
  /** `pass`, `fail`, or `skip` (a capability the adapter does not claim; never counted as a pass). */
  status: CaseStatus;
  /** Why the case failed or was skipped; `null` on a pass. */
  reason: string | null;
  /** Wall time of the case, store creation and cleanup included. */
  durationMs: number;
}

/** Counts of a set of cases. */
export interface StatusCounts {
  /** Cases that passed. */
  pass: number;
  /** Applicable cases that failed. */
  fail: number;
  /** Cases skipped for a capability the adapter does not claim or a subject power it lacks. */
  skip: number;
}

/**
 * What a target is and how it ran, for the report's run details. Endpoints must arrive with
 * credentials redacted; the runner copies these fields as given.
 */
export interface TargetDetails {
  /** The provider id or a short description, e.g. `ks3 adapter on the KS3 emulator (in-process)`. */
  provider?: string;
  /** Where the target's stores talk to, credentials redacted. */
  endpoint?: string;
  /** Anything a reader needs to weigh the results, e.g. limits lowered for the run. */
  notes?: string[];
  /** The limits the target actually ran with (a manifest, or the overrides of one), by contract or name. */
  limits?: Readonly<Record<string, unknown>>;
}

/** How a run was made: enough to reproduce it. */
export interface RunDetails {
  /** Cases in flight per target. */
  concurrency: number;
  /** The `@stowage/conformance` version that ran the cases. */
  stowageVersion: string;
  /** `process.version` of the Node.js that ran them. */
  nodeVersion: string;
}

/** Every case run on one adapter. */
export interface AdapterReport {
  /** The target's id, e.g. `memory`, `esa-kv`, `ks3`. */
  id: string;
  /** What the target is and the limits it ran with, when the target described itself. */
  details?: TargetDetails;
  /** Every case run on the adapter, in catalogue order. */
  cases: CaseReport[];
  /** The counts of `cases`. */
  summary: StatusCounts;
}

/** A whole run: one entry per adapter, in the order the targets were given. */
export interface ConformanceReport {
  /** Which tool wrote the report. */
  tool: "@stowage/conformance";
  /** ISO 8601 instant the run started. */
  startedAt: string;
  /** ISO 8601 instant the run finished. */
  finishedAt: string;
  /** Concurrency and versions of the run. */
  run?: RunDetails;
  /** One entry per target, in the order given. */
  adapters: AdapterReport[];
  /** The counts over every adapter. */
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
