/** The terminal rendering: per adapter, a table grouped by area with pass/fail/skip counts, then each failure. */
import { countStatuses, type ConformanceReport } from "./report.js";

/** Options of {@link renderTerminalReport}. */
export interface TerminalReportOptions {
  /** ANSI colours; default false (the CLI turns them on for a TTY). */
  color?: boolean;
  /** Also list every skipped case with its reason; default false. */
  showSkipped?: boolean;
}

const ANSI = { red: "\u001b[31m", green: "\u001b[32m", yellow: "\u001b[33m", dim: "\u001b[2m", bold: "\u001b[1m", reset: "\u001b[0m" };

/** A reason on one line: a table row must not be broken by an adapter's multi-line message. */
const oneLine = (reason: string | null): string => (reason ?? "").replace(/\s*\n\s*/g, " ");

/** Renders the report as plain text (a table per adapter and the failures' ids and reasons). */
export function renderTerminalReport(report: ConformanceReport, options: TerminalReportOptions = {}): string {
  const paint = (code: keyof typeof ANSI, text: string): string => (options.color ? `${ANSI[code]}${text}${ANSI.reset}` : text);
  const lines: string[] = [];
  for (const adapter of report.adapters) {
    lines.push(paint("bold", `${adapter.id}`) + `  ${adapter.summary.pass} passed, ${adapter.summary.fail} failed, ${adapter.summary.skip} skipped`);
    // A target that ran nothing (e.g. redis without a server) says why in its notes.
    if (adapter.cases.length === 0) for (const note of adapter.details?.notes ?? []) lines.push(`  ${paint("yellow", note)}`);
    const areas = [...new Set(adapter.cases.map((c) => c.area))];
    const width = Math.max(4, ...areas.map((a) => a.length));
    lines.push(`  ${"area".padEnd(width)}  ${"pass".padStart(5)}  ${"fail".padStart(5)}  ${"skip".padStart(5)}`);
    for (const area of areas) {
      const counts = countStatuses(adapter.cases.filter((c) => c.area === area));
      const fail = String(counts.fail).padStart(5);
      lines.push(`  ${area.padEnd(width)}  ${paint("green", String(counts.pass).padStart(5))}  ${counts.fail > 0 ? paint("red", fail) : fail}  ${paint("yellow", String(counts.skip).padStart(5))}`);
    }
    const failures = adapter.cases.filter((c) => c.status === "fail");
    if (failures.length > 0) {
      lines.push(paint("red", `  failures (${failures.length}):`));
      for (const c of failures) lines.push(`    ${paint("red", "✗")} ${c.id}: ${oneLine(c.reason)}`);
    }
    if (options.showSkipped) {
      for (const c of adapter.cases.filter((x) => x.status === "skip")) lines.push(`    ${paint("yellow", "-")} ${c.id}: ${paint("dim", oneLine(c.reason))}`);
    }
    lines.push("");
  }
  const total = report.summary;
  lines.push(`${total.fail > 0 ? paint("red", "FAIL") : paint("green", "PASS")}  ${total.pass} passed, ${total.fail} failed, ${total.skip} skipped across ${report.adapters.length} adapter(s)`);
  return `${lines.join("\n")}\n`;
}
