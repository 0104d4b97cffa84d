/**
 * Test helpers: memory stores with small part limits, KS3 emulator stores, a store wrapper that
 * lets a test intercept calls, and deterministic byte generators.
 */
import { createHash } from "node:crypto";
import { createMemoryObjectStore, MEMORY_OBJECT_LIMITS } from "@stowage/adapter-memory";
import { createKs3Store } from "@stowage/adapter-ks3";
import { readBytes, type MultipartObjectStore, type ObjectStoreLimits, type RetryOptions } from "@stowage/core";
import { startKs3Emulator, type Ks3EmulatorLimits, type Ks3Profile, type RunningKs3Emulator } from "@stowage/emulator-ks3";

/** Small part limits, so multi-part cases move KiBs. */
export const SMALL = { multipartMinPartBytes: 1024, multipartMaxPartBytes: 64 * 1024, putObjectMaxBytes: 64 * 1024, copyObjectMaxSourceBytes: 16 * 1024 } as const;

/** A memory store with {@link SMALL} limits (or others). */
export function memoryStore(limits: Partial<ObjectStoreLimits> = SMALL): MultipartObjectStore {
  return createMemoryObjectStore({ limits: { ...MEMORY_OBJECT_LIMITS, ...limits } });
}

/** Deterministic bytes: byte i is a function of i and `seed`. */
export function pattern(size: number, seed = 7): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** An async generator of `bytes` in chunks of `chunk` bytes (a stream of unknown length). */
export async function* chunked(bytes: Uint8Array, chunk = 1000): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += chunk) yield bytes.slice(at, Math.min(bytes.byteLength, at + chunk));
}

/** The object's bytes. */
export async function bytesAt(store: MultipartObjectStore, key: string): Promise<Uint8Array> {
  return new Uint8Array(await readBytes((await store.getObject(key)).body, { maxBytes: 1 << 30 }));
}

/** Open uploads in the store. */
export async function openUploads(store: MultipartObjectStore): Promise<number> {
  return (await store.listMultipartUploads()).uploads.length;
}

/** A hook run before a method of the store; it may throw or wait. */
export type Hook = (method: string, args: unknown[]) => void | Promise<void>;

/** The store with `hook` run before every call; `calls` counts calls per method. */
export function hooked(store: MultipartObjectStore, hook: Hook): { store: MultipartObjectStore; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function" || prop === "objects") return typeof value === "function" ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1);
        await hook(String(prop), args);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: wrapped, calls };
}

/** A running KS3 emulator and a fresh-bucket factory. */
export interface TestEmulator {
  emulator: RunningKs3Emulator;
  store(retry?: RetryOptions | false): Promise<MultipartObjectStore>;
  close(): Promise<void>;
}

let buckets = 0;

/** Starts a KS3 emulator in-process with the given limits (default: the small test limits). */
export async function startEmulator(profile: Ks3Profile = "ks3", limits: Partial<Ks3EmulatorLimits> & Partial<ObjectStoreLimits> = SMALL): Promise<TestEmulator> {
  const emulatorLimits: Partial<Ks3EmulatorLimits> = {
    multipartMinPartBytes: limits.multipartMinPartBytes,
    multipartMaxPartBytes: limits.multipartMaxPartBytes,
    putObjectMaxBytes: limits.putObjectMaxBytes,
    copyObjectMaxSourceBytes: limits.copyObjectMaxSourceBytes,
  } as Partial<Ks3EmulatorLimits>;
  const emulator = await startKs3Emulator({ port: 0, profile, limits: emulatorLimits });
  return {
    emulator,
    async store(retry = { baseDelayMs: 1, maxDelayMs: 5 }) {
      const bucket = `transfer-${process.pid}-${++buckets}`;
      await emulator.createBucket(bucket);
      return createKs3Store({
        bucket,
        endpoint: emulator.endpoint,
        region: emulator.region,
        accessKeyId: emulator.accessKeyId,
        secretAccessKey: emulator.secretAccessKey,
        addressing: "path",
        signature: "kss-v2",
        limits: profile === "ks3" ? limits : { ...limits, multipartPartNumbersContiguous: false },
        retry,
      });
    },
    close: () => emulator.close(),
  };
}

/** MD5 hex of bytes. */
export function md5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}
