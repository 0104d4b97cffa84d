import { StorageError } from "@stowage/core";
import { parseFlags, usageError, wantsHelp } from "./command-args.js";
import { DEFAULT_NAMESPACE, describeEsaKvEmulator, startEsaKvEmulator, type EsaKvEmulatorOptions } from "@stowage/emulator-esa-kv";
import { DEFAULT_BUCKET, describeKs3Emulator, startKs3Emulator, type Ks3EmulatorOptions } from "@stowage/emulator-ks3";

/**
 * The flags of each emulator. The command line of both lives here, in the one package that
 * depends on both, so they share the flag grammar (`node:util` `parseArgs`, like
 * `stowage conformance`) and the common flags; the emulator packages only start and describe.
 */
const COMMON_FLAGS = {
  host: { type: "string" },
  port: { type: "string" },
  "access-key-id": { type: "string" },
  "data-dir": { type: "string" },
} as const;

const EMULATOR_FLAGS = {
  "esa-kv": { ...COMMON_FLAGS, "access-key-secret": { type: "string" }, namespace: { type: "string", multiple: true }, "no-default-namespace": { type: "boolean" } },
  ks3: { ...COMMON_FLAGS, profile: { type: "string" }, "secret-access-key": { type: "string" }, bucket: { type: "string", multiple: true }, "no-default-bucket": { type: "boolean" } },
} as const;

/** The usage line of each `stowage emulator <name>`; every flag error ends with it. */
const EMULATOR_USAGE: Readonly<Record<keyof typeof EMULATOR_FLAGS, string>> = {
  "esa-kv":
    "usage: stowage emulator esa-kv [--host 127.0.0.1] [--port N] [--access-key-id AK] [--access-key-secret SK] [--data-dir DIR] [--namespace NS]… [--no-default-namespace]",
  ks3: "usage: stowage emulator ks3 [--host 127.0.0.1] [--port N] [--profile ks3|s3] [--access-key-id AK] [--secret-access-key SK] [--data-dir DIR] [--bucket NAME]… [--no-default-bucket]",
};

/**
 * Environment variables read for credentials when the flag is absent: a flag's value shows in
 * `ps` to every user of the machine, a variable does not.
 */
export const EMULATOR_CREDENTIAL_VARIABLES = {
  accessKeyId: "STOWAGE_EMULATOR_ACCESS_KEY_ID",
  accessKeySecret: "STOWAGE_EMULATOR_ACCESS_KEY_SECRET",
  secretAccessKey: "STOWAGE_EMULATOR_SECRET_ACCESS_KEY",
} as const;

const STOPPING = `Stopping: Ctrl-C (SIGINT) or SIGTERM closes the emulator and flushes --data-dir; the banner
  prints the emulator's own pid. In the background, start it with node directly so $! is that pid:
    node_modules/.bin/stowage emulator ks3 & EMULATOR=$!     # or, in the Stowage repository:
    node packages/cli/dist/main.js emulator ks3 & EMULATOR=$!
    kill $EMULATOR
  Started through a package manager (pnpm stowage …, pnpm exec stowage …), it also stops when
  that package manager's process goes away, since pnpm does not pass a kill on to it.`;

/** `stowage emulator --help`. */
export const EMULATOR_HELP = `usage: stowage emulator esa-kv|ks3 [flags] — run a provider emulator in the foreground

Starts a local server speaking the provider's wire protocol (signatures verified, documented
limits and errors enforced) on 127.0.0.1 and a free port unless told, and prints its endpoints
and credentials (a secret you supply is never printed).

  stowage emulator esa-kv --help     flags of the ESA Edge KV emulator
  stowage emulator ks3 --help        flags of the KS3 (S3-family) emulator

Examples:
  stowage emulator esa-kv --port 8787 --namespace sessions
  stowage emulator ks3 --port 9000 --bucket reports --data-dir ./ks3-data

${STOPPING}
`;

