/** Test helper: an unmodified @aws-sdk/client-s3 client pointed at an emulator (SigV4, path style). */
import { S3Client } from "@aws-sdk/client-s3";
import type { RunningKs3Emulator } from "./options.js";

export function s3ClientFor(emulator: RunningKs3Emulator): S3Client {
  return new S3Client({
    endpoint: emulator.endpoint,
    region: emulator.region,
    forcePathStyle: true,
    credentials: { accessKeyId: emulator.accessKeyId, secretAccessKey: emulator.secretAccessKey },
    maxAttempts: 1,
  });
}

/** Deterministic bytes: `n` bytes where byte i is (i * 31 + seed) mod 251. */
export function patternBytes(n: number, seed = 0): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) % 251;
  return out;
}
