import { parseArgs } from "node:util";
import { StorageError } from "@stowage/core";
import { startEsaKvEmulator } from "@stowage/emulator-esa-kv";
import { startKs3Emulator } from "@stowage/emulator-ks3";

const DEFAULT_ACCESS_KEY_ID = "stowage-test-ak";
const DEFAULT_SECRET = "stowage-test-sk";

function usage(message: string): StorageError {
  return new StorageError({ code: "InvalidArgument", message: `${message}; see stowage --help` });
}

function port(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw usage(`--port must be an integer from 0 to 65535, got "${value}"`);
  return n;
}

/**
 * A secret the user typed is theirs and is never echoed (it could be a real one pasted by
 * habit); the built-in test secret is printed so a copy-paste of the output just works.
 */
function describeSecret(secret: string | undefined): string {
  return secret === undefined ? DEFAULT_SECRET : "(as given on the command line)";
}

/** Keeps the process alive until SIGINT/SIGTERM, then closes the server. */
function runUntilSignal(close: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      close().then(
        () => resolve(0),
        () => resolve(2),
      );
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** `stowage emulator esa-kv|ks3 …`: runs an emulator in the foreground. */
export async function runEmulatorCommand(argv: string[]): Promise<number> {
  const [which, ...rest] = argv;
  if (which === "esa-kv") {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "access-key-id": { type: "string" },
        "access-key-secret": { type: "string" },
        "data-dir": { type: "string" },
      },
    });
    const emulator = await startEsaKvEmulator({
      host: values.host ?? "127.0.0.1",
      port: port(values.port),
      accessKeyId: values["access-key-id"] ?? DEFAULT_ACCESS_KEY_ID,
      accessKeySecret: values["access-key-secret"] ?? DEFAULT_SECRET,
      ...(values["data-dir"] === undefined ? {} : { dataDir: values["data-dir"] }),
    });
    process.stdout.write(
      [
        `ESA Edge KV emulator listening`,
        `  endpoint:               ${emulator.endpoint}`,
        `  OpenPlatform endpoint:  ${emulator.openPlatformEndpoint}`,
        `  OSS endpoint:           ${emulator.ossEndpoint}`,
        `  access key id:          ${emulator.accessKeyId}`,
        `  access key secret:      ${describeSecret(values["access-key-secret"])}`,
        `  data:                   ${values["data-dir"] ?? "in memory"}`,
        `Press Ctrl-C to stop.`,
        "",
      ].join("\n"),
    );
    return runUntilSignal(() => emulator.close());
  }
  if (which === "ks3") {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        profile: { type: "string" },
        "access-key-id": { type: "string" },
        "secret-access-key": { type: "string" },
        "data-dir": { type: "string" },
      },
    });
    const profile = values.profile ?? "ks3";
    if (profile !== "ks3" && profile !== "s3") throw usage(`--profile must be ks3 or s3, got "${profile}"`);
    const emulator = await startKs3Emulator({
      host: values.host ?? "127.0.0.1",
      port: port(values.port),
      profile,
      accessKeyId: values["access-key-id"] ?? DEFAULT_ACCESS_KEY_ID,
      secretAccessKey: values["secret-access-key"] ?? DEFAULT_SECRET,
      ...(values["data-dir"] === undefined ? {} : { dataDir: values["data-dir"] }),
    });
    process.stdout.write(
      [
        `KS3 emulator listening (profile ${emulator.profile})`,
        `  endpoint:           ${emulator.endpoint}`,
        `  region:             ${emulator.region}`,
        `  access key id:      ${emulator.accessKeyId}`,
        `  secret access key:  ${describeSecret(values["secret-access-key"])}`,
        `  data:               ${values["data-dir"] ?? "in memory"}`,
        `Press Ctrl-C to stop.`,
        "",
      ].join("\n"),
    );
    return runUntilSignal(() => emulator.close());
  }
  throw usage(`emulator must be esa-kv or ks3, got "${which ?? ""}"`);
}
