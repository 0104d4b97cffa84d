/**
 * Multipart benchmark (issue 5 §6): in one process and one run, against one KS3 emulator,
 * - a multipart upload through the Stowage KS3 adapter's `uploadPart` path (8 MiB parts,
 *   4 in flight),
 * - the same bytes through `@aws-sdk/lib-storage`'s `Upload` (8 MiB parts, queueSize 4),
 * - a raw undici streamed PUT of the same bytes, the ceiling (one request, no parts),
 * then a ranged read of the object in 8 MiB ranges (4 in flight) through the adapter, the AWS
 * SDK and raw undici. Prints MiB/s, CPU time per GiB, peak RSS and the ratios.
 *
 * Run: `pnpm build && pnpm --filter @stowage/bench bench:multipart [-- --size-mib N] [--rounds N] [--memory]`
 * (default 1024 MiB, 3 rounds; `--memory` keeps the emulator's data in memory instead of on
 * disk, to see how much of the time the emulator's disk writes take — the RSS then includes
 * the objects).
 *
 * Every client gets the same treatment: an untimed warm-up pass over a small object first
 * (the first client timed used to pay for JIT and the emulator's cold paths alone, which on
 * its own halved its figure), then `--rounds` timed runs with the order rotated each round,
 * so each client goes first equally often; every run starts from a collected heap. A row
 * shows the median run and the spread of all runs; its peak RSS is the highest of its runs.
 *
 * The emulator runs in a worker thread of this process with its data on disk (a temporary
 * `dataDir`), so that it neither takes turns with the clients on one event loop nor holds the
 * object in this process's memory: the RSS figures then show what the clients hold. The data
 * is generated in 1 MiB chunks from one random template (each chunk stamped with its index),
 * so no client ever sees more than what it buffers itself. Peak RSS is sampled every 10 ms
 * during each phase (process-wide, so it includes the emulator's transient buffers); the
 * CPU column is the process's CPU time per GiB moved, emulator thread included.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { kssV2Authorization } from "@stowage/adapter-s3-family";
import { createKs3Store } from "@stowage/adapter-ks3";
import type { CompletedPart, MultipartObjectStore } from "@stowage/core";
import { startKs3Emulator } from "@stowage/emulator-ks3";
import { Pool } from "undici";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const CHUNK = MiB;
const PART = 8 * MiB;
const CONCURRENCY = 4;
const BUCKET = "bench";

/** What the clients need to know about the emulator in the worker. */
interface EmulatorAddress {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

// ----- data ------------------------------------------------------------------------------

const template = randomBytes(CHUNK);

/** Chunk `i` of the benchmark object: the template stamped with `i`, freshly allocated. */
function chunk(i: number): Buffer {
  const c = Buffer.from(template);
  c.writeUInt32BE(i, 0);
  return c;
}

async function* chunks(totalBytes: number): AsyncGenerator<Buffer> {
  for (let i = 0; i * CHUNK < totalBytes; i++) yield chunk(i);
}

/** Whole-object MD5 and the 8 MiB-part composite ETag, computed in one streaming pass. */
async function expectedEtags(totalBytes: number): Promise<{ single: string; multipart: string }> {
  const whole = createHash("md5");
  const partMd5s: Buffer[] = [];
  let part = createHash("md5");
  let inPart = 0;
  for await (const c of chunks(totalBytes)) {
    whole.update(c);
    part.update(c);
    inPart += c.length;
    if (inPart === PART) {
      partMd5s.push(part.digest());
      part = createHash("md5");
      inPart = 0;
    }
  }
  if (inPart > 0) partMd5s.push(part.digest());
  const multipart = `"${createHash("md5").update(Buffer.concat(partMd5s)).digest("hex")}-${partMd5s.length}"`;
  return { single: `"${whole.digest("hex")}"`, multipart };
}

// ----- measurement -----------------------------------------------------------------------

interface Result {
  name: string;
  bytes: number;
  seconds: number;
  /**
   * CPU time of the whole process (client and emulator thread) during the run: on a busy
   * machine it varies far less than the wall time, so it shows what a client costs.
   */
  cpuSeconds: number;
  peakRssMiB: number;
  check: string;
  /** Fastest and slowest of the runs a median was taken over. */
  spread?: { fastest: number; slowest: number };
}

// Every run starts from a collected heap, so none pays for the garbage of the run before it.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

async function measure(name: string, bytes: number, run: () => Promise<string>): Promise<Result> {
  collectGarbage();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  try {
    const check = await run();
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    return { name, bytes, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMiB: Math.max(peak, process.memoryUsage.rss()) / MiB, check };
  } finally {
    clearInterval(timer);
  }
}

/** Runs `task(0..count-1)` with at most `concurrency` in flight. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** One contender of a phase: `run(bytes, timed)` moves `bytes` and returns its check ("ETag ok", …). */
interface Contender {
  name: string;
  run: (bytes: number, timed: boolean) => Promise<string>;
  /** Untimed clean-up after each run (deleting what it stored). */
  after?: () => Promise<void>;
}

/** Bytes of the untimed warm-up pass each contender makes before the timed rounds. */
const WARM_UP_BYTES = 4 * PART;

/**
 * Warms every contender up, then times each `rounds` times, rotating who goes first, and
 * summarizes each contender as its median run.
 */
async function compare(contenders: readonly Contender[], totalBytes: number, rounds: number): Promise<Result[]> {
  for (const c of contenders) {
    await c.run(Math.min(WARM_UP_BYTES, totalBytes), false);
    await c.after?.();
  }
  const runs = contenders.map((): Result[] => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (r + k) % contenders.length;
      const c = contenders[i]!;
      runs[i]!.push(await measure(c.name, totalBytes, () => c.run(totalBytes, true)));
      await c.after?.();
    }
  }
  return runs.map(median);
}