/** `stowage emulator <name> --help`. */
const EMULATOR_SUBCOMMAND_HELP: Readonly<Record<keyof typeof EMULATOR_FLAGS, string>> = {
  "esa-kv": `${EMULATOR_USAGE["esa-kv"]}

Runs the ESA Edge KV emulator (KV, OpenPlatform and OSS endpoints on one port).

  --host H                  interface to listen on (default 127.0.0.1)
  --port N                  port, 0 for a free one (default 0)
  --access-key-id AK        AccessKey ID to accept (or $${EMULATOR_CREDENTIAL_VARIABLES.accessKeyId})
  --access-key-secret SK    AccessKey secret to accept (or $${EMULATOR_CREDENTIAL_VARIABLES.accessKeySecret}; prefer the variable)
  --data-dir DIR            keep the data in DIR across restarts (default: memory only)
  --namespace NS            create namespace NS at start-up (repeatable; default: ${DEFAULT_NAMESPACE})
  --no-default-namespace    start with no namespace at all

Examples:
  stowage emulator esa-kv --port 8787 --namespace sessions
  ${EMULATOR_CREDENTIAL_VARIABLES.accessKeySecret}=local-secret stowage emulator esa-kv --access-key-id AKLOCAL

${STOPPING}
`,
  ks3: `${EMULATOR_USAGE.ks3}

Runs the KS3 emulator; --profile s3 answers as plain S3 (SigV4, path addressing, S3 limits).

  --host H                  interface to listen on (default 127.0.0.1)
  --port N                  port, 0 for a free one (default 0)
  --profile ks3|s3          protocol profile (default ks3)
  --access-key-id AK        access key id to accept (or $${EMULATOR_CREDENTIAL_VARIABLES.accessKeyId})
  --secret-access-key SK    secret to accept (or $${EMULATOR_CREDENTIAL_VARIABLES.secretAccessKey}; prefer the variable)
  --data-dir DIR            keep buckets and objects in DIR across restarts (default: memory only)
  --bucket NAME             create bucket NAME at start-up (repeatable; default: ${DEFAULT_BUCKET})
  --no-default-bucket       start with no bucket at all

Examples:
  stowage emulator ks3 --port 9000 --bucket reports
  stowage emulator ks3 --profile s3 --data-dir ./s3-data --bucket uploads

${STOPPING}
`,
};

/** What {@link parseEmulatorArgs} returns: which emulator, with the options to start it with. */
export type ParsedEmulatorArgs = { emulator: "esa-kv"; options: EsaKvEmulatorOptions } | { emulator: "ks3"; options: Ks3EmulatorOptions };

/**
 * Parses `esa-kv|ks3 [flags]` (`--flag value` or `--flag=value`), taking credentials from
 * {@link EMULATOR_CREDENTIAL_VARIABLES} in `env` when no flag gives them. Raises
 * `InvalidArgument` for an unknown emulator; for an unknown flag, a missing or empty value, a
 * port outside 0..65535, an unknown profile or a positional argument, with the emulator's usage
 * line. No message echoes a value the user typed.
 */
export function parseEmulatorArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): ParsedEmulatorArgs {
  const [which, ...rest] = argv;
  if (which !== "esa-kv" && which !== "ks3") {
    throw new StorageError({ code: "InvalidArgument", message: `emulator must be ${Object.keys(EMULATOR_FLAGS).join(" or ")}; see stowage emulator --help` });
  }
  const usage = EMULATOR_USAGE[which];
  // Every flag is a string (some repeated), so the values are strings or string lists.
  const values = parseFlags(rest, EMULATOR_FLAGS[which], usage) as Readonly<Record<string, string | string[] | undefined>>;
  const text = (flag: string, variable?: string) => (values[flag] as string | undefined) ?? (variable !== undefined && env[variable] ? env[variable] : undefined);
  const list = (flag: string) => values[flag] as string[] | undefined;

  const common: EsaKvEmulatorOptions & Ks3EmulatorOptions = {};
  if (text("host") !== undefined) common.host = text("host")!;
  const port = text("port");
  if (port !== undefined) {
    if (!/^\d+$/.test(port) || Number(port) > 65535) throw usageError("--port must be an integer in 0..65535", usage);
    common.port = Number(port);
  }
  const accessKeyId = text("access-key-id", EMULATOR_CREDENTIAL_VARIABLES.accessKeyId);
  if (accessKeyId !== undefined) common.accessKeyId = accessKeyId;
  if (text("data-dir") !== undefined) common.dataDir = text("data-dir")!;

  if (which === "esa-kv") {
    const options: EsaKvEmulatorOptions = { ...common };
    const secret = text("access-key-secret", EMULATOR_CREDENTIAL_VARIABLES.accessKeySecret);
    if (secret !== undefined) options.accessKeySecret = secret;
    // A user following the README gets a namespace to write to; tests that want none say so.
    options.namespaces = list("namespace") ?? (values["no-default-namespace"] ? [] : [DEFAULT_NAMESPACE]);
    return { emulator: which, options };
  }
  const options: Ks3EmulatorOptions = { ...common };
  const profile = text("profile");
  if (profile !== undefined) {
    if (profile !== "ks3" && profile !== "s3") throw usageError("--profile must be ks3 or s3", usage);
    options.profile = profile;
  }
  const secret = text("secret-access-key", EMULATOR_CREDENTIAL_VARIABLES.secretAccessKey);
  if (secret !== undefined) options.secretAccessKey = secret;
  options.buckets = list("bucket") ?? (values["no-default-bucket"] ? [] : [DEFAULT_BUCKET]);
  return { emulator: which, options };
}

