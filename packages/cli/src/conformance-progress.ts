import { redactCredentials, type CaseReport } from "@stowage/conformance";

/** The callbacks {@link conformanceProgress} returns: pass the first two to `runConformance`, call `end()` after it. */
export interface ConformanceProgress {
  /** A target is about to run `total` cases. */
  onTarget(adapterId: string, total: number): void;
  /** A case finished. */
  onCase(adapterId: string, result: CaseReport): void;
  /** Clears the live line, if any, before the final table is printed. */
  end(): void;
}

/** Where progress output goes: a writable stream, and whether it is a terminal. */
export interface ProgressStream {
  /** True on a terminal: one live line, rewritten in place. */
  isTTY?: boolean;
  /** Writes text. */
  write(text: string): unknown;
}

/**
 * Progress of `stowage conformance`: on a terminal one live line per target (`done/total`
 * cases and an ETA from the mean case time so far), failures printed above it as they happen;
 * elsewhere (CI logs, pipes) plain lines — each failure, and a count every 50 cases and at the end.
 */
export function conformanceProgress(stream: ProgressStream, now: () => number = Date.now): ConformanceProgress {
  let total = 0;
  let done = 0;
  let startedAt = 0;
  let live = false;
  const eta = (): string => {
    if (done === 0) return "…";
    const seconds = Math.round((((now() - startedAt) / done) * (total - done)) / 1000);
    return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s` : `${seconds}s`;
  };
  const clear = () => {
    if (live) stream.write("\r\x1b[2K");
    live = false;
  };
  return {
    onTarget(id, count) {
      clear();
      total = count;
      done = 0;
      startedAt = now();
      stream.write(`${id}: ${count} cases\n`);
    },
    onCase(id, result) {
      done++;
      if (result.status === "fail") {
        clear();
        stream.write(`  FAIL ${id} ${result.id}: ${redactCredentials(result.reason ?? "")}\n`);
      }
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K  ${id}: ${done}/${total} cases, ETA ${eta()}`);
        live = true;
      } else if (done % 50 === 0 || done === total) {
        stream.write(`  ${id}: ${done}/${total} cases run\n`);
      }
    },
    end: clear,
  };
}