/** The median run (by time), with the median CPU time, the highest peak RSS of all runs and every distinct check. */
function median(runs: readonly Result[]): Result {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const cpu = runs.map((r) => r.cpuSeconds).sort((a, b) => a - b);
  return {
    ...mid,
    cpuSeconds: cpu[Math.floor((cpu.length - 1) / 2)]!,
    peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)),
    check: [...new Set(runs.map((r) => r.check))].join(", "),
    spread: { fastest: sorted[0]!.seconds, slowest: sorted[sorted.length - 1]!.seconds },
  };
}

// ----- uploads ---------------------------------------------------------------------------

/** The adapter's uploadPart path: 8 MiB parts cut from the stream, at most 4 in flight. */
async function adapterUpload(store: MultipartObjectStore, key: string, totalBytes: number): Promise<string> {
  const { uploadId } = await store.createMultipartUpload(key);
  const parts: CompletedPart[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let buffered: Buffer[] = [];
  let bufferedBytes = 0;
  let partNumber = 0;
  const send = (body: Buffer): void => {
    const n = ++partNumber;
    const p: Promise<void> = store
      .uploadPart(key, uploadId, n, body)
      .then(
        (part) => void parts.push(part),
        (err: unknown) => void (failure ??= err),
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  try {
    for await (const c of chunks(totalBytes)) {
      buffered.push(c);
      bufferedBytes += c.length;
      if (bufferedBytes >= PART) {
        while (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
        if (failure !== undefined) throw failure;
        send(Buffer.concat(buffered, bufferedBytes));
        buffered = [];
        bufferedBytes = 0;
      }
    }
    if (bufferedBytes > 0) send(Buffer.concat(buffered, bufferedBytes));
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
    parts.sort((a, b) => a.partNumber - b.partNumber);
    if (parts.length !== partNumber) throw new Error("a part failed");
    return (await store.completeMultipartUpload(key, uploadId, parts)).etag;
  } catch (err) {
    await store.abortMultipartUpload(key, uploadId).catch(() => undefined);
    throw err;
  }
}

async function libStorageUpload(s3: S3Client, key: string, totalBytes: number): Promise<string> {
  const upload = new Upload({
    client: s3,
    params: { Bucket: BUCKET, Key: key, Body: Readable.from(chunks(totalBytes)) },
    partSize: PART,
    queueSize: CONCURRENCY,
    leavePartsOnError: false,
  });
  const out = await upload.done();
  return out.ETag ?? "";
}

function v2Headers(emulator: EmulatorAddress, method: string, key: string, extra: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { date: new Date().toUTCString(), ...extra };
  headers["authorization"] = kssV2Authorization(
    { method, resource: `/${BUCKET}/${key}`, query: new URLSearchParams(), headers, headerPrefix: "x-kss-" },
    emulator.accessKeyId,
    emulator.secretAccessKey,
  );
  return headers;
}

/** The ceiling: one streamed PUT with a V2 signature (which does not hash the body). */
async function rawPut(http: Pool, emulator: EmulatorAddress, key: string, totalBytes: number): Promise<string> {
  const headers = v2Headers(emulator, "PUT", key, { "content-type": "application/octet-stream", "content-length": String(totalBytes) });
  const res = await http.request({ method: "PUT", path: `/${BUCKET}/${key}`, headers, body: Readable.from(chunks(totalBytes)) });
  await res.body.dump();
  if (res.statusCode !== 200) throw new Error(`raw PUT answered ${res.statusCode}`);
  return String(res.headers["etag"]);
}

// ----- ranged reads ----------------------------------------------------------------------

function ranges(totalBytes: number): Array<{ first: number; last: number }> {
  const out: Array<{ first: number; last: number }> = [];
  for (let first = 0; first < totalBytes; first += PART) out.push({ first, last: Math.min(first + PART, totalBytes) - 1 });
  return out;
}

/** Reads the first `totalBytes` of the object in 8 MiB ranges, 4 in flight; checks each range's length and first chunk stamp. */
async function rangedRead(totalBytes: number, read: (first: number, last: number) => Promise<AsyncIterable<Uint8Array>>): Promise<string> {
  const all = ranges(totalBytes);
  let total = 0;
  await pool(all.length, CONCURRENCY, async (i) => {
    const { first, last } = all[i]!;
    let n = 0;
    let head: Buffer | undefined;
    for await (const c of await read(first, last)) {
      if (head === undefined) head = Buffer.from(c.subarray(0, 4));
      n += c.byteLength;
    }
    if (n !== last - first + 1 || head?.readUInt32BE(0) !== first / CHUNK) throw new Error(`range ${first}-${last} came back wrong`);
    total += n;
  });
  return total === totalBytes ? "all bytes" : `only ${total} bytes`;
}

// ----- main ------------------------------------------------------------------------------

function parseSizeMiB(argv: readonly string[]): number {
  const i = argv.indexOf("--size-mib");
  const value = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith("--size-mib="))?.slice("--size-mib=".length);
  if (value === undefined) return 1024;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error("--size-mib must be a positive integer");
  return n;
}

function parseRounds(argv: readonly string[]): number {
  const i = argv.indexOf("--rounds");
  const value = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith("--rounds="))?.slice("--rounds=".length);
  if (value === undefined) return 3;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error("--rounds must be a positive integer");
  return n;
}

function startEmulatorWorker(dataDir: string | undefined): Promise<{ worker: Worker; address: EmulatorAddress }> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { dataDir } });
  return new Promise((resolve, reject) => {
    worker.once("message", (address: EmulatorAddress) => resolve({ worker, address }));
    worker.once("error", reject);
  });
}