/** Starts the parsed emulator and returns it with the lines that describe it. */
async function startEmulator(parsed: ParsedEmulatorArgs): Promise<{ emulator: { close(): Promise<void> }; lines: string[] }> {
  if (parsed.emulator === "esa-kv") {
    const emulator = await startEsaKvEmulator(parsed.options);
    return { emulator, lines: describeEsaKvEmulator(emulator, parsed.options) };
  }
  const emulator = await startKs3Emulator(parsed.options);
  return { emulator, lines: describeKs3Emulator(emulator, parsed.options) };
}

/**
 * The parent process as it was when this module loaded, before the emulator started and printed
 * its banner. Read later, it could already be the process an orphan is handed to: a parent killed
 * right after the banner (as soon as the emulator says it is up) would then never look gone.
 */
const LAUNCH_PARENT = process.ppid;

/**
 * Resolves at the first SIGINT or SIGTERM — or, when a package manager started us
 * (`pnpm stowage …`, `pnpm exec stowage …`, `npx stowage …`), when that parent goes away.
 * Killing a backgrounded `pnpm stowage emulator … &` kills pnpm, which does not pass the signal
 * on; without this the emulator would keep its port with no one left to stop it.
 */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const parent = LAUNCH_PARENT;
    const followParent = process.env.npm_config_user_agent !== undefined;
    const watch = followParent ? setInterval(() => process.ppid !== parent && stop(), 250) : undefined;
    const stop = () => {
      clearInterval(watch);
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** Where {@link runEmulatorCommand} prints, and what ends it. */
export interface EmulatorCommandIo {
  /** Receives the start-up text (or the help); default standard output. */
  write(text: string): void;
  /** Where credentials are read from when no flag gives them; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Resolves when the emulator should stop; default at the first SIGINT or SIGTERM. */
  stopped(): Promise<void>;
}

const PROCESS_IO: EmulatorCommandIo = { write: (text) => void process.stdout.write(text), stopped: untilSignal, env: process.env };

/**
 * `stowage emulator esa-kv|ks3 …`: runs an emulator in the foreground until Ctrl-C or SIGTERM,
 * after printing its endpoints and credentials (never a secret the user supplied) and the pid
 * to stop it by, then closes it, which flushes `--data-dir`. `--help` prints usage and examples.
 */
export async function runEmulatorCommand(argv: string[], io: EmulatorCommandIo = PROCESS_IO): Promise<number> {
  if (wantsHelp(argv)) {
    const which = argv[0];
    io.write(which === "esa-kv" || which === "ks3" ? EMULATOR_SUBCOMMAND_HELP[which] : EMULATOR_HELP);
    return 0;
  }
  const { emulator, lines } = await startEmulator(parseEmulatorArgs(argv, io.env ?? {}));
  io.write(`${lines.join("\n")}\nPress Ctrl-C to stop (or kill ${process.pid}).\n`);
  await io.stopped();
  await emulator.close();
  return 0;
}
