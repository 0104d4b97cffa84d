import { writeFileSync } from "node:fs";
import { memoryKeyValueSubject, memoryObjectSubject, runConformance, renderTerminalReport, renderJsonReport, renderHtmlReport, renderJunitReport } from "@stowage/conformance";
const report = await runConformance([{ id: "memory", kv: memoryKeyValueSubject(), objects: memoryObjectSubject() }]);
process.stdout.write(renderTerminalReport(report));
writeFileSync("/tmp/h4/out.json", renderJsonReport(report));
writeFileSync("/tmp/h4/out.html", renderHtmlReport(report));
writeFileSync("/tmp/h4/out.xml", renderJunitReport(report));
console.log("distinct ids", new Set(report.adapters[0].cases.map(c => c.id)).size);
