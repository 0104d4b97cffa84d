import type { EsaKvEmulatorOptions } from "./options.js";
import { startEsaKvEmulator, type RunningEsaKvEmulator } from "./server.js";

/**
 * The command line: `stowage emulator esa-kv [--host H] [--port N] [--access-key-id AK]
 * [--access-key-secret SK] [--data-dir DIR] [--namespace NS]…`. Runs in the foreground until
 * SIGINT/SIGTERM.
 */

/** What {@link parseEsaKvEmulatorArgs} returns. */
export interface ParsedEsaKvEmulatorArgs {
  /** What to pass to `startEsaKvEmulator`. */
  options: EsaKvEmulatorOptions;
  /** Whether the user supplied the secret (then it is never printed). */
  secretFromUser: boolean;
}

/** Parses the flags above; raises on an unknown flag or a missing value. */
export function parseEsaKvEmulatorArgs(argv: readonly string[]): ParsedEsaKvEmulatorArgs {
  const options: EsaKvEmulatorOptions = {};
  const namespaces: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i] as string;
    const eq = flag.indexOf("=");
    const name = eq > 0 ? flag.slice(0, eq) : flag;
    const value = (): string => {
      const inline = eq > 0 ? flag.slice(eq + 1) : argv[++i];
      if (inline === undefined || inline === "") throw new Error(`${name} needs a value`);
      return inline;
    };
    switch (name) {
      case "--host":
        options.host = value();
        break;
      case "--port": {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error("--port must be an integer in 0..65535");
        options.port = port;
        break;
      }
      case "--access-key-id":
        options.accessKeyId = value();
        break;
      case "--access-key-secret":
        options.accessKeySecret = value();
        break;
      case "--data-dir":
        options.dataDir = value();
        break;
      case "--namespace":
        namespaces.push(value());
        break;
      default:
        throw new Error(`unknown option ${name}`);
    }
  }
  if (namespaces.length > 0) options.namespaces = namespaces;
  return { options, secretFromUser: options.accessKeySecret !== undefined };
}

/**
 * Starts the emulator from `argv` and prints its endpoints and credentials. Without
 * `--access-key-secret` the built-in test secret is used and printed, so a copy-paste of the
 * output just works; a secret the user typed is theirs (it could be a real one pasted by habit)
 * and is never printed. The caller owns the lifecycle (signals, `close()`).
 */
export async function runEsaKvEmulatorCli(
  argv: readonly string[],
  print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<RunningEsaKvEmulator> {
  const { options, secretFromUser } = parseEsaKvEmulatorArgs(argv);
  const emulator = await startEsaKvEmulator(options);
  print("ESA Edge KV emulator listening");
  print(`  endpoint:               ${emulator.endpoint}`);
  print(`  OpenPlatform endpoint:  ${emulator.openPlatformEndpoint}`);
  print(`  OSS endpoint:           ${emulator.ossEndpoint}`);
  print(`  access key id:          ${emulator.accessKeyId}`);
  print(`  access key secret:      ${secretFromUser ? "(as given on the command line)" : emulator.accessKeySecret}`);
  print(`  data:                   ${options.dataDir ?? "in memory"}`);
  return emulator;
}
