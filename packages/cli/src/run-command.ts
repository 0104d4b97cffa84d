import { readFileSync } from "node:fs";
import { StorageError } from "@stowage/core";
import { CONFORMANCE_HELP, runConformanceCommand } from "./conformance-command.js";
import { EMULATOR_HELP, runEmulatorCommand } from "./emulator-command.js";
import { STORAGE_CLI_COMMANDS } from "./commands/storage-program.js";

/** One `stowage <name>` command: its one-line summary, its `--help` text, and how it runs. */
export interface CliCommand {
  /** The command word, e.g. `conformance`. */
  name: string;
  /** One line for `stowage --help`. */
  summary: string;
  /** What `stowage help <name>` prints (the command's own `--help` may print more, e.g. per subcommand). */
  help: string;
  /** Runs the command on the arguments after its name; resolves the exit code. Handles its own `--help`. */
  run(argv: string[]): Promise<number>;
}

/** Every command, in the order `stowage --help` lists them. A new command is one more entry. */
export const COMMANDS: readonly CliCommand[] = [
  { name: "conformance", summary: "run the conformance suite on built-in adapters or the stores of a config file", help: CONFORMANCE_HELP, run: runConformanceCommand },
  { name: "emulator", summary: "run the ESA Edge KV or KS3 emulator in the foreground", help: EMULATOR_HELP, run: runEmulatorCommand },
  ...STORAGE_CLI_COMMANDS,
];

/** The top-level help text. */
function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `stowage — cloud-agnostic storage adapters with one conformance suite

Usage: stowage <command> [flags]     stowage <command> --help     stowage --help | --version

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Examples:
  stowage conformance --adapter all --report html=conformance-report.html
  stowage conformance --config scratch-stores.json --module ./acme-adapter/index.js
  stowage emulator esa-kv --namespace sessions
  stowage emulator ks3 --bucket reports --data-dir ./ks3-data
  stowage cp ./backup.tar reports:backups/2026-12-05.tar --config stores.json
  stowage ls reports:backups/ --long --config stores.json

Global options (--config FILE, --json, --quiet) follow the command word.

Exit codes: 0 success; 1 some operations failed (conformance: a case failed); 2 usage or
configuration error; 130 interrupted (Ctrl-C).
`;
}

/** The CLI's own version, read from its package.json. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** Dispatches argv (without node and the script) to a command; resolves the exit code. */
export async function runCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  switch (name) {
    case undefined:
    case "--help":
    case "-h":
      process.stdout.write(help());
      return 0;
    case "help": {
      const command = COMMANDS.find((c) => c.name === rest[0]);
      process.stdout.write(command ? command.help : help());
      return 0;
    }
    case "--version":
    case "-v":
      process.stdout.write(`${version()}\n`);
      return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  // The word is not echoed: a mistyped line may have put a secret first.
  if (!command) throw new StorageError({ code: "InvalidArgument", message: `unknown command; commands: ${COMMANDS.map((c) => c.name).join(", ")}; see stowage --help` });
  return command.run(rest);
}
