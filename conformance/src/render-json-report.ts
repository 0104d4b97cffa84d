/** The JSON rendering: the report as it is, pretty-printed. Its shape is {@link ConformanceReport}. */
import type { ConformanceReport } from "./report.js";

/** Renders the report as JSON: `{ "adapters": [ { "id", "cases": [ { "id", "status", "reason", … } ] } ], … }`. */
export function renderJsonReport(report: ConformanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
