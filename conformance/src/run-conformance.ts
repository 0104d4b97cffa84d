/**
 * The runner: runs the suites against several targets outside any test framework, with
 * bounded concurrency and a per-case time limit, and collects a {@link ConformanceReport}.
 * Each case gets its own store and its own outcome; one case's failure never touches another.
 */
import { readFileSync } from "node:fs";
import type { ConformanceCase } from "./case.js";
import type { CaseContext } from "./case-context.js";
import { describeFailure, executeCase } from "./execute-case.js";
import { keyValueStoreCases } from "./key-value-store-cases.js";
import { multipartObjectStoreCases } from "./multipart-object-store-cases.js";
import { countStatuses, type AdapterReport, type CaseReport, type ConformanceReport, type ContractName, type TargetDetails } from "./report.js";
import type { KeyValueStoreSubject, MultipartObjectStoreSubject } from "./subject.js";

/** One adapter to check: either contract or both, with optional setup (e.g. start an emulator). */
export interface ConformanceTarget {
  /** Names the adapter in reports, e.g. `memory`, `esa-kv`, `ks3`. */
  id: string;
  /** What the target is and the limits it runs with, copied into the report (redact endpoints first). */
  details?: TargetDetails;
  /** Runs the key-value suite on this subject. */
  kv?: KeyValueStoreSubject;
  /** Runs the object and multipart suite on this subject. */
  objects?: MultipartObjectStoreSubject;
  /** Runs before the target's first case; if it throws, every case of the target fails with the reason. */
  setup?(): Promise<void>;
  /** Runs after the target's last case, even when cases failed. */
  teardown?(): Promise<void>;
}

/** Options of {@link runConformance}. */
export interface RunConformanceOptions {
  /** Cases run at once per target; default 4. */
  concurrency?: number;
  /** A case still running after this long fails; default 60,000 ms. */
  caseTimeoutMs?: number;
  /** Only cases for which this returns true are run (and reported). */
  filter?(testCase: { id: string; area: string; contract: ContractName }): boolean;
  /** Called once per target before its first case, with the number of cases it will run (for progress). */
  onTarget?(adapterId: string, total: number): void;
  /** Called as each case finishes, e.g. for a progress line. */
  onCase?(adapterId: string, result: CaseReport): void;
}

/** This package's version, read once from its package.json (one level above both `src` and `dist`). */
const STOWAGE_VERSION: string = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

/** A case bound to its subject, ready to execute. */
interface Job {
  contract: ContractName;
  testCase: { id: string; area: string; rule: string; source: string };
  execute(): ReturnType<typeof executeCase>;
}

function jobsFor<Store extends { limits: Limits; close(): Promise<void> }, Limits, Subject extends { create(): Promise<Store>; cleanup?(s: Store): Promise<void>; limits?: Limits }>(
  contract: ContractName,
  cases: readonly ConformanceCase<CaseContext<Store, Limits, Subject>, Limits, Subject>[],
  subject: Subject,
  timeoutMs: number,
): Job[] {
  return cases.map((testCase) => ({ contract, testCase, execute: () => executeCase(testCase, subject, { timeoutMs }) }));
}

/** Runs `jobs` with at most `limit` in flight, keeping results in job order. */
async function pool<T>(jobs: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
  return results;
}

async function runTarget(target: ConformanceTarget, options: RunConformanceOptions): Promise<AdapterReport> {
  const timeoutMs = options.caseTimeoutMs ?? 60_000;
  const jobs = [
    ...(target.kv ? jobsFor("kv", keyValueStoreCases(), target.kv, timeoutMs) : []),
    ...(target.objects ? jobsFor("objects", multipartObjectStoreCases(), target.objects, timeoutMs) : []),
  ].filter((job) => options.filter?.({ id: job.testCase.id, area: job.testCase.area, contract: job.contract }) ?? true);

  const report = (job: Job, status: CaseReport["status"], reason: string | null, durationMs: number): CaseReport => {
    const { id, area, rule, source } = job.testCase;
    const result: CaseReport = { id, contract: job.contract, area, rule, source, status, reason, durationMs };
    options.onCase?.(target.id, result);
    return result;
  };

  options.onTarget?.(target.id, jobs.length);
  let setupFailure: string | undefined;
  try {
    await target.setup?.();
  } catch (err) {
    setupFailure = `target setup failed: ${describeFailure(err)}`;
  }
  let cases: CaseReport[];
  if (setupFailure !== undefined) {
    cases = jobs.map((job) => report(job, "fail", setupFailure, 0));
  } else {
    cases = await pool(
      jobs.map((job) => async () => {
        const outcome = await job.execute();
        return report(job, outcome.status, outcome.reason ?? null, outcome.durationMs);
      }),
      options.concurrency ?? 4,
    );
  }
  try {
    await target.teardown?.();
  } catch (err) {
    // A teardown failure is reported on a synthetic case so it cannot go unnoticed.
    cases.push({ id: "runner.teardown", contract: "kv", area: "runner", rule: "the target's teardown() resolves", source: "runner", status: "fail", reason: describeFailure(err), durationMs: 0 });
  }
  return { id: target.id, ...(target.details && { details: target.details }), cases, summary: countStatuses(cases) };
}

/**
 * Runs the key-value suite on every target with `kv` and the object suite on every target
 * with `objects`, target after target, and resolves the report. Never rejects because a case
 * failed; a target whose `setup()` throws has every case reported failed with the reason.
 */
export async function runConformance(targets: readonly ConformanceTarget[], options: RunConformanceOptions = {}): Promise<ConformanceReport> {
  const ids = new Set<string>();
  for (const target of targets) {
    if (ids.has(target.id)) throw new Error(`duplicate conformance target id ${target.id}`);
    ids.add(target.id);
  }
  const startedAt = new Date().toISOString();
  const adapters: AdapterReport[] = [];
  for (const target of targets) adapters.push(await runTarget(target, options));
  return {
    tool: "@stowage/conformance",
    startedAt,
    finishedAt: new Date().toISOString(),
    run: { concurrency: options.concurrency ?? 4, stowageVersion: STOWAGE_VERSION, nodeVersion: process.version },
    adapters,
    summary: countStatuses(adapters.flatMap((a) => a.cases)),
  };
}
