import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
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
import { parseFlags, usageError, wantsHelp } from "./command-args.js";
import { configTargets } from "./config-targets.js";
import { conformanceProgress } from "./conformance-progress.js";

const RENDERERS = {
  json: renderJsonReport,
  junit: renderJunitReport,
  html: renderHtmlReport,
} satisfies Record<string, (report: ConformanceReport) => string>;

type ReportFormat = keyof typeof RENDERERS;

const FLAGS = {
  adapter: { type: "string", multiple: true },
  config: { type: "string" },
  module: { type: "string", multiple: true },
  report: { type: "string", multiple: true },
  concurrency: { type: "string" },
  quiet: { type: "boolean" },
} as const;

const USAGE = "usage: stowage conformance (--adapter <id>|all)… [--config <file>] [--module <package or path>]… [--report json|junit|html=<path>]… [--concurrency N] [--quiet]";

/** `stowage conformance --help`. */
export const CONFORMANCE_HELP = `${USAGE}

Runs the shared conformance suite and prints a table per adapter (pass / fail / skip per area,
with every failure's case id and reason). Exit code 0 only when no applicable case fails.

  --adapter <id>|all     a built-in adapter: ${[...BUILTIN_TARGETS.keys()].join(", ")}, or all (repeatable);
                         emulated providers are started in-process on ephemeral ports
  --config <file>        every store of a storage configuration file is an adapter. Each case runs
                         in a key-prefix view of its own inside the configured namespace or bucket
                         (stowage-conformance-<run>-<case>-), sees only its own keys and deletes
                         only what it wrote: data already in the store is left alone. The file may
                         list "modules": ["<package or path>", …] (paths relative to the file)
  --module <pkg|path>    load a third-party adapter: an ES module exporting providerModule(provider)
                         or a StorageProvider, then name its provider id in --config (repeatable)
  --report <fmt>=<path>  also write a report: json, junit or html (repeatable)
  --concurrency N        cases in flight per adapter (default 4)
  --quiet                no progress output

Progress: on a terminal, one live line (done/total and ETA); otherwise a line per failure and
every 50 cases.

Examples:
  stowage conformance --adapter all --report html=conformance-report.html
  stowage conformance --config scratch-stores.json --report junit=conformance.xml
  stowage conformance --module ./acme-adapter/index.js --config acme.json
`;

/** Parses `--report <format>=<path>`; the value is not echoed (it is the user's own path, but errors stay uniform). */
function parseReport(value: string): { format: ReportFormat; path: string } {
  const eq = value.indexOf("=");
  const format = value.slice(0, eq);
  const path = value.slice(eq + 1);
  if (eq < 1 || path === "" || !(format in RENDERERS)) throw usageError("--report takes json=<path>, junit=<path> or html=<path>", USAGE);
  return { format: format as ReportFormat, path };
}

/**
 * `stowage conformance …` (see {@link CONFORMANCE_HELP}). Resolves 0 when no applicable case
 * failed, 1 otherwise; `--help` prints the usage and resolves 0.
 */
export async function runConformanceCommand(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(CONFORMANCE_HELP);
    return 0;
  }
  const values = parseFlags(argv, FLAGS, USAGE);
  const reports = (values.report ?? []).map(parseReport);
  const adapterIds = values.adapter ?? [];
  if (adapterIds.length === 0 && values.config === undefined) {
    throw usageError(`conformance needs --adapter <${[...BUILTIN_TARGETS.keys(), "all"].join("|")}> or --config <file>`, USAGE);
  }
  if (values.module !== undefined && values.config === undefined) throw usageError("--module needs --config naming its provider", USAGE);
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw usageError("--concurrency must be a positive integer", USAGE);

  const targets: ConformanceTarget[] = [];
  for (const id of adapterIds) {
    if (id === "all") targets.push(...[...BUILTIN_TARGETS.keys()].map(builtinTarget));
    else targets.push(builtinTarget(id));
  }
  if (values.config !== undefined) {
    const modules = (values.module ?? []).map((specifier, i) => ({ specifier, baseDir: process.cwd(), label: `--module #${i + 1}` }));
    targets.push(...(await configTargets(values.config, { modules })));
  }

  const progress = values.quiet ? undefined : conformanceProgress(process.stderr);
  const report = await runConformance(targets, { concurrency, ...(progress && { onTarget: progress.onTarget, onCase: progress.onCase }) });
  progress?.end();

  process.stdout.write(renderTerminalReport(report));
  for (const { format, path } of reports) {
    const target = resolve(path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, RENDERERS[format](report));
    process.stdout.write(`wrote ${format} report: ${target}\n`);
  }
  return hasFailures(report) ? 1 : 0;
}
