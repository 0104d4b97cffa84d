/**
 * Runs one case against one subject: a fresh store, the capability gate, a time limit, and
 * cleanup whatever happens. Both the runner and the vitest binding go through here, so a case
 * is judged the same way wherever it runs.
 */
import { isStorageError } from "@stowage/core";
import type { ConformanceCase } from "./case.js";
import { ConformanceFailure } from "./assertions.js";
import type { CaseContext } from "./case-context.js";
import { redactCredentials } from "./redact-credentials.js";

/** A store as the executor needs it: its manifest, and a way to release it. Both contracts fit. */
export interface ClosableStore<Limits> {
  /** The manifest the store keeps. */
  readonly limits: Limits;
  /** Releases the store (the default cleanup). */
  close(): Promise<void>;
}

/** The subject members the executor uses. Both subject types fit. */
export interface SubjectBase<Store, Limits> {
  /** A fresh, isolated store. */
  create(): Promise<Store>;
  /** Removes what a case made; default `store.close()`. */
  cleanup?(store: Store): Promise<void>;
  /** The manifest override; default `store.limits`. */
  limits?: Limits;
}

/** How one case ended. `error` is the thrown value of a failure, for a stack trace. */
export interface CaseOutcome {
  /** How the case ended. */
  status: "pass" | "fail" | "skip";
  /** Why the case failed or was skipped; absent on a pass. */
  reason?: string;
  /** What a failed case threw, kept for its stack trace. */
  error?: unknown;
  /** Wall time, store creation and cleanup included. */
  durationMs: number;
}

/** Options of {@link executeCase}. */
export interface ExecuteCaseOptions {
  /** A case still running after this long fails with a timeout; its signal fires. */
  timeoutMs: number;
}

/**
 * One line saying what was thrown, without stack or cause (causes may carry provider detail),
 * with credentials masked: every reason in every report is made here.
 */
export function describeFailure(err: unknown): string {
  return redactCredentials(failureLine(err));
}

function failureLine(err: unknown): string {
  if (isStorageError(err)) return `StorageError ${err.code}: ${err.message}`;
  if (err instanceof Error) return err.name === "ConformanceFailure" || err.name === "Error" ? err.message : `${err.name}: ${err.message}`;
  return `non-error thrown: ${String(err)}`;
}

/**
 * The error a test framework is given for a failed outcome: the report's reason (credentials
 * masked) as the message, and the thrown error's stack frames to find where it came from. The
 * thrown error itself is not rethrown: its message and `cause` were never masked.
 */
export function failureError(outcome: CaseOutcome): Error {
  const failure = new ConformanceFailure(outcome.reason ?? "the case failed");
  const frames = outcome.error instanceof Error ? (outcome.error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line)) : [];
  if (frames.length > 0) failure.stack = `${failure.name}: ${failure.message}\n${frames.join("\n")}`;
  return failure;
}

/**
 * The reason a manifest's `declaredDivergences` gives for this case: by its id, by an id
 * prefix ending in `.`, or by the label of a requirement it does not meet (a capability the
 * profile leaves unclaimed because the engine cannot keep it).
 */
function declaredDivergence<Limits, Subject>(testCase: ConformanceCase<unknown, Limits, Subject>, limits: Limits, subject: Subject): string | undefined {
  const declared = (limits as { declaredDivergences?: Readonly<Record<string, string>> } | undefined)?.declaredDivergences;
  if (!declared) return undefined;
  if (Object.hasOwn(declared, testCase.id)) return declared[testCase.id];
  for (const [name, reason] of Object.entries(declared)) if (name.endsWith(".") && testCase.id.startsWith(name)) return reason;
  for (const requirement of testCase.requires) {
    if (Object.hasOwn(declared, requirement.label) && requirement.unmet(limits, subject) !== undefined) return declared[requirement.label];
  }
  return undefined;
}

/** The manifest each subject's stores reported, so later cases can be gated without a store. */
const limitsSeen = new WeakMap<object, unknown>();

class CaseTimeout extends Error {
  override readonly name = "CaseTimeout";
}

/**
 * Creates a store, checks the case's requirements against the manifest and the subject,
 * runs the case within `timeoutMs`, then cleans up every store the case used. Never throws:
 * every failure, including one in `create()` or cleanup, becomes the outcome.
 */
export async function executeCase<Store extends ClosableStore<Limits>, Limits, Subject extends SubjectBase<Store, Limits>>(
  testCase: ConformanceCase<CaseContext<Store, Limits, Subject>, Limits, Subject>,
  subject: Subject,
  options: ExecuteCaseOptions,
): Promise<CaseOutcome> {
  const started = performance.now();
  const finish = (status: CaseOutcome["status"], reason?: string, error?: unknown): CaseOutcome => ({
    status,
    ...(reason === undefined ? {} : { reason }),
    ...(error === undefined ? {} : { error }),
    durationMs: Math.round((performance.now() - started) * 100) / 100,
  });

  // Gate before creating a store when the manifest is already known: on a provider adapter a
  // store may cost a namespace, a bucket or an emulator, which a skipped case should not.
  const known = subject.limits ?? (limitsSeen.get(subject) as Limits | undefined);
  const skipReason = (limits: Limits): string | undefined => {
    const divergence = declaredDivergence(testCase, limits, subject);
    if (divergence !== undefined) return `declared divergence: ${divergence}`;
    for (const requirement of testCase.requires) {
      const reason = requirement.unmet(limits, subject);
      if (reason !== undefined) return reason;
    }
    return undefined;
  };
  if (known !== undefined) {
    const reason = skipReason(known);
    if (reason !== undefined) return finish("skip", reason);
  }

  let store: Store;
  try {
    store = await subject.create();
  } catch (err) {
    return finish("fail", `subject.create() failed: ${describeFailure(err)}`, err);
  }
  const stores: Store[] = [store];
  const release = async (): Promise<unknown> => {
    let failure: unknown;
    for (const s of stores.reverse()) {
      try {
        await (subject.cleanup ? subject.cleanup(s) : s.close());
      } catch (err) {
        failure ??= err;
      }
    }
    return failure;
  };

  const limits = subject.limits ?? store.limits;
  limitsSeen.set(subject, limits);
  const reason = skipReason(limits);
  if (reason !== undefined) {
    await release();
    return finish("skip", reason);
  }

  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new CaseTimeout(`timed out after ${options.timeoutMs} ms`);
      controller.abort(err);
      reject(err);
    }, options.timeoutMs);
  });
  const context: CaseContext<Store, Limits, Subject> = {
    store,
    limits,
    subject,
    signal: controller.signal,
    adopt: (extra) => {
      stores.push(extra);
      return extra;
    },
  };

  let outcome: CaseOutcome;
  try {
    await Promise.race([testCase.run(context), timedOut]);
    outcome = finish("pass");
  } catch (err) {
    outcome = finish("fail", describeFailure(err), err);
  } finally {
    clearTimeout(timer);
  }
  const cleanupFailure = await release();
  if (outcome.status === "pass" && cleanupFailure !== undefined) {
    return finish("fail", `cleanup failed: ${describeFailure(cleanupFailure)}`, cleanupFailure);
  }
  return outcome;
}
