/**
 * The HTML rendering: one self-contained file (inline CSS and JS, no network): a summary of
 * failures per adapter linking to their cases, the run details, then a matrix of cases ×
 * adapters, failing rows first, colour-coded, filterable by area, status and id, each failed
 * or skipped cell showing its reason.
 */
import type { CaseReport, ConformanceReport } from "./report.js";
import { escapeXml as escape } from "./xml-text.js";

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1d2330}
h1{font-size:1.3rem;margin:0 0 .3rem}
.meta{color:#5b6475;margin-bottom:1rem}
.filters{display:flex;gap:1rem;flex-wrap:wrap;align-items:center;margin:1rem 0;position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #dde2ea}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #dde2ea;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f3f5f9;position:sticky;top:3.2rem}
td.case code{font-size:12px}
td.case .rule{color:#5b6475;font-size:12px}
td.pass{background:#e3f6e8;color:#17622f}
td.fail{background:#fde2e1;color:#8e1b16;font-weight:600}
td.skip{background:#fdf4d8;color:#7a5b00}
td.none{background:#f6f7f9;color:#9aa2b1}
.reason{font-weight:400;font-size:12px;margin-top:.2rem;white-space:pre-wrap;word-break:break-word}
.counts span{margin-right:.6rem}
h2{font-size:1.1rem;margin:1.2rem 0 .4rem}
.ok{color:#17622f}
.bad{color:#8e1b16}
ul.failures{font-size:12px;margin:.2rem 0 .6rem}
li.note{color:#7a5b00}
pre{font-size:12px;background:#f6f7f9;padding:.5rem;overflow:auto}
`;

const SCRIPT = `
(function(){
  var area=document.getElementById('area'), text=document.getElementById('text');
  var boxes=[].slice.call(document.querySelectorAll('input[name=status]'));
  function apply(){
    var wanted=boxes.filter(function(b){return b.checked}).map(function(b){return b.value});
    var needle=text.value.trim().toLowerCase(), shown=0;
    [].forEach.call(document.querySelectorAll('tbody tr'),function(row){
      var statuses=row.getAttribute('data-statuses').split(' ');
      var ok=(area.value===''||row.getAttribute('data-area')===area.value)
        &&statuses.some(function(s){return wanted.indexOf(s)>=0})
        &&(needle===''||row.getAttribute('data-id').toLowerCase().indexOf(needle)>=0);
      row.hidden=!ok; if(ok)shown++;
    });
    document.getElementById('shown').textContent=shown;
  }
  area.addEventListener('change',apply); text.addEventListener('input',apply);
  boxes.forEach(function(b){b.addEventListener('change',apply)});
  apply();
})();
`;

function cell(result: CaseReport | undefined): string {
  if (!result) return '<td class="none">—</td>';
  const reason = result.reason ? `<div class="reason">${escape(result.reason)}</div>` : "";
  return `<td class="${result.status}" title="${escape(result.reason ?? result.status)}">${result.status}${reason}</td>`;
}

/** The anchor of a case's row, so the summary can link to it. */
function anchor(id: string): string {
  return `case-${id.replace(/[^A-Za-z0-9._-]/g, "_")}`;
}

/** Failures per adapter, each linking to its row; what a reader looks at first. */
function summarySection(report: ConformanceReport): string {
  const items = report.adapters.map((a) => {
    const failures = a.cases.filter((c) => c.status === "fail");
    const counts = `${a.summary.pass} passed, ${a.summary.fail} failed, ${a.summary.skip} skipped`;
    if (failures.length === 0) return `<li class="ok"><b>${escape(a.id)}</b>: ${counts}</li>`;
    const links = failures.map((c) => `<li><a href="#${anchor(c.id)}"><code>${escape(c.id)}</code></a> — ${escape(c.reason ?? "")}</li>`).join("");
    return `<li class="bad"><b>${escape(a.id)}</b>: ${counts}<ul class="failures">${links}</ul></li>`;
  });
  const verdict = report.summary.fail === 0 ? '<span class="ok">PASS</span>' : `<span class="bad">FAIL: ${report.summary.fail} failing case(s)</span>`;
  return `<section id="summary"><h2>Summary — ${verdict}</h2><ul class="adapters">${items.join("")}</ul></section>`;
}

/** How the run was made and what each target was, so a result can be weighed and reproduced. */
function detailsSection(report: ConformanceReport): string {
  const run = report.run;
  const facts = [
    `started ${escape(report.startedAt)}, finished ${escape(report.finishedAt)}`,
    ...(run ? [`concurrency ${run.concurrency} case(s) in flight per adapter`, `@stowage/conformance ${escape(run.stowageVersion)}`, `Node.js ${escape(run.nodeVersion)}`] : []),
  ];
  const targets = report.adapters.map((a) => {
    const d = a.details;
    if (!d) return `<li><b>${escape(a.id)}</b></li>`;
    const parts = [
      d.provider !== undefined ? `provider <code>${escape(d.provider)}</code>` : "",
      d.endpoint !== undefined ? `endpoint <code>${escape(d.endpoint)}</code>` : "",
    ].filter(Boolean);
    const notes = (d.notes ?? []).map((n) => `<li class="note">${escape(n)}</li>`).join("");
    const limits = d.limits ? `<details><summary>limits it ran with</summary><pre>${escape(JSON.stringify(d.limits, null, 2))}</pre></details>` : "";
    return `<li><b>${escape(a.id)}</b>${parts.length ? `: ${parts.join(", ")}` : ""}${notes ? `<ul>${notes}</ul>` : ""}${limits}</li>`;
  });
  return `<section id="run"><h2>Run details</h2><ul>${facts.map((f) => `<li>${f}</li>`).join("")}</ul><ul class="targets">${targets.join("")}</ul></section>`;
}

/**
 * Renders the report as one self-contained HTML page: the summary (failures per adapter,
 * linked to their rows), the run details (targets, endpoints, limits, versions), then the
 * matrix with failing rows first.
 */
export function renderHtmlReport(report: ConformanceReport): string {
  const adapters = report.adapters;
  const rows = new Map<string, { area: string; rule: string; source: string; byAdapter: Map<string, CaseReport> }>();
  for (const adapter of adapters) {
    for (const c of adapter.cases) {
      const row = rows.get(c.id) ?? { area: c.area, rule: c.rule, source: c.source, byAdapter: new Map<string, CaseReport>() };
      row.byAdapter.set(adapter.id, c);
      rows.set(c.id, row);
    }
  }
  const areas = [...new Set([...rows.values()].map((r) => r.area))];
  const head = adapters
    .map((a) => `<th>${escape(a.id)}<div class="counts"><span>✓ ${a.summary.pass}</span><span>✗ ${a.summary.fail}</span><span>– ${a.summary.skip}</span></div></th>`)
    .join("");
  const failing = (row: { byAdapter: Map<string, CaseReport> }) => [...row.byAdapter.values()].some((c) => c.status === "fail");
  // A stable sort: failing rows first, each group in catalogue order.
  const ordered = [...rows.entries()].sort(([, a], [, b]) => Number(failing(b)) - Number(failing(a)));
  const body = ordered
    .map(([id, row]) => {
      const statuses = [...new Set(adapters.map((a) => row.byAdapter.get(a.id)?.status ?? "none"))].join(" ");
      return `<tr id="${anchor(id)}" data-id="${escape(id)}" data-area="${escape(row.area)}" data-statuses="${statuses}"><td class="case"><code>${escape(id)}</code><div class="rule">${escape(row.rule)}</div><div class="rule">Source: ${escape(row.source)}</div></td>${adapters.map((a) => cell(row.byAdapter.get(a.id))).join("")}</tr>`;
    })
    .join("\n");
  const total = report.summary;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stowage conformance report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Stowage conformance report</h1>
<div class="meta">${escape(report.startedAt)} — ${adapters.length} adapter(s), ${rows.size} cases: ${total.pass} passed, ${total.fail} failed, ${total.skip} skipped</div>
${summarySection(report)}
${detailsSection(report)}
<h2>Cases</h2>
<div class="filters">
<label>Area <select id="area"><option value="">all areas</option>${areas.map((a) => `<option value="${escape(a)}">${escape(a)}</option>`).join("")}</select></label>
<span>Status
<label><input type="checkbox" name="status" value="fail" checked> fail</label>
<label><input type="checkbox" name="status" value="skip" checked> skip</label>
<label><input type="checkbox" name="status" value="pass" checked> pass</label>
</span>
<label>Case id <input id="text" type="search" placeholder="e.g. objects.range"></label>
<span><span id="shown">${rows.size}</span> shown</span>
</div>
<table>
<thead><tr><th>Case</th>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
