/**
 * `stowage ls STORE:PREFIX`: keys under a prefix. Without `--recursive`, keys are grouped at
 * the next `/` into `PRE dir/` lines (object stores through the listing's delimiter; key-value
 * namespaces, which have no delimiter, by grouping the keys as they are listed).
 */
import type { Command } from "commander";
import type { CommandContext } from "./command-context.js";
import type { CommandRunner } from "./command-runner.js";
import { storeAddress } from "./store-address.js";
import type { StoreRef } from "./storage-session.js";
import { formatBytes } from "./units.js";

/** The options of `ls`. */
interface LsOptions {
  recursive?: boolean;
  long?: boolean;
}

/** Registers `ls`. */
export function registerLsCommand(program: Command, runner: CommandRunner): void {
  program
    .command("ls")
    .description("list keys under a prefix (objects or key-value entries)")
    .argument("<address>", "<store>:<prefix>, or a store name for everything")
    .option("-r, --recursive", "every key under the prefix, not grouped at /")
    .option("-l, --long", "with size, ETag and last-modified date (objects) or update and expiry dates (key-value)")
    .addHelpText(
      "after",
      `
Examples:
  stowage ls files:                     the top level of a store
  stowage ls -l files:reports/          with size, ETag and date
  stowage ls -r cache:session/          every key-value entry under a prefix
  stowage ls -r --json files: | jq -r .key

With --json every key is one JSON object per line ({"store","key","size","etag","lastModified"}
for objects, {"store","key","updatedAt","expiresAt"} for key-value entries, {"store","prefix"} for
a grouped prefix).`,
    )
    .action((address: string, options: LsOptions, cmd: Command) =>
      runner.run(cmd, address, async (ctx) => {
        const { ref, key } = await storeAddress(ctx, address);
        if (ref.type === "objects") await listObjects(ctx, ref, key, options);
        else await listKeys(ctx, ref, key, options);
      }),
    );
}

async function listObjects(ctx: CommandContext, ref: Extract<StoreRef, { type: "objects" }>, prefix: string, options: LsOptions): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await ref.store.listObjects({
      ...(prefix === "" ? {} : { prefix }),
      ...(options.recursive ? {} : { delimiter: "/" }),
      ...(cursor === undefined ? {} : { cursor }),
      signal: ctx.signal,
    });
    // A page holds objects and prefixes separately; each is already sorted by the store.
    for (const dir of page.commonPrefixes) {
      ctx.out.line(options.long ? `${"".padStart(10)}  ${"".padEnd(34)}  ${"".padEnd(20)}  PRE ${dir}` : `PRE ${dir}`);
      ctx.out.record({ store: ref.name, prefix: dir });
    }
    for (const object of page.objects) {
      const date = object.lastModified.toISOString().replace(/\.\d{3}Z$/, "Z");
      ctx.out.line(options.long ? `${formatBytes(object.size).padStart(10)}  ${object.etag.padEnd(34)}  ${date.padEnd(20)}  ${object.key}` : object.key);
      ctx.out.record({ store: ref.name, key: object.key, size: object.size, etag: object.etag, lastModified: object.lastModified.toISOString() });
    }
    cursor = page.cursor;
  } while (cursor !== undefined && !ctx.signal.aborted);
}

async function listKeys(ctx: CommandContext, ref: Extract<StoreRef, { type: "kv" }>, prefix: string, options: LsOptions): Promise<void> {
  let lastGroup: string | undefined;
  for await (const entry of ref.store.keys({ ...(prefix === "" ? {} : { prefix }), signal: ctx.signal })) {
    const slash = options.recursive ? -1 : entry.key.indexOf("/", prefix.length);
    if (slash >= 0) {
      // Keys arrive in ascending order, so a group's keys are adjacent.
      const group = entry.key.slice(0, slash + 1);
      if (group !== lastGroup) {
        lastGroup = group;
        ctx.out.line(`PRE ${group}`);
        ctx.out.record({ store: ref.name, prefix: group });
      }
      continue;
    }
    const updated = entry.updatedAt?.toISOString() ?? "-";
    const expires = entry.expiresAt?.toISOString() ?? "-";
    ctx.out.line(options.long ? `${updated.padEnd(24)}  expires ${expires.padEnd(24)}  ${entry.key}` : entry.key);
    ctx.out.record({
      store: ref.name,
      key: entry.key,
      ...(entry.updatedAt ? { updatedAt: entry.updatedAt.toISOString() } : {}),
      ...(entry.expiresAt ? { expiresAt: entry.expiresAt.toISOString() } : {}),
    });
  }
}
