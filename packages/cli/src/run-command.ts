import { readFileSync } from "node:fs";
import { StorageError } from "@stowage/core";
import { runConformanceCommand } from "./conformance-command.js";
import { runEmulatorCommand } from "./emulator-command.js";

/** The top-level help text. */
const HELP = `stowage — cloud-agnostic storage adapters with one conformance suite

Usage:
  stowage conformance --adapter <id>|all [--config <file>] [--report json=<path>]
                      [--report junit=<path>] [--report html=<path>] [--concurrency N] [--quiet]
      Runs the conformance suite. Built-in adapters: memory, esa-kv, ks3, ks3-s3-profile
      (emulated providers are started in-process on ephemeral ports). With --config, the
      stores of a storage configuration file are the adapters. Exit code 0 only when no
      applicable case fails. --concurrency: cases in flight per adapter (default 4);
      --quiet: no progress lines.
  stowage emulator esa-kv [--host H] [--port N] [--access-key-id AK] [--access-key-secret SK]
                          [--data-dir DIR] [--namespace NS]...
  stowage emulator ks3 [--host H] [--port N] [--profile ks3|s3] [--access-key-id AK]
                       [--secret-access-key SK] [--data-dir DIR] [--bucket NAME]...
      Runs a provider emulator in the foreground (127.0.0.1 and a free port unless told) and
      prints its endpoint and credentials; a secret you supply is never printed.
  stowage --help | --version

Exit codes: 0 success, 1 conformance failures, 2 usage or runtime error.
`;

/** The CLI's own version, read from its package.json. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** Dispatches argv (without node and the script) to a command; resolves the exit code. */
export async function runCommand(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case "--help":
    case "-h":
    case "help":
      process.stdout.write(HELP);
      return 0;
    case "--version":
    case "-v":
      process.stdout.write(`${version()}\n`);
      return 0;
    case "conformance":
      return runConformanceCommand(rest);
    case "emulator":
      return runEmulatorCommand(rest);
    default:
      throw new StorageError({ code: "InvalidArgument", message: `unknown command "${command}"; see stowage --help` });
  }
}
