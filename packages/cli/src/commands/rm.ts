/**
 * `stowage rm ADDR…`: removes objects or key-value entries; `-r` removes every key under a
 * prefix after a confirmation (skipped with `--yes`, required when standard input is not a
 * terminal).
 */
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { StorageError } from "@stowage/core";
import type { CommandContext } from "./command-context.js";
import type { CommandRunner } from "./command-runner.js";
import { UsageError } from "./exit-codes.js";
import { storeAddress } from "./store-address.js";
import type { StoreRef } from "./storage-session.js";

/** The options of `rm`. */
interface RmOptions {
  recursive?: boolean;
  yes?: boolean;
}

/** Registers `rm`. */
export function registerRmCommand(program: Command, runner: CommandRunner): void {
  program
    .command("rm")
    .description("remove objects or key-value entries")
    .argument("<address...>", "<store>:<key>, or with -r <store>:<prefix>")
    .option("-r, --recursive", "remove every key under the prefix")
    .option("-y, --yes", "do not ask for confirmation under -r")
    .addHelpText(
      "after",
      `
Examples:
  stowage rm files:reports/2023.csv
  stowage rm cache:session/42 cache:session/43
  stowage rm -r files:tmp/                 asks before removing every key under tmp/
  stowage rm -r --yes files:tmp/           in scripts

A key that does not exist is NotFound (exit 1).`,
    )
    .action((addresses: string[], options: RmOptions, cmd: Command) =>
      runner.run(cmd, addresses.join(" "), async (ctx) => {
        for (const text of addresses) {
          if (ctx.signal.aborted) break;
          const { ref, key } = await storeAddress(ctx, text);
          try {
            if (options.recursive) await removePrefix(ctx, ref, key, options.yes === true);
            else await removeOne(ctx, ref, key);
          } catch (err) {
            if (err instanceof UsageError) throw err;
            ctx.out.failure(text, err);
          }
        }
      }),
    );
}

async function removeOne(ctx: CommandContext, ref: StoreRef, key: string): Promise<void> {
  if (ref.type === "objects") {
    // deleteObject succeeds on a missing key (S3 semantics); a person asking to remove a key
    // that is not there has likely mistyped it, so say so.
    await ref.store.headObject(key, { signal: ctx.signal });
    await ref.store.deleteObject(key, { signal: ctx.signal });
  } else if (!(await ref.store.delete(key, { signal: ctx.signal }))) {
    throw new StorageError({ code: "NotFound", message: `${ref.name}:${key} does not exist`, operation: "delete", key });
  }
  ctx.out.record({ status: "deleted", store: ref.name, key });
  ctx.out.info(`deleted ${ref.name}:${key}`);
}

async function removePrefix(ctx: CommandContext, ref: StoreRef, prefix: string, yes: boolean): Promise<void> {
  const keys: string[] = [];
  const listing =
    ref.type === "objects" ? ref.store.objects({ ...(prefix === "" ? {} : { prefix }), signal: ctx.signal }) : ref.store.keys({ ...(prefix === "" ? {} : { prefix }), signal: ctx.signal });
  for await (const entry of listing) keys.push(entry.key);
  const where = `${ref.name}:${prefix}`;
  if (keys.length === 0) {
    ctx.out.info(`nothing under ${where}`);
    return;
  }
  if (!yes && !(await confirm(ctx, `remove ${keys.length} ${keys.length === 1 ? "key" : "keys"} under ${where}${prefix === "" ? " (the whole store)" : ""}? [y/N] `))) {
    ctx.out.info("nothing removed");
    return;
  }
  let removed = 0;
  if (ref.type === "kv" && ref.store.limits.deleteMany) {
    for (let i = 0; i < keys.length && !ctx.signal.aborted; i += ref.store.limits.deleteManyMaxKeys) {
      const result = await ref.store.deleteMany(keys.slice(i, i + ref.store.limits.deleteManyMaxKeys), { signal: ctx.signal });
      for (const key of result.succeeded) ctx.out.record({ status: "deleted", store: ref.name, key });
      for (const { key, error } of result.failed) ctx.out.failure(`${ref.name}:${key}`, error);
      removed += result.succeeded.length;
    }
  } else {
    for (const key of keys) {
      if (ctx.signal.aborted) break;
      try {
        if (ref.type === "objects") await ref.store.deleteObject(key, { signal: ctx.signal });
        else await ref.store.delete(key, { signal: ctx.signal });
        ctx.out.record({ status: "deleted", store: ref.name, key });
        removed++;
      } catch (err) {
        if (ctx.signal.aborted) break;
        ctx.out.failure(`${ref.name}:${key}`, err);
      }
    }
  }
  ctx.out.info(`deleted ${removed} of ${keys.length} keys under ${where}`);
}

async function confirm(ctx: CommandContext, question: string): Promise<boolean> {
  if (ctx.io.stdin.isTTY !== true) throw new UsageError("rm -r asks for confirmation: pass --yes when standard input is not a terminal");
  const prompt = createInterface({ input: ctx.io.stdin, output: ctx.io.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(question, { signal: ctx.signal })).trim());
  } finally {
    prompt.close();
  }
}
