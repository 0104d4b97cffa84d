/** The JUnit XML rendering: one `<testsuite>` per adapter, one `<testcase>` per case, for CI dashboards. */
import type { ConformanceReport } from "./report.js";
import { escapeXml } from "./xml-text.js";

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/**
 * Renders the report as JUnit XML. A failed case carries `<failure message="reason">`, a
 * skipped one `<skipped message="reason">`; every attribute and text is escaped.
 */
export function renderJunitReport(report: ConformanceReport): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = report.summary;
  const totalTime = report.adapters.flatMap((a) => a.cases).reduce((t, c) => t + c.durationMs, 0);
  out.push(`<testsuites name="stowage conformance" tests="${total.pass + total.fail + total.skip}" failures="${total.fail}" skipped="${total.skip}" errors="0" time="${seconds(totalTime)}">`);
  for (const adapter of report.adapters) {
    const s = adapter.summary;
    const time = adapter.cases.reduce((t, c) => t + c.durationMs, 0);
    out.push(`  <testsuite name="${escapeXml(adapter.id)}" tests="${adapter.cases.length}" failures="${s.fail}" skipped="${s.skip}" errors="0" time="${seconds(time)}" timestamp="${escapeXml(report.startedAt)}">`);
    for (const c of adapter.cases) {
      const open = `    <testcase classname="${escapeXml(`${adapter.id}.${c.area}`)}" name="${escapeXml(`${c.id}: ${c.rule}`)}" time="${seconds(c.durationMs)}"`;
      if (c.status === "pass") {
        out.push(`${open}/>`);
      } else {
        const reason = escapeXml(c.reason ?? "");
        out.push(`${open}>`);
        out.push(c.status === "fail" ? `      <failure message="${reason}" type="ConformanceFailure">${reason}</failure>` : `      <skipped message="${reason}"/>`);
        out.push("    </testcase>");
      }
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
}
