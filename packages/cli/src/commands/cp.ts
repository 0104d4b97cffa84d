/**
 * `stowage cp SRC DST`: one file, key or stream, or (`-r`) a directory tree or key prefix,
 * between local files, standard input/output and configured stores. Also the engine of
 * `stowage mv`, which removes each source after its copy succeeded.
 */
import { readFile, rm, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { Option, type Command } from "commander";
import { resumeTokenOf, type ResumeToken } from "@stowage/transfer";
import { describeAddress, type Address } from "./address.js";
import type { CommandContext } from "./command-context.js";
import type { CommandRunner } from "./command-runner.js";
import { UsageError } from "./exit-codes.js";
import { localPathFor, walkFiles } from "./local-files.js";
import { createProgressView, summaryLine } from "./progress.js";
import { transferOne, type TransferOptions } from "./transfer-one.js";
import { parseCount, parseDuration, parseSize } from "./units.js";

/** The options `cp` and `mv` accept, as commander parses them. */
export interface CopyCommandOptions {
  /** `-r`. */
  recursive?: boolean;
  /** `--part-size`, unparsed. */
  partSize?: string;
  /** `--concurrency`, unparsed. */
  concurrency?: string;
  /** `--parallel`, unparsed. */
  parallel?: string;
  /** `--content-type`. */
  contentType?: string;
  /** Every `--metadata name=value`. */
  metadata?: string[];
  /** `--ttl`, unparsed. */
  ttl?: string;
  /** `--keep-partial`. */
  keepPartial?: boolean;
  /** `--resume` alone (true) or with a token. */
  resume?: string | boolean;
}

/** One planned copy. */
interface CopyItem {
  source: Address;
  destination: Address;
}

/** Adds the transfer options shared by `cp` and `mv` to `command`. */
export function addTransferOptions(command: Command): Command {
  return command
    .option("-r, --recursive", "copy a directory tree or every key under a prefix")
    .option("--part-size <size>", "multipart part size, e.g. 8MiB (default: from the store's limits)")
    .option("--concurrency <n>", "parts in flight per transfer (default 4)")
    .option("--parallel <n>", "transfers at once under -r (default 4)")
    .option("--content-type <type>", "content type of the written objects")
    .option("--metadata <name=value>", "user metadata of the written objects (repeatable)", (value: string, all: string[] = []) => [...all, value])
    .option("--ttl <duration>", "expiry of written key-value entries, e.g. 90s, 24h, 7d")
    .option("--keep-partial", "on Ctrl-C or failure keep the multipart upload and print a resume token")
    .addOption(new Option("--resume [token]", "upload: continue from a resume token (JSON or @file); download: continue a partial file"));
}

/** Registers `cp`. */
export function registerCpCommand(program: Command, runner: CommandRunner): void {
  const command = program
    .command("cp")
    .description("copy a file, key or stream between local files, standard input/output and stores")
    .argument("<src>", "local path, - (standard input) or <store>:<key>")
    .argument("<dst>", "local path, - (standard output) or <store>:<key>; a trailing / keeps the source's name");
  addTransferOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  stowage cp ./report.csv files:reports/2024.csv          upload (multipart when large)
  stowage cp files:reports/2024.csv ./copy.csv             download (parallel ranged reads)
  stowage cp files:a.bin files:backup/a.bin                 server-side copy within one store
  stowage cp files:a.bin archive:a.bin                      streamed copy between stores
  stowage cp -r ./site files:site/ --parallel 8             a directory tree
  tar c dir | stowage cp - files:dir.tar                    from standard input
  stowage cp ./token.txt cache:session/42 --ttl 24h         a key-value entry
  stowage cp ./big.iso files:big.iso --keep-partial         on Ctrl-C, keep the upload and print a token
  stowage cp ./big.iso files:big.iso --resume @token.json   continue it`,
    )
    .action((src: string, dst: string, options: CopyCommandOptions, cmd: Command) =>
      runner.run(cmd, `${src} → ${dst}`, (ctx) => runCopy(ctx, src, dst, options, { move: false })),
    );
}

/** Plans and runs the copies of `cp` or `mv`. */
export async function runCopy(ctx: CommandContext, src: string, dst: string, options: CopyCommandOptions, mode: { move: boolean }): Promise<void> {
  const transfer = await transferOptions(options);
  const parallel = options.parallel === undefined ? 4 : parseCount(options.parallel, "--parallel");
  const items = options.recursive ? await planRecursive(ctx, src, dst) : [await planSingle(ctx, src, dst)];
  if (typeof options.resume === "string" && items.length !== 1) throw new UsageError("--resume with a token resumes one upload; drop -r");
  const verb = mode.move ? "moved" : "copied";

  const progress = createProgressView(ctx.io.stderr, { enabled: !ctx.out.quiet && !ctx.out.json, withTotal: options.recursive === true });
  const started = Date.now();
  let bytes = 0;
  let finished = 0;
  let notStarted = 0;
  const interrupted: Array<{ item: CopyItem; token: ResumeToken | undefined }> = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      if (ctx.signal.aborted) {
        notStarted++;
        continue;
      }
      const label = describeAddress(item.source);
      const bar = progress.start(label, item.source.type === "local" ? (await stat(item.source.path).catch(() => undefined))?.size : undefined);
      const t0 = Date.now();
      try {
        const outcome = await transferOne(item.source, item.destination, transfer, ctx.signal, ctx.io, (p) => bar.update(p));
        if (mode.move) await removeSource(item.source, ctx.signal);
        bytes += outcome.size;
        finished++;
        ctx.out.record({
          status: verb,
          source: describeAddress(item.source),
          destination: describeAddress(item.destination),
          size: outcome.size,
          ...(outcome.etag === undefined ? {} : { etag: outcome.etag }),
          method: outcome.method,
          ms: Date.now() - t0,
        });
      } catch (err) {
        if (ctx.signal.aborted) interrupted.push({ item, token: resumeTokenOf(err) });
        else if (err instanceof UsageError) throw err;
        else ctx.out.failure(`${describeAddress(item.source)} → ${describeAddress(item.destination)}`, err);
      } finally {
        bar.done();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  } finally {
    progress.stop();
  }

  const elapsed = Date.now() - started;
  if (!options.recursive && finished === 1) {
    ctx.out.info(`${verb} ${describeAddress(items[0]!.source)} → ${describeAddress(items[0]!.destination)}: ${summaryLine("", bytes, elapsed).trim()}`);
  } else if (options.recursive) {
    const failed = ctx.out.failures > 0 ? `; ${ctx.out.failures} failed` : "";
    ctx.out.info(`${summaryLine(verb, bytes, elapsed, finished)}${failed}`);
  }
  if (ctx.signal.aborted) reportInterruption(ctx, interrupted, { finished, notStarted, total: items.length, keepPartial: transfer.keepPartial === true });
}

/** Says what Ctrl-C left behind: kept uploads with their resume tokens, or that nothing was. */
function reportInterruption(
  ctx: CommandContext,
  interrupted: Array<{ item: CopyItem; token: ResumeToken | undefined }>,
  counts: { finished: number; notStarted: number; total: number; keepPartial: boolean },
): void {
  ctx.out.notice(`interrupted: ${counts.finished} of ${counts.total} finished, ${interrupted.length} cancelled, ${counts.notStarted} not started`);
  for (const { item, token } of interrupted) {
    const where = `${describeAddress(item.source)} → ${describeAddress(item.destination)}`;
    if (token) {
      const done = token.parts.reduce((sum, part) => sum + part.size, 0);
      ctx.out.notice(`kept the multipart upload of ${describeAddress(item.destination)} (${token.parts.length} parts, ${done} bytes); resume with:`);
      ctx.out.notice(`  stowage cp ${shellQuote(describeAddress(item.source))} ${shellQuote(describeAddress(item.destination))} --resume ${shellQuote(JSON.stringify(token))}`);
      ctx.out.record({ status: "interrupted", source: describeAddress(item.source), destination: describeAddress(item.destination), resumeToken: token });
    } else {
      const left = item.destination.type === "store" && item.destination.ref.type === "objects" ? "; its multipart upload, if any, was aborted" : "";
      ctx.out.notice(`cancelled ${where}${left}`);
      ctx.out.record({ status: "interrupted", source: describeAddress(item.source), destination: describeAddress(item.destination) });
    }
  }
}

async function transferOptions(options: CopyCommandOptions): Promise<TransferOptions> {
  const out: TransferOptions = {};
  if (options.partSize !== undefined) out.partSize = parseSize(options.partSize, "--part-size");
  if (options.concurrency !== undefined) out.concurrency = parseCount(options.concurrency, "--concurrency");
  if (options.contentType !== undefined) out.contentType = options.contentType;
  if (options.metadata !== undefined) out.metadata = parseMetadata(options.metadata);
  if (options.ttl !== undefined) out.ttlSeconds = parseDuration(options.ttl, "--ttl");
  if (options.keepPartial) out.keepPartial = true;
  if (options.resume === true) out.resumeDownload = true;
  else if (typeof options.resume === "string") out.resumeToken = await parseResumeToken(options.resume);
  return out;
}

/** Repeated `--metadata name=value` options as a record; a {@link UsageError} for a pair without a name. */
export function parseMetadata(pairs: string[]): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`--metadata must be name=value (got "${pair}")`);
    metadata[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return metadata;
}

async function parseResumeToken(text: string): Promise<ResumeToken> {
  let json = text;
  if (text.startsWith("@")) {
    try {
      json = await readFile(text.slice(1), "utf8");
    } catch {
      throw new UsageError(`--resume: cannot read ${text.slice(1)}`);
    }
  }
  try {
    const token = JSON.parse(json) as ResumeToken;
    if (typeof token !== "object" || token === null || typeof token.uploadId !== "string" || !Array.isArray(token.parts)) throw new Error("shape");
    return token;
  } catch {
    throw new UsageError("--resume: not a resume token (the JSON printed by --keep-partial, or @file holding it)");
  }
}

async function planSingle(ctx: CommandContext, src: string, dst: string): Promise<CopyItem> {
  const source = await ctx.address(src);
  let destination = await ctx.address(dst);
  if (source.type === "local" && (await stat(source.path).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(`${source.path} is a directory; use -r to copy a tree`);
  }
  const name = source.type === "local" ? basename(source.path) : source.type === "store" ? source.key.slice(source.key.lastIndexOf("/") + 1) : "";
  if (destination.type === "store" && (destination.key === "" || destination.key.endsWith("/"))) {
    if (name === "") throw new UsageError(`${dst} names a prefix; give the destination key`);
    destination = { ...destination, key: destination.key + name };
  } else if (destination.type === "local" && (dst.endsWith("/") || (await stat(destination.path).catch(() => undefined))?.isDirectory())) {
    if (name === "") throw new UsageError(`${dst} is a directory; give the destination file name`);
    destination = { type: "local", path: join(destination.path, name) };
  }
  return { source, destination };
}

async function planRecursive(ctx: CommandContext, src: string, dst: string): Promise<CopyItem[]> {
  const source = await ctx.address(src);
  const destination = await ctx.address(dst);
  if (source.type === "stdio" || destination.type === "stdio") throw new UsageError("-r copies trees: - is not allowed");
  if (source.type === "local" && destination.type === "local") throw new UsageError("one side must be <store>:<prefix>; use cp -r for local trees");
  const relatives: Array<{ rel: string; source: Address }> = [];
  if (source.type === "local") {
    if (!(await stat(source.path).catch(() => undefined))?.isDirectory()) throw new UsageError(`${source.path} is not a directory`);
    for (const rel of await walkFiles(source.path)) relatives.push({ rel, source: { type: "local", path: join(source.path, ...rel.split("/")) } });
  } else {
    const prefix = asPrefix(source.key);
    const keys =
      source.ref.type === "objects"
        ? mapIterable(source.ref.store.objects({ prefix, signal: ctx.signal }), (o) => o.key)
        : mapIterable(source.ref.store.keys({ prefix, signal: ctx.signal }), (e) => e.key);
    for await (const key of keys) relatives.push({ rel: key.slice(prefix.length), source: { ...source, key } });
  }
  const items: CopyItem[] = [];
  for (const { rel, source: from } of relatives) {
    if (destination.type === "store") {
      items.push({ source: from, destination: { ...destination, key: asPrefix(destination.key) + rel } });
      continue;
    }
    const path = localPathFor(destination.path, rel);
    if (path === undefined) ctx.out.failure(describeAddress(from), new UsageError("this key cannot be a local file name (empty, . or .. segments); skipped"));
    else items.push({ source: from, destination: { type: "local", path } });
  }
  return items;
}

/** `dir` → `dir/`, so `-r files:dir` does not also take `dir2/…`; the empty prefix stays empty. */
function asPrefix(key: string): string {
  return key === "" || key.endsWith("/") ? key : `${key}/`;
}

async function* mapIterable<T, U>(source: AsyncIterable<T>, map: (value: T) => U): AsyncIterable<U> {
  for await (const value of source) yield map(value);
}

async function removeSource(source: Address, signal: AbortSignal): Promise<void> {
  if (source.type === "local") await rm(source.path);
  if (source.type !== "store") return;
  const ref = source.ref;
  if (ref.type === "objects") await ref.store.deleteObject(source.key, { signal });
  else await ref.store.delete(source.key, { signal });
}

/** Quotes `text` for a POSIX shell, for the resume command line we print. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
