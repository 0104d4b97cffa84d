import { describe, expect, it } from "vitest";
import { countStatuses, type CaseReport, type ConformanceReport } from "./report.js";
import { renderHtmlReport } from "./render-html-report.js";
import { renderJsonReport } from "./render-json-report.js";
import { renderJunitReport } from "./render-junit-report.js";
import { renderTerminalReport } from "./render-terminal-report.js";

function kase(id: string, area: string, status: CaseReport["status"], reason: string | null = null): CaseReport {
  return { id, contract: "objects", area, rule: `rule of ${id}`, source: "RFC 9110 §14", status, reason, durationMs: 1.5 };
}

const hostile = 'got <script>alert("x")</script> & \u0007bell';
const memory = [kase("objects.range.suffix", "objects.range", "pass"), kase("objects.range.start-at-size", "objects.range", "fail", hostile), kase("multipart.copy.unsupported", "multipart.copy", "skip", "the manifest claims uploadPartCopy")];
const other = [kase("objects.range.suffix", "objects.range", "pass"), kase("objects.range.start-at-size", "objects.range", "pass")];
const report: ConformanceReport = {
  tool: "@stowage/conformance",
  startedAt: "2026-01-01T00:00:00.000Z",
  finishedAt: "2026-01-01T00:00:01.000Z",
  adapters: [
    { id: "memory", cases: memory, summary: countStatuses(memory) },
    {
      id: "ks3",
      details: { provider: "ks3", endpoint: "http://127.0.0.1:9000", notes: ["size limits lowered on the emulator and the adapter"], limits: { putObjectMaxBytes: 262144 } },
      cases: other,
      summary: countStatuses(other),
    },
  ],
  run: { concurrency: 4, stowageVersion: "0.1.0", nodeVersion: "v20.20.0" },
  summary: countStatuses([...memory, ...other]),
};

describe("renderers", () => {
  it("renderTerminalReport() groups counts by area and lists each failure's id and reason", () => {
    const text = renderTerminalReport(report);
    expect(text).toContain("memory  1 passed, 1 failed, 1 skipped");
    expect(text).toMatch(/objects\.range\s+1\s+1\s+0/);
    expect(text).toMatch(/multipart\.copy\s+0\s+0\s+1/);
    expect(text).toContain(`✗ objects.range.start-at-size: ${hostile}`);
    expect(text.trimEnd().split("\n").at(-1)).toBe("FAIL  3 passed, 1 failed, 1 skipped across 2 adapter(s)");
  });

  it("renderJsonReport() round-trips to the report with id, status and reason per case", () => {
    const parsed = JSON.parse(renderJsonReport(report)) as ConformanceReport;
    expect(parsed).toEqual(report);
    expect(parsed.adapters[0]!.cases[2]).toMatchObject({ id: "multipart.copy.unsupported", status: "skip", reason: "the manifest claims uploadPartCopy" });
  });

  it("renderJunitReport() escapes reasons and drops characters XML cannot carry", () => {
    const xml = renderJunitReport(report);
    expect(xml).toContain('<testsuite name="memory" tests="3" failures="1" skipped="1"');
    expect(xml).toContain("got &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; \ufffdbell");
    expect(xml).not.toContain("<script>");
    expect(xml).not.toContain("\u0007");
    expect(xml).toContain('<skipped message="the manifest claims uploadPartCopy"/>');
    expect(xml.match(/<testcase /g)).toHaveLength(5);
  });

  it("renderHtmlReport() renders one row per case and one column per adapter, escaped, with no external resource", () => {
    const html = renderHtmlReport(report);
    expect(html.match(/<tr id="case-[^"]+" data-id=/g)).toHaveLength(3);
    expect(html).toContain("<th>memory<div");
    expect(html).toContain("<th>ks3<div");
    expect(html).toContain('id="case-objects.range.start-at-size" data-id="objects.range.start-at-size" data-area="objects.range" data-statuses="fail pass"');
    expect(html).toContain('<td class="none">—</td>');
    expect(html).toContain("got &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).not.toMatch(/<(?:script|link|img)[^>]+(?:src|href)=/);
    expect(html).toContain('<option value="multipart.copy">multipart.copy</option>');
  });

  it("renderHtmlReport() starts with a summary linking each failure to its row, and lists failing rows first", () => {
    const html = renderHtmlReport(report);
    const summary = html.indexOf('id="summary"');
    expect(summary).toBeGreaterThan(0);
    expect(summary).toBeLessThan(html.indexOf("<table"));
    expect(html).toContain('<a href="#case-objects.range.start-at-size"><code>objects.range.start-at-size</code></a>');
    expect(html).toContain("FAIL: 1 failing case(s)");
    const rows = [...html.matchAll(/<tr id="case-([^"]+)"/g)].map((m) => m[1]);
    expect(rows).toEqual(["objects.range.start-at-size", "objects.range.suffix", "multipart.copy.unsupported"]);
  });

  it("renderHtmlReport() shows the run details: concurrency, versions, each target's endpoint, notes and limits", () => {
    const html = renderHtmlReport(report);
    for (const text of ["concurrency 4", "@stowage/conformance 0.1.0", "Node.js v20.20.0", "http://127.0.0.1:9000", "size limits lowered on the emulator and the adapter", "&quot;putObjectMaxBytes&quot;: 262144"]) {
      expect(html).toContain(text);
    }
  });
});
