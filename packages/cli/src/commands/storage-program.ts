/**
 * The storage commands (`cp`, `cat`, `ls`, `stat`, `rm`, `mv`, `presign`, `uploads`,
 * `stores`) as one commander program, and their entry point from the CLI's dispatcher.
 */
import { Command, CommanderError } from "commander";
import { StorageError } from "@stowage/core";
import { registerCatCommand } from "./cat.js";
import type { CommandIo } from "./command-context.js";
import { CommandRunner } from "./command-runner.js";
import { registerCpCommand } from "./cp.js";
import { EXIT_CODES, UsageError } from "./exit-codes.js";
import { registerLsCommand } from "./ls.js";
import { registerMvCommand } from "./mv.js";
import { describeError } from "./output.js";
import { registerPresignCommand } from "./presign.js";
import { registerRmCommand } from "./rm.js";
import { registerStatCommand } from "./stat.js";
import { registerStoresCommand } from "./stores.js";
import { registerUploadsCommand } from "./uploads.js";

/** The storage commands with their one-line summaries, in the order `stowage --help` lists them. */
const SUMMARIES: ReadonlyArray<readonly [name: string, summary: string]> = [
  ["cp", "copy files, keys and streams between local paths and stores (-r for trees)"],
  ["mv", "move a file or key (copy, then remove the source)"],
  ["cat", "write objects or key-value entries to standard output"],
  ["ls", "list keys under a prefix (--long, --recursive, --json)"],
  ["stat", "show an object's or key-value entry's size, ETag, type, metadata or expiry"],
  ["rm", "remove objects or key-value entries (-r asks first unless --yes)"],
  ["presign", "print a URL that lets anyone holding it GET, PUT, HEAD or DELETE one object until it expires"],
  ["uploads", "list or abort incomplete multipart uploads (ls, abort --older-than)"],
  ["stores", "list the configured stores, their providers and capabilities"],
];

/**
 * The storage commands as entries of the CLI dispatcher's command table (the shape of
 * `CliCommand` in run-command.ts): `run` gets the arguments after the command word.
 */
export const STORAGE_CLI_COMMANDS = SUMMARIES.map(([name, summary]) => ({
  name,
  summary,
  /** The command's `--help`, rendered by commander on demand. */
  get help(): string {
    return storageCommandHelp(name);
  },
  run: (argv: string[]) => runStorageCommand([name, ...argv]),
}));

/** What `stowage <name> --help` prints, as a string. */
export function storageCommandHelp(name: string): string {
  let text = "";
  // Commander writes help through configureOutput, i.e. through this sink's write().
  const sink = {
    write(chunk: string | Uint8Array) {
      text += chunk.toString();
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const io: CommandIo = { stdin: process.stdin, stdout: sink, stderr: sink, env: {}, interrupt: new AbortController().signal };
  const program = storageProgram(io, new CommandRunner(io));
  program.commands.find((c) => c.name() === name)?.outputHelp();
  return text;
}

/** Help text shared by every storage command: addressing, configuration and exit codes. */
export const STORAGE_HELP = `
Addresses:
  <store>:<key>   a key (or with -r / ls a prefix) in a store of the storage configuration
  -               standard input (as a source) or standard output (as a destination)
  anything else   a local path (write ./a:b for a local name containing a colon)

Configuration (the same sources as createStorageContainer):
  --config FILE, else STOWAGE_CONFIG_FILE, plus STOWAGE_* variables
  (e.g. STOWAGE_STORES__files__PROVIDER=memory)

Output:
  Progress bars on stderr when it is a terminal; otherwise one summary line (--quiet: none).
  --json writes JSON Lines to stdout: one object per listed key or finished transfer.

Exit codes:
  0 success, 1 some operations failed, 2 usage or configuration error, 130 interrupted (Ctrl-C)
`;

/**
 * Runs a storage command and resolves its exit code (see {@link EXIT_CODES}). Without `io`,
 * it runs on the process: standard streams, `process.env`, and Ctrl-C cancelling transfers in
 * flight (a second Ctrl-C exits at once).
 */
export async function runStorageCommand(argv: string[], io?: CommandIo): Promise<number> {
  if (io) return runProgram(argv, io);
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT_CODES.interrupted);
    controller.abort(new StorageError({ code: "Aborted", message: "interrupted by Ctrl-C" }));
  };
  process.on("SIGINT", onSigint);
  try {
    return await runProgram(argv, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, interrupt: controller.signal });
  } finally {
    process.off("SIGINT", onSigint);
  }
}

/** The commander program over `io`; `runner` receives each action. Exported for help tests. */
export function storageProgram(io: CommandIo, runner: CommandRunner): Command {
  const program = new Command("stowage")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError("(add --help for usage)")
    .option("--config <file>", "storage configuration file (default: STOWAGE_CONFIG_FILE, STOWAGE_* variables)")
    .option("--json", "JSON Lines on stdout, for scripts")
    .option("-q, --quiet", "no progress or summaries (errors are still printed)")
    .addHelpText("after", STORAGE_HELP);
  registerCpCommand(program, runner);
  registerMvCommand(program, runner);
  registerCatCommand(program, runner);
  registerLsCommand(program, runner);
  registerStatCommand(program, runner);
  registerRmCommand(program, runner);
  registerPresignCommand(program, runner);
  registerUploadsCommand(program, runner);
  registerStoresCommand(program, runner);
  const addSharedHelp = (command: Command): void => {
    command.addHelpText("after", STORAGE_HELP);
    command.commands.forEach(addSharedHelp);
  };
  program.commands.forEach(addSharedHelp);
  return program;
}

async function runProgram(argv: string[], io: CommandIo): Promise<number> {
  const runner = new CommandRunner(io);
  try {
    await storageProgram(io, runner).parseAsync(argv, { from: "user" });
    return runner.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" under exitOverride; commander printed them already.
      return err.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`stowage: ${describeError(err).message}\n`);
      return EXIT_CODES.usage;
    }
    // Not expected: the runner prints operation failures itself. Still no stack trace.
    const { code, message } = describeError(err);
    io.stderr.write(`stowage: ${code ? `${code}: ` : ""}${message}\n`);
    return EXIT_CODES.failed;
  }
}
