/**
 * What `stowage emulator esa-kv` prints at start-up. Without a user secret the built-in test
 * secret is used and printed, so a copy-paste of the output just works; a secret the user
 * supplied is theirs (it could be a real one pasted by habit) and is never printed.
 */
import type { EsaKvEmulatorOptions } from "./options.js";
import type { RunningEsaKvEmulator } from "./server.js";

function namespaceList(names: readonly string[]): string {
  return names.length === 0 ? "(none: create one with --namespace NAME)" : names.join(", ");
}

/** The start-up lines: endpoints, access key id, the secret unless the user supplied it, the namespaces, and where data lives. */
export function describeEsaKvEmulator(emulator: RunningEsaKvEmulator, options: EsaKvEmulatorOptions): string[] {
  return [
    "ESA Edge KV emulator listening",
    `  endpoint:               ${emulator.endpoint}`,
    `  OpenPlatform endpoint:  ${emulator.openPlatformEndpoint}`,
    `  OSS endpoint:           ${emulator.ossEndpoint}`,
    `  access key id:          ${emulator.accessKeyId}`,
    `  access key secret:      ${options.accessKeySecret === undefined ? emulator.accessKeySecret : "(as given with --access-key-secret)"}`,
    `  namespaces:             ${namespaceList(emulator.namespaces())}`,
    `  data:                   ${options.dataDir ?? "in memory"}`,
  ];
}
