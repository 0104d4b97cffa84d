import { StorageError } from "@stowage/core";
import { runEsaKvEmulatorCli } from "@stowage/emulator-esa-kv";
import { runKs3EmulatorCli } from "@stowage/emulator-ks3";

const EMULATORS: Record<string, (argv: readonly string[]) => Promise<{ close(): Promise<void> }>> = {
  "esa-kv": runEsaKvEmulatorCli,
  ks3: runKs3EmulatorCli,
};

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

/**
 * `stowage emulator esa-kv|ks3 …`: runs an emulator in the foreground until Ctrl-C. The flags
 * belong to each emulator package, which also prints the endpoint and credentials.
 */
export async function runEmulatorCommand(argv: string[]): Promise<number> {
  const [which, ...rest] = argv;
  const run = which === undefined ? undefined : EMULATORS[which];
  if (!run) {
    throw new StorageError({ code: "InvalidArgument", message: `emulator must be ${Object.keys(EMULATORS).join(" or ")}, got "${which ?? ""}"; see stowage --help` });
  }
  const emulator = await run(rest);
  process.stdout.write("Press Ctrl-C to stop.\n");
  await untilSignal();
  await emulator.close();
  return 0;
}
