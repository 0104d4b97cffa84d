/** `stowage mv SRC DST`: `cp`, then removing each source whose copy succeeded. */
import type { Command } from "commander";
import type { CommandRunner } from "./command-runner.js";
import { addTransferOptions, runCopy, type CopyCommandOptions } from "./cp.js";

/** Registers `mv`. */
export function registerMvCommand(program: Command, runner: CommandRunner): void {
  const command = program
    .command("mv")
    .description("move a file or key: copy it, then remove the source once the copy succeeded")
    .argument("<src>", "local path or <store>:<key>")
    .argument("<dst>", "local path or <store>:<key>; a trailing / keeps the source's name");
  addTransferOptions(command)
    .addHelpText(
      "after",
      `
Examples:
  stowage mv files:inbox/a.csv files:done/a.csv     server-side copy, then delete
  stowage mv ./upload.bin files:incoming/           upload, then remove the local file
  stowage mv -r files:tmp/ archive:2024/            every key under a prefix, store to store

A source is removed only after its copy succeeded; a failed or interrupted copy leaves it.`,
    )
    .action((src: string, dst: string, options: CopyCommandOptions, cmd: Command) =>
      runner.run(cmd, `${src} → ${dst}`, (ctx) => runCopy(ctx, src, dst, options, { move: true })),
    );
}
