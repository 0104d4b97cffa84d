/**
 * `stowage emulator ks3 [--port N] [--profile ks3|s3] [--access-key-id AK]
 * [--secret-access-key SK] [--data-dir DIR] [--host H]`: argv → options, and a foreground run
 * that prints the endpoint and the access key id (never a secret the user supplied).
 */
import type { Writable } from "node:stream";
import { DEFAULT_SECRET_ACCESS_KEY, type Ks3EmulatorOptions, type RunningKs3Emulator } from "./options.js";
import { startKs3Emulator } from "./server.js";

/** Usage text of the command. */
export const KS3_EMULATOR_USAGE =
  "usage: stowage emulator ks3 [--host 127.0.0.1] [--port N] [--profile ks3|s3] [--access-key-id AK] [--secret-access-key SK] [--data-dir DIR] [--bucket NAME]…";

/** Parses the command's arguments; raises an `Error` with the usage on anything unknown. */
export function parseKs3EmulatorArgs(argv: readonly string[]): Ks3EmulatorOptions {
  const options: Ks3EmulatorOptions = {};
  const buckets: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined || v === "") throw new Error(`${name} needs a value\n${KS3_EMULATOR_USAGE}`);
      return v;
    };
    switch (name) {
      case "--host":
        options.host = value();
        break;
      case "--port": {
        const v = value();
        const port = Number(v);
        if (!/^\d+$/.test(v) || port > 65535) throw new Error(`--port must be 0..65535\n${KS3_EMULATOR_USAGE}`);
        options.port = port;
        break;
      }
      case "--profile": {
        const v = value();
        if (v !== "ks3" && v !== "s3") throw new Error(`--profile must be ks3 or s3\n${KS3_EMULATOR_USAGE}`);
        options.profile = v;
        break;
      }
      case "--access-key-id":
        options.accessKeyId = value();
        break;
      case "--secret-access-key":
        options.secretAccessKey = value();
        break;
      case "--data-dir":
        options.dataDir = value();
        break;
      case "--bucket":
        buckets.push(value());
        break;
      default:
        throw new Error(`unknown argument ${arg}\n${KS3_EMULATOR_USAGE}`);
    }
  }
  if (buckets.length > 0) options.buckets = buckets;
  return options;
}

/** The lines printed at start-up: endpoint, region, access key id, and the secret only if it is the built-in test one. */
export function describeKs3Emulator(emulator: RunningKs3Emulator, options: Ks3EmulatorOptions): string[] {
  const secret = options.secretAccessKey === undefined ? `${DEFAULT_SECRET_ACCESS_KEY} (built-in test secret)` : "(as given with --secret-access-key)";
  return [
    `KS3 emulator (profile ${emulator.profile}) listening on ${emulator.endpoint}`,
    `region:            ${emulator.region}`,
    `access key id:     ${emulator.accessKeyId}`,
    `secret access key: ${secret}`,
    `storage:           ${options.dataDir === undefined ? "memory" : options.dataDir}`,
  ];
}

/**
 * Starts the emulator from `argv` and prints its endpoint and credentials (never a secret the
 * user supplied). The caller owns the lifecycle (signals, `close()`).
 */
export async function runKs3EmulatorCli(argv: readonly string[], out: Writable = process.stdout): Promise<RunningKs3Emulator> {
  const options = parseKs3EmulatorArgs(argv);
  const emulator = await startKs3Emulator(options);
  out.write(`${describeKs3Emulator(emulator, options).join("\n")}\n`);
  return emulator;
}
