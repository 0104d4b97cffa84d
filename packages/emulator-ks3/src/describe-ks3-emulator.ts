/**
 * What `stowage emulator ks3` prints at start-up: the built-in test secret is printed so a
 * copy-paste of the output just works; a secret the user supplied is never printed.
 */
import { DEFAULT_SECRET_ACCESS_KEY, type Ks3EmulatorOptions, type RunningKs3Emulator } from "./options.js";

function bucketList(names: readonly string[]): string {
  return names.length === 0 ? "(none: create one with --bucket NAME)" : names.join(", ");
}

/** The start-up lines: endpoint, region, access key id, the secret unless the user supplied it, the buckets, and where data lives. */
export function describeKs3Emulator(emulator: RunningKs3Emulator, options: Ks3EmulatorOptions): string[] {
  const secret = options.secretAccessKey === undefined ? `${DEFAULT_SECRET_ACCESS_KEY} (built-in test secret)` : "(as given with --secret-access-key)";
  return [
    `KS3 emulator (profile ${emulator.profile}) listening on ${emulator.endpoint}`,
    `region:            ${emulator.region}`,
    `access key id:     ${emulator.accessKeyId}`,
    `secret access key: ${secret}`,
    `buckets:           ${bucketList(emulator.buckets())}`,
    `storage:           ${options.dataDir === undefined ? "memory" : options.dataDir}`,
  ];
}
