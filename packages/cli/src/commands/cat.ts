/** `stowage cat ADDR…`: writes objects or key-value entries to standard output, in order. */
import { Readable } from "node:stream";
import type { Command } from "commander";
import { download } from "@stowage/transfer";
import type { CommandRunner } from "./command-runner.js";
import { UsageError } from "./exit-codes.js";
import { storeAddress } from "./store-address.js";
import { getValue, pipeTo } from "./transfer-one.js";

/** Registers `cat`. */
export function registerCatCommand(program: Command, runner: CommandRunner): void {
  program
    .command("cat")
    .description("write objects or key-value entries to standard output")
    .argument("<address...>", "<store>:<key>, one or more")
    .addHelpText(
      "after",
      `
Examples:
  stowage cat files:reports/2024.csv
  stowage cat cache:session/42 | jq .
  stowage cat files:a.txt files:b.txt > both.txt

A missing key is reported as NotFound on stderr (exit 1); the other keys are still written.`,
    )
    .action((addresses: string[], _options: unknown, cmd: Command) =>
      runner.run(cmd, addresses.join(" "), async (ctx) => {
        for (const text of addresses) {
          if (ctx.signal.aborted) break;
          try {
            const { ref, key } = await storeAddress(ctx, text);
            const body =
              ref.type === "objects"
                ? (await download(ref.store, key, { signal: ctx.signal })).body
                : Readable.from([await getValue(ref.store, key, ref.name, ctx.signal)]);
            await pipeTo(body, ctx.io.stdout, ctx.signal);
          } catch (err) {
            if (err instanceof UsageError) throw err;
            // The reader went away (`stowage cat … | head`): stop quietly, as cat(1) does.
            if ((err as { code?: unknown }).code === "EPIPE") return;
            ctx.out.failure(text, err);
          }
        }
      }),
    );
}
