import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { StorageError } from "@stowage/core";
import {
  hasFailures,
  renderHtmlReport,
  renderJsonReport,
  renderJunitReport,
  renderTerminalReport,
  runConformance,
  type ConformanceReport,
  type ConformanceTarget,
} from "@stowage/conformance";
import { BUILTIN_TARGETS, builtinTarget } from "./builtin-targets/index.js";
import { configTargets } from "./config-targets.js";

const RENDERERS = {
  json: renderJsonReport,
  junit: renderJunitReport,
  html: renderHtmlReport,
} satisfies Record<string, (report: ConformanceReport) => string>;

type ReportFormat = keyof typeof RENDERERS;

function usage(message: string): StorageError {
  return new StorageError({ code: "InvalidArgument", message: `${message}; see stowage --help` });
}

/** Parses `--report <format>=<path>`. */
function parseReport(value: string): { format: ReportFormat; path: string } {
  const eq = value.indexOf("=");
  const format = value.slice(0, eq);
  const path = value.slice(eq + 1);
  if (eq < 1 || path === "" || !(format in RENDERERS)) {
    throw usage(`--report takes json=<path>, junit=<path> or html=<path>, got "${value}"`);
  }
  return { format: format as ReportFormat, path };
}

/**
 * `stowage conformance --adapter <id>|all [--config <file>] [--report <format>=<path>]…`.
 * Resolves 0 when no applicable case failed, 1 otherwise.
 */
export async function runConformanceCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      adapter: { type: "string", multiple: true },
      config: { type: "string" },
      report: { type: "string", multiple: true },
      concurrency: { type: "string" },
      quiet: { type: "boolean" },
    },
  });
  const reports = (values.report ?? []).map(parseReport);
  const adapterIds = values.adapter ?? [];
  if (adapterIds.length === 0 && values.config === undefined) {
    throw usage(`conformance needs --adapter <${[...BUILTIN_TARGETS.keys(), "all"].join("|")}> or --config <file>`);
  }
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw usage("--concurrency must be a positive integer");

  const targets: ConformanceTarget[] = [];
  for (const id of adapterIds) {
    if (id === "all") targets.push(...[...BUILTIN_TARGETS.keys()].map(builtinTarget));
    else targets.push(builtinTarget(id));
  }
  if (values.config !== undefined) targets.push(...(await configTargets(values.config)));

  let done = 0;
  const report = await runConformance(targets, {
    concurrency,
    onCase: values.quiet
      ? undefined
      : (adapterId, result) => {
          done++;
          if (result.status === "fail") process.stderr.write(`  FAIL ${adapterId} ${result.id}: ${result.reason ?? ""}\n`);
          else if (done % 50 === 0) process.stderr.write(`  … ${done} cases run\n`);
        },
  });

  process.stdout.write(renderTerminalReport(report));
  for (const { format, path } of reports) {
    const target = resolve(path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, RENDERERS[format](report));
    process.stdout.write(`wrote ${format} report: ${target}\n`);
  }
  return hasFailures(report) ? 1 : 0;
}