async function emulatorWorker(): Promise<void> {
  const { dataDir } = workerData as { dataDir: string | undefined };
  const emulator = await startKs3Emulator({ ...(dataDir === undefined ? {} : { dataDir }), buckets: [BUCKET] });
  const address: EmulatorAddress = {
    endpoint: emulator.endpoint,
    region: emulator.region,
    accessKeyId: emulator.accessKeyId,
    secretAccessKey: emulator.secretAccessKey,
  };
  parentPort!.postMessage(address);
  parentPort!.once("message", () => {
    void emulator.close().then(() => process.exit(0));
  });
}

function row(r: Result): string {
  const mibs = (seconds: number) => (r.bytes / MiB / seconds).toFixed(0);
  const spread = r.spread ? `${mibs(r.spread.slowest)}–${mibs(r.spread.fastest)}` : "";
  return `${r.name.padEnd(34)} ${(r.bytes / MiB / r.seconds).toFixed(1).padStart(8)} MiB/s ${spread.padStart(11)} ${r.seconds.toFixed(2).padStart(8)} s ${(r.cpuSeconds / (r.bytes / GiB)).toFixed(2).padStart(8)} s ${r.peakRssMiB.toFixed(0).padStart(7)} MiB   ${r.check}`;
}

function ratio(a: Result, b: Result): string {
  return (b.seconds / a.seconds).toFixed(2);
}

