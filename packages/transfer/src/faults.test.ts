/**
 * Design §6 / issue 10 §5: the engine under injected faults on the KS3 emulator (real HTTP):
 * ~5% 500 / 503 answers and connection resets on every operation.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KS3_LIMITS, type MultipartObjectStore } from "@stowage/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { download } from "./download.js";
import { resumeTokenOf } from "./errors.js";
import { upload, uploadFile } from "./upload.js";
import { openUploads, startEmulator, type TestEmulator } from "./test-stores.js";

const MiB = 1024 * 1024;
const FAULTS = { errorRate: { "*": 0.02 }, slowDownRate: { "*": 0.01 }, resetRate: { "*": 0.02 } };
const RETRY = { maxAttempts: 8, baseDelayMs: 10, maxDelayMs: 2000 };

/** `mib` MiB of deterministic bytes, generated block by block (never one buffer), and their MD5. */
function generator(mib: number, seed: number): { body: () => AsyncGenerator<Uint8Array>; md5: string } {
  const block = (i: number): Uint8Array => {
    const b = Buffer.alloc(MiB, (i * 31 + seed) & 0xff);
    b.writeUInt32BE(i, 0);
    b.writeUInt32BE(seed, MiB - 4);
    return b;
  };
  const hash = createHash("md5");
  for (let i = 0; i < mib; i++) hash.update(block(i));
  return {
    md5: hash.digest("hex"),
    body: async function* () {
      for (let i = 0; i < mib; i++) yield block(i);
    },
  };
}

async function md5Of(store: MultipartObjectStore, key: string): Promise<string> {
  const hash = createHash("md5");
  const { body } = await download(store, key, { retry: RETRY });
  for await (const chunk of body) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

describe("transfer under injected faults (KS3 emulator)", () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startEmulator("ks3", { ...KS3_LIMITS });
  });
  afterAll(async () => {
    await emu.close();
  });

  it("uploads 256 MiB from a generator byte-identical, with 0 uploads left listed", { timeout: 300_000 }, async () => {
    const store = await emu.store({ baseDelayMs: 10, maxDelayMs: 2000 });
    const source = generator(256, 1);
    emu.emulator.setFaults(FAULTS);
    try {
      const result = await upload(store, "faulty", source.body(), { partSize: 8 * MiB, concurrency: 4, retry: RETRY });
      expect(result.size).toBe(256 * MiB);
      expect(await md5Of(store, "faulty")).toBe(source.md5);
    } finally {
      emu.emulator.setFaults(undefined);
    }
    expect(await openUploads(store)).toBe(0);
  });

  it("a permanent failure half-way leaves 0 uploads listed", { timeout: 120_000 }, async () => {
    const store = await emu.store({ baseDelayMs: 10, maxDelayMs: 100 });
    const source = generator(64, 2);
    try {
      const err = await upload(store, "broken", source.body(), {
        partSize: 8 * MiB,
        retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
        onProgress: (p) => {
          if (p.partsDone >= 4) emu.emulator.setFaults({ errorRate: { UploadPart: 1 } });
        },
      }).catch((e: unknown) => e);
      expect((err as Error).name).toBe("StorageError");
    } finally {
      emu.emulator.setFaults(undefined);
    }
    expect(await openUploads(store)).toBe(0);
  });

  it("with leaveUploadOnError, the resume token completes the upload once the faults stop", { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "stowage-faults-"));
    try {
      const store = await emu.store({ baseDelayMs: 10, maxDelayMs: 100 });
      const source = generator(64, 3);
      const chunks: Uint8Array[] = [];
      for await (const c of source.body()) chunks.push(c);
      const path = join(dir, "src.bin");
      await writeFile(path, chunks);
      chunks.length = 0;
      let err: unknown;
      try {
        err = await uploadFile(store, "resumed", path, {
          partSize: 8 * MiB,
          leaveUploadOnError: true,
          retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
          onProgress: (p) => {
            if (p.partsDone >= 4) emu.emulator.setFaults({ errorRate: { UploadPart: 1 } });
          },
        }).catch((e: unknown) => e);
      } finally {
        emu.emulator.setFaults(undefined);
      }
      const token = resumeTokenOf(err);
      expect(token?.parts.length).toBeGreaterThanOrEqual(4);
      expect(await openUploads(store)).toBe(1);
      const result = await uploadFile(store, "resumed", path, { resume: JSON.parse(JSON.stringify(token)) });
      expect(result.size).toBe(64 * MiB);
      expect(await md5Of(store, "resumed")).toBe(source.md5);
      expect(await openUploads(store)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
