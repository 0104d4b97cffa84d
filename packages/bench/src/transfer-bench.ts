/**
 * Transfer-engine benchmark (issue 10 §6). Three kinds of process:
 * - the KS3 emulator (s3 profile, data on disk) in a child process of its own;
 * - one fresh client process per contender run, so the peak RSS it reports
 *   (`process.resourceUsage().maxRSS`) is that client's alone, and each contender loads only
 *   its own library (imports are dynamic);
 * - this orchestrator, which starts them, rotates the order each round and prints the table.
 *
 * Peak RSS is the kernel's exact high-water mark, not a sample. Two floor runs go with it: a
 * bare client process, and one that only drains the upload generator. They show what every
 * contender pays before its library does anything (the node binary's pages, and the generator's
 * garbage, which V8 collects only once ~64 MiB of external memory has piled up).
 *
 * Same object, 8 MiB parts and 4 in flight for every contender that has the knobs; the upload
 * source is a generator of 1 MiB chunks (one random template stamped with the chunk index),
 * never a pre-built buffer. Downloads check every 1 MiB stamp and the byte count. The copy's
 * client bytes are counted by a TCP proxy inside the client process (request + response bytes
 * on the wire, headers included: an upper bound of the body bytes).
 *
 * Run: `pnpm build && pnpm --filter @stowage/bench bench:transfer -- --size-mib N [--rounds N] [--only download,copy] [--json FILE]`
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const PART = 8 * MiB;
const CONCURRENCY = 4;
const BUCKET = "bench";

/** How a client reaches the emulator. */
interface Address {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** What one client run reports. */
interface RunResult {
  seconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
  /** Peak RSS minus the RSS when the timed run began (libraries loaded, client built): what the transfer itself added. */
  transferRssMiB: number;
  check: string;
  clientBodyBytes?: number;
}

type Phase = "upload" | "download" | "copy";

const CONTENDERS: Record<Phase, string[]> = {
  upload: ["stowage", "lib-storage", "minio", "opendal", "raw"],
  download: ["stowage", "aws-sdk", "raw"],
  copy: ["stowage", "download-then-upload"],
};

// ----- data ------------------------------------------------------------------------------

/** Chunk `i`: a fixed random template stamped with `i` (the template is seeded per process, content does not matter). */
function makeChunks(totalBytes: number): () => AsyncGenerator<Buffer> {
  const template = randomBytes(MiB);
  return async function* () {
    for (let i = 0; i * MiB < totalBytes; i++) {
      const c = Buffer.from(template.subarray(0, Math.min(MiB, totalBytes - i * MiB)));
      if (c.byteLength >= 4) c.writeUInt32BE(i, 0);
      yield c;
    }
  };
}

/** Consumes a stream, checking the byte count and every 1 MiB stamp. */
async function checkStream(body: AsyncIterable<Uint8Array>, totalBytes: number): Promise<string> {
  let offset = 0;
  let bad = 0;
  for await (const chunk of body) {
    const c = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const firstStamp = Math.ceil(offset / MiB) * MiB;
    for (let at = firstStamp; at + 4 <= offset + c.byteLength; at += MiB) if (c.readUInt32BE(at - offset) !== at / MiB) bad++;
    offset += c.byteLength;
  }
  return offset !== totalBytes ? `WRONG SIZE ${offset}` : bad > 0 ? `${bad} BAD STAMPS` : "bytes ok";
}

// ----- the emulator process ---------------------------------------------------------------

async function emulatorProcess(dataDir: string): Promise<void> {
  const { startKs3Emulator } = await import("@stowage/emulator-ks3");
  const emulator = await startKs3Emulator({ profile: "s3", dataDir, buckets: [BUCKET] });
  const address: Address = { endpoint: emulator.endpoint, region: emulator.region, accessKeyId: emulator.accessKeyId, secretAccessKey: emulator.secretAccessKey };
  process.stdout.write(`${JSON.stringify(address)}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => void emulator.close().then(() => process.exit(0)));
}

// ----- the client process -----------------------------------------------------------------

/** A TCP proxy counting every byte both ways, for the copy phase. */
async function countingProxy(target: string): Promise<{ endpoint: string; bytes: () => number; close: () => void }> {
  const url = new URL(target);
  let bytes = 0;
  const server = createServer((client) => {
    const upstream = connect(Number(url.port), url.hostname);
    client.on("data", (d: Buffer) => (bytes += d.byteLength));
    upstream.on("data", (d: Buffer) => (bytes += d.byteLength));
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bytes: () => bytes, close: () => server.close() };
}

async function stowageStore(address: Address) {
  const { createKs3Store } = await import("@stowage/adapter-ks3");
  return createKs3Store({
    bucket: BUCKET,
    endpoint: address.endpoint,
    region: address.region,
    accessKeyId: address.accessKeyId,
    secretAccessKey: address.secretAccessKey,
    addressing: "path",
    limits: { multipartPartNumbersContiguous: false, listObjectsWithDelimiterMaxPageSize: 1000 },
  });
}

async function awsClient(address: Address) {
  const { S3Client } = await import("@aws-sdk/client-s3");
  return new S3Client({ endpoint: address.endpoint, region: address.region, forcePathStyle: true, credentials: { accessKeyId: address.accessKeyId, secretAccessKey: address.secretAccessKey } });
}

async function v2Headers(address: Address, method: string, key: string, extra: Record<string, string>): Promise<Record<string, string>> {
  const { kssV2Authorization } = await import("@stowage/adapter-s3-family");
  const headers: Record<string, string> = { date: new Date().toUTCString(), ...extra };
  headers["authorization"] = kssV2Authorization({ method, resource: `/${BUCKET}/${key}`, query: new URLSearchParams(), headers, headerPrefix: "x-kss-" }, address.accessKeyId, address.secretAccessKey);
  return headers;
}

/** Runs one contender once (after nothing else in this process) and returns what it did. */
async function runContender(phase: Phase | "baseline", name: string, address: Address, totalBytes: number): Promise<RunResult> {
  const chunks = makeChunks(totalBytes);
  const key = `${phase}-${name}.bin`;
  let run: () => Promise<string>;
  let cleanup = async (): Promise<void> => undefined;
  let proxy: Awaited<ReturnType<typeof countingProxy>> | undefined;
  if (phase === "baseline") {
    // What a client process costs before any library: bare Node, or Node draining the generator
    // every upload contender reads (its 1 MiB chunks are garbage the GC frees only in batches).
    run = name === "generator" ? async () => `${(await checkStream(chunks(), totalBytes)) === "bytes ok" ? "drained" : "WRONG"}` : async () => "idle";
  } else if (phase === "upload") {
    if (name === "stowage") {
      const { upload } = await import("@stowage/transfer");
      const store = await stowageStore(address);
      run = async () => `${(await upload(store, key, chunks(), { partSize: PART, concurrency: CONCURRENCY })).size === totalBytes ? "size ok" : "WRONG SIZE"}`;
      cleanup = () => store.close();
    } else if (name === "lib-storage") {
      const { Upload } = await import("@aws-sdk/lib-storage");
      const s3 = await awsClient(address);
      run = async () => {
        await new Upload({ client: s3, params: { Bucket: BUCKET, Key: key, Body: Readable.from(chunks()) }, partSize: PART, queueSize: CONCURRENCY, leavePartsOnError: false }).done();
        return "done";
      };
      cleanup = async () => s3.destroy();
    } else if (name === "minio") {
      const { Client } = await import("minio");
      const url = new URL(address.endpoint);
      const client = new Client({ endPoint: url.hostname, port: Number(url.port), useSSL: false, accessKey: address.accessKeyId, secretKey: address.secretAccessKey, region: address.region, pathStyle: true, partSize: PART });
      run = async () => {
        await client.putObject(BUCKET, key, Readable.from(chunks()), totalBytes);
        return "done";
      };
    } else if (name === "opendal") {
      const { Operator } = await import("opendal");
      const op = new Operator("s3", { bucket: BUCKET, endpoint: address.endpoint, region: address.region, access_key_id: address.accessKeyId, secret_access_key: address.secretAccessKey, root: "/" });
      run = async () => {
        const writer = await op.writer(key, { chunk: BigInt(PART) });
        for await (const c of chunks()) await writer.write(c);
        await writer.close();
        return "done";
      };
    } else {
      const { Pool } = await import("undici");
      const http = new Pool(address.endpoint, { connections: 1 });
      run = async () => {
        const headers = await v2Headers(address, "PUT", key, { "content-type": "application/octet-stream", "content-length": String(totalBytes) });
        const res = await http.request({ method: "PUT", path: `/${BUCKET}/${key}`, headers, body: Readable.from(chunks()) });
        await res.body.dump();
        return res.statusCode === 200 ? "done" : `HTTP ${res.statusCode}`;
      };
      cleanup = () => http.close();
    }
  } else if (phase === "download") {
    const source = "download-source.bin";
    if (name === "stowage") {
      const { download } = await import("@stowage/transfer");
      const store = await stowageStore(address);
      run = async () => checkStream((await download(store, source, { partSize: PART, concurrency: CONCURRENCY })).body, totalBytes);
      cleanup = () => store.close();
    } else if (name === "aws-sdk") {
      const { GetObjectCommand } = await import("@aws-sdk/client-s3");
      const s3 = await awsClient(address);
      run = async () => checkStream((await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: source }))).Body as AsyncIterable<Uint8Array>, totalBytes);
      cleanup = async () => s3.destroy();
    } else {
      const { Pool } = await import("undici");
      const http = new Pool(address.endpoint, { connections: 1 });
      run = async () => {
        const res = await http.request({ method: "GET", path: `/${BUCKET}/${source}`, headers: await v2Headers(address, "GET", source, {}) });
        return res.statusCode === 200 ? checkStream(res.body, totalBytes) : `HTTP ${res.statusCode}`;
      };
      cleanup = () => http.close();
    }
  } else {
    const source = "download-source.bin";
    proxy = await countingProxy(address.endpoint);
    const { copy, download, upload } = await import("@stowage/transfer");
    const store = await stowageStore({ ...address, endpoint: proxy.endpoint });
    run =
      name === "stowage"
        ? async () => `${(await copy(store, source, key, { partSize: PART, concurrency: CONCURRENCY })).size === totalBytes ? "size ok" : "WRONG SIZE"}`
        : async () => {
            const { body } = await download(store, source, { partSize: PART, concurrency: CONCURRENCY });
            return `${(await upload(store, key, body, { partSize: PART, concurrency: CONCURRENCY })).size === totalBytes ? "size ok" : "WRONG SIZE"}`;
          };
    cleanup = () => store.close();
  }
  const startRss = process.memoryUsage().rss;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const check = await run();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  await cleanup();
  proxy?.close();
  return {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: peakRss / MiB,
    transferRssMiB: (peakRss - startRss) / MiB,
    check,
    ...(proxy ? { clientBodyBytes: proxy.bytes() } : {}),
  };
}

// ----- the orchestrator -------------------------------------------------------------------

const self = fileURLToPath(import.meta.url);

function child(args: string[]): ChildProcess {
  // The AWS SDK's notice that its 2027 releases need Node 22 would otherwise fill the table's
  // output once per child; it changes nothing measured.
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
  return spawn(process.execPath, [self, ...args], { stdio: ["pipe", "pipe", "inherit"], env });
}

async function firstLine(proc: ChildProcess): Promise<string> {
  const lines = createInterface({ input: proc.stdout! });
  for await (const line of lines) if (line.trim() !== "") return line;
  throw new Error("the child process exited without answering");
}

async function clientRun(phase: Phase | "baseline", name: string, address: Address, totalBytes: number): Promise<RunResult> {
  const proc = child(["--client", JSON.stringify({ phase, name, address, totalBytes })]);
  const line = await firstLine(proc);
  await new Promise((resolve) => proc.once("exit", resolve));
  return JSON.parse(line) as RunResult;
}

function argOf(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

function medianOf(runs: RunResult[]): RunResult & { spread: [number, number] } {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { ...mid, peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)), transferRssMiB: Math.max(...runs.map((r) => r.transferRssMiB)), check: [...new Set(runs.map((r) => r.check))].join(", "), spread: [sorted.at(-1)!.seconds, sorted[0]!.seconds] };
}

async function main(argv: readonly string[]): Promise<void> {
  const sizeMiB = Number(argOf(argv, "--size-mib") ?? 1024);
  const rounds = Number(argOf(argv, "--rounds") ?? 1);
  const jsonFile = argOf(argv, "--json");
  // `--only download` (or a comma list of phases): run just those phases; the others print n/a.
  const only = argOf(argv, "--only")?.split(",");
  if (only?.some((p) => !(p in CONTENDERS))) throw new Error("--only takes upload, download and/or copy");
  if (!Number.isInteger(sizeMiB) || sizeMiB < 1) throw new Error("--size-mib must be a positive integer");
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds must be a positive integer");
  const totalBytes = sizeMiB * MiB;
  const dataDir = await mkdtemp(join(tmpdir(), "stowage-transfer-bench-"));
  const emulator = child(["--emulator", dataDir]);
  try {
    const address = JSON.parse(await firstLine(emulator)) as Address;
    console.log(`transfer benchmark: ${sizeMiB} MiB, ${PART / MiB} MiB parts × ${CONCURRENCY} in flight, KS3 emulator (s3 profile, on disk) in its own process at ${address.endpoint}; one client process per run; median of ${rounds} round(s)`);
    // The object the downloads and copies read, written once (untimed) by the raw PUT contender.
    await clientRun("upload", "raw", address, totalBytes);
    // The floor under every contender's peak RSS (see printTable).
    const baseline = { bareNodeMiB: (await clientRun("baseline", "idle", address, totalBytes)).peakRssMiB, generatorOnlyMiB: (await clientRun("baseline", "generator", address, totalBytes)).peakRssMiB };
    const report: Record<Phase, Record<string, ReturnType<typeof medianOf>>> = { upload: {}, download: {}, copy: {} };
    for (const phase of ["upload", "download", "copy"] as Phase[]) {
      if (only !== undefined && !only.includes(phase)) continue;
      if (phase === "download" || (phase === "copy" && only !== undefined && !only.includes("download"))) await renameSource(address, totalBytes);
      const names = CONTENDERS[phase];
      const runs = new Map<string, RunResult[]>(names.map((n) => [n, []]));
      for (let r = 0; r < rounds; r++) {
        for (let k = 0; k < names.length; k++) {
          const name = names[(r + k) % names.length]!;
          try {
            runs.get(name)!.push(await clientRun(phase, name, address, totalBytes));
          } catch (err) {
            console.log(`${phase} ${name}: FAILED ${(err as Error).message}`);
          }
        }
      }
      for (const [name, list] of runs) if (list.length > 0) report[phase][name] = medianOf(list);
    }
    printTable(report, totalBytes, baseline);
    if (jsonFile !== undefined) {
      const pick = (phase: Phase, extra: (r: RunResult) => Record<string, number> = () => ({})) =>
        Object.fromEntries(Object.entries(report[phase]).map(([n, r]) => [n, { mibPerSec: round(totalBytes / MiB / r.seconds), peakRssMiB: round(r.peakRssMiB), transferRssMiB: round(r.transferRssMiB), cpuSecondsPerGiB: round(r.cpuSeconds / (totalBytes / GiB)), ...extra(r) }]));
      const json = { sizeMiB, partSizeMiB: PART / MiB, concurrency: CONCURRENCY, rounds, baselinePeakRssMiB: { bareNode: round(baseline.bareNodeMiB), generatorOnly: round(baseline.generatorOnlyMiB) }, upload: pick("upload"), download: pick("download"), copy: pick("copy", (r) => ({ clientBodyBytes: r.clientBodyBytes ?? -1 })) };
      await writeFile(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
      console.log(`wrote ${jsonFile}`);
    }
  } finally {
    emulator.stdin!.end();
    await new Promise((resolve) => emulator.once("exit", resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The raw contender's object becomes the download/copy source (a server-side copy, untimed). */
async function renameSource(address: Address, totalBytes: number): Promise<void> {
  void totalBytes;
  const store = await stowageStore(address);
  await store.copyObject("download-source.bin", { source: { key: "upload-raw.bin" } });
  await store.close();
}

const round = (n: number): number => Math.round(n * 100) / 100;

function printTable(report: Record<Phase, Record<string, ReturnType<typeof medianOf>>>, totalBytes: number, baseline: { bareNodeMiB: number; generatorOnlyMiB: number }): void {
  const mibs = (s: number) => totalBytes / MiB / s;
  console.log(`\n${"".padEnd(30)} ${"MiB/s".padStart(8)} ${"spread".padStart(11)} ${"CPU s/GiB".padStart(10)} ${"peak RSS".padStart(10)} ${"+in run".padStart(8)}  check`);
  for (const phase of ["upload", "download", "copy"] as Phase[]) {
    for (const [name, r] of Object.entries(report[phase])) {
      const extra = r.clientBodyBytes !== undefined ? `  client bytes ${(r.clientBodyBytes / MiB).toFixed(2)} MiB` : "";
      console.log(
        `${`${phase}: ${name}`.padEnd(30)} ${mibs(r.seconds).toFixed(1).padStart(8)} ${`${mibs(r.spread[0]).toFixed(0)}–${mibs(r.spread[1]).toFixed(0)}`.padStart(11)} ${(r.cpuSeconds / (totalBytes / GiB)).toFixed(2).padStart(10)} ${`${r.peakRssMiB.toFixed(0)} MiB`.padStart(10)} ${`${r.transferRssMiB.toFixed(0)} MiB`.padStart(8)}  ${r.check}${extra}`,
      );
    }
  }
  const ratio = (phase: Phase, a: string, b: string): string => {
    const x = report[phase][a];
    const y = report[phase][b];
    return x && y ? `${(y.seconds / x.seconds).toFixed(2)}×` : "n/a";
  };
  console.log(`\nupload:   stowage / lib-storage = ${ratio("upload", "stowage", "lib-storage")} (target ≥ 1.5)   stowage / raw PUT = ${ratio("upload", "stowage", "raw")} (target ≥ 0.9)   stowage / minio = ${ratio("upload", "stowage", "minio")}   stowage / opendal = ${ratio("upload", "stowage", "opendal")}`);
  console.log(`download: stowage / aws-sdk = ${ratio("download", "stowage", "aws-sdk")} (target ≥ 1.2)   stowage / raw GET = ${ratio("download", "stowage", "raw")} (target ≥ 0.9)`);
  console.log(`copy:     stowage / download-then-upload = ${ratio("copy", "stowage", "download-then-upload")}`);
  const target = ((CONCURRENCY + 1) * PART) / MiB + 64;
  const rssOf = (phase: Phase, name: string): string => {
    const r = report[phase][name];
    return r ? `${r.peakRssMiB.toFixed(0)} MiB peak, +${r.transferRssMiB.toFixed(0)} MiB in the run` : "n/a";
  };
  // Peak RSS is the kernel's high-water mark (getrusage maxrss) of the client process alone. It
  // includes the node binary's own pages, the code of the libraries loaded (undici alone adds
  // ~18 MiB) and the generator's garbage, which V8 lets pile up before it collects. "+in run" is
  // the peak minus the RSS when the timed run began, libraries loaded and client built: what the
  // transfer itself added.
  console.log(`RSS target: ≤ (${CONCURRENCY} + 1) × ${PART / MiB} MiB + 64 MiB = ${target} MiB. upload stowage ${rssOf("upload", "stowage")}; download stowage ${rssOf("download", "stowage")}`);
  console.log(`RSS floor: bare node ${baseline.bareNodeMiB.toFixed(0)} MiB; node draining the upload generator ${baseline.generatorOnlyMiB.toFixed(0)} MiB; that floor + the ${((CONCURRENCY + 1) * PART) / MiB} MiB of part buffers = ${(baseline.generatorOnlyMiB + ((CONCURRENCY + 1) * PART) / MiB).toFixed(0)} MiB before any HTTP client is loaded`);
  console.log(`peak RSS, others: upload raw ${rssOf("upload", "raw")}, lib-storage ${rssOf("upload", "lib-storage")}, opendal ${rssOf("upload", "opendal")}; download raw ${rssOf("download", "raw")}, aws-sdk ${rssOf("download", "aws-sdk")}`);
}

const argv = process.argv.slice(2);
if (argv[0] === "--emulator") {
  void emulatorProcess(argv[1]!);
} else if (argv[0] === "--client") {
  const { phase, name, address, totalBytes } = JSON.parse(argv[1]!) as { phase: Phase | "baseline"; name: string; address: Address; totalBytes: number };
  runContender(phase, name, address, totalBytes).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main(argv).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
