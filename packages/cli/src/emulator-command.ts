import { parseArgs } from "node:util";
import { StorageError } from "@stowage/core";
import { describeEsaKvEmulator, startEsaKvEmulator, type EsaKvEmulatorOptions } from "@stowage/emulator-esa-kv";
import { describeKs3Emulator, startKs3Emulator, type Ks3EmulatorOptions } from "@stowage/emulator-ks3";

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
  "esa-kv": { ...COMMON_FLAGS, "access-key-secret": { type: "string" }, namespace: { type: "string", multiple: true } },
  ks3: { ...COMMON_FLAGS, profile: { type: "string" }, "secret-access-key": { type: "string" }, bucket: { type: "string", multiple: true } },
} as const;

/** The usage line of each `stowage emulator <name>`; every flag error ends with it. */
const EMULATOR_USAGE: Readonly<Record<keyof typeof EMULATOR_FLAGS, string>> = {
  "esa-kv":
    "usage: stowage emulator esa-kv [--host 127.0.0.1] [--port N] [--access-key-id AK] [--access-key-secret SK] [--data-dir DIR] [--namespace NS]…",
  ks3: "usage: stowage emulator ks3 [--host 127.0.0.1] [--port N] [--profile ks3|s3] [--access-key-id AK] [--secret-access-key SK] [--data-dir DIR] [--bucket NAME]…",
};

/** What {@link parseEmulatorArgs} returns: which emulator, with the options to start it with. */
export type ParsedEmulatorArgs = { emulator: "esa-kv"; options: EsaKvEmulatorOptions } | { emulator: "ks3"; options: Ks3EmulatorOptions };

/**
 * Parses `esa-kv|ks3 [flags]` (`--flag value` or `--flag=value`). Raises `InvalidArgument` for an
 * unknown emulator; for an unknown flag, a missing or empty value, a port outside 0..65535 or an
 * unknown profile, with the emulator's usage line.
 */
export function parseEmulatorArgs(argv: readonly string[]): ParsedEmulatorArgs {
  const [which, ...rest] = argv;
  if (which !== "esa-kv" && which !== "ks3") {
    throw new StorageError({ code: "InvalidArgument", message: `emulator must be ${Object.keys(EMULATOR_FLAGS).join(" or ")}, got "${which ?? ""}"; see stowage --help` });
  }
  const usageError = (message: string) => new StorageError({ code: "InvalidArgument", message: `${message}\n${EMULATOR_USAGE[which]}` });
  let values: Readonly<Record<string, string | string[] | undefined>>;
  try {
    // Every flag is a string (some repeated), so the values are strings or string lists.
    values = parseArgs({ args: [...rest], strict: true, options: EMULATOR_FLAGS[which] }).values as typeof values;
  } catch (err) {
    throw usageError((err as Error).message);
  }
  for (const [flag, value] of Object.entries(values)) {
    if (value === "" || (Array.isArray(value) && value.includes(""))) throw usageError(`--${flag} needs a value`);
  }
  const text = (flag: string) => values[flag] as string | undefined;
  const list = (flag: string) => values[flag] as string[] | undefined;

  const common: EsaKvEmulatorOptions & Ks3EmulatorOptions = {};
  if (text("host") !== undefined) common.host = text("host")!;
  const port = text("port");
  if (port !== undefined) {
    if (!/^\d+$/.test(port) || Number(port) > 65535) throw usageError("--port must be an integer in 0..65535");
    common.port = Number(port);
  }
  if (text("access-key-id") !== undefined) common.accessKeyId = text("access-key-id")!;
  if (text("data-dir") !== undefined) common.dataDir = text("data-dir")!;

  if (which === "esa-kv") {
    const options: EsaKvEmulatorOptions = { ...common };
    if (text("access-key-secret") !== undefined) options.accessKeySecret = text("access-key-secret")!;
    if (list("namespace") !== undefined) options.namespaces = list("namespace")!;
    return { emulator: which, options };
  }
  const options: Ks3EmulatorOptions = { ...common };
  const profile = text("profile");
  if (profile !== undefined) {
    if (profile !== "ks3" && profile !== "s3") throw usageError("--profile must be ks3 or s3");
    options.profile = profile;
  }
  if (text("secret-access-key") !== undefined) options.secretAccessKey = text("secret-access-key")!;
  if (list("bucket") !== undefined) options.buckets = list("bucket")!;
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

/** Resolves at the first SIGINT or SIGTERM. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
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
  /** Receives the start-up text; default standard output. */
  write(text: string): void;
  /** Resolves when the emulator should stop; default at the first SIGINT or SIGTERM. */
  stopped(): Promise<void>;
}

const PROCESS_IO: EmulatorCommandIo = { write: (text) => void process.stdout.write(text), stopped: untilSignal };

/**
 * `stowage emulator esa-kv|ks3 …`: runs an emulator in the foreground until Ctrl-C, after
 * printing its endpoints and credentials (never a secret the user supplied), then closes it,
 * which flushes `--data-dir`.
 */
export async function runEmulatorCommand(argv: string[], io: EmulatorCommandIo = PROCESS_IO): Promise<number> {
  const { emulator, lines } = await startEmulator(parseEmulatorArgs(argv));
  io.write(`${lines.join("\n")}\nPress Ctrl-C to stop.\n`);
  await io.stopped();
  await emulator.close();
  return 0;
}