async function main(): Promise<void> {
  const sizeMiB = parseSizeMiB(process.argv.slice(2));
  const rounds = parseRounds(process.argv.slice(2));
  const totalBytes = sizeMiB * MiB;
  const dataDir = await mkdtemp(join(tmpdir(), "stowage-multipart-bench-"));
  const inMemory = process.argv.includes("--memory");
  const { worker, address } = await startEmulatorWorker(inMemory ? undefined : dataDir);
  const store = createKs3Store({
    bucket: BUCKET,
    endpoint: address.endpoint,
    region: address.region,
    accessKeyId: address.accessKeyId,
    secretAccessKey: address.secretAccessKey,
    addressing: "path",
  });
  const s3 = new S3Client({
    endpoint: address.endpoint,
    region: address.region,
    forcePathStyle: true,
    credentials: { accessKeyId: address.accessKeyId, secretAccessKey: address.secretAccessKey },
  });
  const http = new Pool(address.endpoint, { connections: CONCURRENCY });
  try {
    console.log(
      `multipart benchmark: ${sizeMiB} MiB object, ${PART / MiB} MiB parts, ${CONCURRENCY} in flight, emulator ${address.endpoint} (worker thread, ${inMemory ? "memory" : "disk"}), median of ${rounds} rounds after a warm-up`,
    );
    const expected = await expectedEtags(totalBytes);

    const check = (want: string) => (timed: boolean) => (got: string) => (!timed ? "warm-up" : got === want ? "ETag ok" : `ETag MISMATCH ${got} ≠ ${want}`);
    const multipartOk = check(expected.multipart);
    const singleOk = check(expected.single);

    // The adapter's object is overwritten by each run and is the one the reads then read.
    const uploads = await compare(
      [
        { name: "upload: stowage ks3 uploadPart", run: async (bytes, timed) => multipartOk(timed)(await adapterUpload(store, "adapter.bin", bytes)) },
        {
          name: "upload: @aws-sdk/lib-storage Upload",
          run: async (bytes, timed) => multipartOk(timed)(await libStorageUpload(s3, "lib-storage.bin", bytes)),
          after: () => store.deleteObject("lib-storage.bin"),
        },
        {
          name: "upload: raw undici streamed PUT",
          run: async (bytes, timed) => singleOk(timed)(await rawPut(http, address, "raw.bin", bytes)),
          after: () => store.deleteObject("raw.bin"),
        },
      ],
      totalBytes,
      rounds,
    );

    const reads = await compare(
      [
        {
          name: "ranged read: stowage ks3 getObject",
          run: (bytes) =>
            rangedRead(bytes, async (first, last) => {
              const got = await store.getObject("adapter.bin", { range: { first, last } });
              return got.body as unknown as AsyncIterable<Uint8Array>;
            }),
        },
        {
          name: "ranged read: @aws-sdk/client-s3",
          run: (bytes) =>
            rangedRead(bytes, async (first, last) => {
              const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "adapter.bin", Range: `bytes=${first}-${last}` }));
              return got.Body as AsyncIterable<Uint8Array>;
            }),
        },
        {
          name: "ranged read: raw undici GET",
          run: (bytes) =>
            rangedRead(bytes, async (first, last) => {
              const headers = v2Headers(address, "GET", "adapter.bin", { range: `bytes=${first}-${last}` });
              const res = await http.request({ method: "GET", path: `/${BUCKET}/adapter.bin`, headers });
              if (res.statusCode !== 206) throw new Error(`raw GET answered ${res.statusCode}`);
              return res.body;
            }),
        },
      ],
      totalBytes,
      rounds,
    );

    console.log(`\n${"".padEnd(34)} ${"throughput".padStart(14)} ${"spread".padStart(11)} ${"time".padStart(10)} ${"CPU/GiB".padStart(10)} ${"peak RSS".padStart(11)}`);
    for (const r of [...uploads, ...reads]) console.log(row(r));
    const [ours, lib, raw] = uploads as [Result, Result, Result];
    const [rOurs, rSdk, rRaw] = reads as [Result, Result, Result];
    console.log(`\nupload:      stowage / lib-storage = ${ratio(ours, lib)}×   stowage / raw PUT = ${ratio(ours, raw)}×`);
    console.log(`ranged read: stowage / aws-sdk     = ${ratio(rOurs, rSdk)}×   stowage / raw GET = ${ratio(rOurs, rRaw)}×`);
    console.log(`process max RSS over the whole run: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  } finally {
    await store.close();
    s3.destroy();
    await http.close();
    worker.postMessage("close");
    await new Promise((resolve) => worker.once("exit", resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (isMainThread) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
} else {
  void emulatorWorker();
}
