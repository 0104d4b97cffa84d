/**
 * ESA Edge KV benchmark: put and get of 1 KiB and 1 MiB values through the Stowage adapter,
 * through the official SDK (`@alicloud/esa20240910`) and as a raw signed undici request, all
 * against one in-process emulator, in one run. Prints ops/s, p50 and p99 latency and the ratios
 * (targets: adapter ≥ 2× the SDK's throughput on 1 KiB, and within 15% of the raw request).
 *
 * Run: `pnpm --filter @stowage/bench bench:esa-kv` (after `pnpm build`).
 *
 * Every client writes `Base64=true` values and reads them with `Base64=true`, so all three do
 * the same wire work. The raw client uses the adapter's pure signing functions (signing is
 * work any client must do) on a bare undici Pool, with no facade, layers or client object.
 *
 * The emulator runs in a worker thread of this process: like a remote service it then does not
 * take turns with the client on one event loop, so the figures show the clients' own cost.
 * Each client also runs in a worker thread of its own, so no client shares a JIT or a heap
 * with another: in one shared thread, whichever client was constructed first measured up to
 * 15% faster on 1 KiB gets (the same two clients swapped places when their order was swapped),
 * because the signing code they share had been optimized for the first one's objects.
 * The main thread only conducts: the clients take turns in several rounds (rotating who goes
 * first), so a change in machine load during the run hits all of them alike. Besides
 * wall-clock throughput and latency, each row shows the client thread's busy time per
 * operation (event-loop utilization), which is the client's CPU cost and barely moves with
 * load from other processes, and the emulator thread's busy time per operation in the same
 * turns: where it nears the wall time per operation, the shared server, not the client, bounds
 * that row's throughput.
 *
 * The figures are steady-state ones. Every client first runs thousands of unmeasured operations
 * (which also warm the emulator), and each measured 1 KiB turn is hundreds of operations long:
 * with a 300-operation warm-up and 100-operation turns, JIT tier-up and the ramp at each turn's
 * start and end held every client 20–40% below its steady rate, and the fastest clients most.
 * Throughput is the interquartile mean of a client's per-turn rates (the mean of the middle
 * half), printed with their spread: the rate of single turns varies by up to half (mostly in the
 * emulator thread, whose busy time per operation moves with it: garbage collection, machine
 * load), and trimming the fastest and slowest quarter lets such turns count neither by their
 * length nor by luck, for every client alike. Runs still differ by up to about 10% per client on
 * a busy 2-core machine; the CPU columns do not, and show what each client costs.
 */
import { randomUUID } from "node:crypto";
import { performance, type EventLoopUtilization } from "node:perf_hooks";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import * as EsaModule from "@alicloud/esa20240910";
import * as OpenApiModule from "@alicloud/openapi-core";
import { acs3Authorization, acsDate, canonicalQueryString, createEsaKvStore, formBody, hashPayload } from "@stowage/adapter-esa-kv";
import { startEsaKvEmulator } from "@stowage/emulator-esa-kv";
import { Pool } from "undici";

const NAMESPACE = "bench";
/** Repeats allowed while seeding: one per pooled socket a client may have left idle. */
const STALE_SOCKET_REPEATS = 16;
const KEYS = 64;

/** What the clients need to know about the emulator. */
interface EmulatorAddress {
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
}

interface Scenario {
  label: string;
  bytes: number;
  /** Measured operations per client and operation, split over `rounds` turns. */
  ops: number;
  /**
   * Turns each client takes (a multiple of the three clients, so each goes first, second and
   * third equally often). Many short turns spread a change in machine load evenly over the
   * clients, and keep every client's pooled connections younger than the server's 5 s
   * keep-alive timeout while the others run.
   */
  rounds: number;
  warmup: number;
  concurrency: number;
}

const SCENARIOS: Scenario[] = [
  { label: "1 KiB", bytes: 1024, ops: 9600, rounds: 24, warmup: 3000, concurrency: 8 },
  { label: "1 MiB", bytes: 1024 * 1024, ops: 48, rounds: 12, warmup: 8, concurrency: 4 },
];

/** One client under test: put and get of one key. */
interface BenchClient {
  name: string;
  put(key: string, value: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

// ----- the three clients ------------------------------------------------------------------

function adapterClient(emulator: EmulatorAddress): BenchClient {
  const store = createEsaKvStore({
    namespace: NAMESPACE,
    endpoint: emulator.endpoint,
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: emulator.accessKeySecret,
  });
  return {
    name: "stowage adapter",
    put: (key, value) => store.put(key, value),
    async get(key) {
      const value = await store.get(key);
      if (value === undefined) throw new Error(`adapter: ${key} missing`);
      return value;
    },
    close: () => store.close(),
  };
}

// The SDK ships CommonJS with `exports.default = Client`; under Node ESM the class may sit one
// `default` deeper than the types say.
function unwrapDefault<T>(module: unknown): T {
  const inner = (module as { default: unknown }).default as { default?: T };
  return (typeof inner === "function" ? inner : (inner.default ?? inner)) as T;
}

function sdkClient(emulator: EmulatorAddress): BenchClient {
  const Client = unwrapDefault<typeof EsaModule.default.default>(EsaModule);
  const client = new Client(
    new OpenApiModule.$OpenApiUtil.Config({
      accessKeyId: emulator.accessKeyId,
      accessKeySecret: emulator.accessKeySecret,
      endpoint: new URL(emulator.endpoint).host,
      protocol: "http",
      regionId: "cn-hangzhou",
    }),
  );
  return {
    name: "official SDK",
    async put(key, value) {
      await client.putKv(new EsaModule.PutKvRequest({ namespace: NAMESPACE, key, value: Buffer.from(value).toString("base64"), base64: true }));
    },
    async get(key) {
      const response = await client.getKv(new EsaModule.GetKvRequest({ namespace: NAMESPACE, key, base64: true }));
      return new Uint8Array(Buffer.from(response.body?.value ?? "", "base64"));
    },
    close: async () => undefined,
  };
}

function rawClient(emulator: EmulatorAddress): BenchClient {
  const origin = emulator.endpoint;
  const host = new URL(origin).host;
  const pool = new Pool(origin, { connections: 16, keepAliveTimeout: 30_000 });
  async function call(action: string, method: "GET" | "POST", query: Record<string, string>, form?: Record<string, string>): Promise<Record<string, unknown>> {
    const body = form === undefined ? undefined : formBody(form);
    const hashed = hashPayload(body ?? "");
    const headers: Record<string, string> = {
      host,
      "x-acs-action": action,
      "x-acs-version": "2024-09-10",
      "x-acs-date": acsDate(Date.now()),
      "x-acs-signature-nonce": randomUUID(),
      "x-acs-content-sha256": hashed,
    };
    if (body !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
    const canonicalQuery = canonicalQueryString(query);
    headers["authorization"] = acs3Authorization({ method, pathname: "/", query, canonicalQuery, headers, hashedPayload: hashed }, emulator.accessKeyId, emulator.accessKeySecret);
    const response = await pool.request({ path: `/?${canonicalQuery}`, method, headers, body: body ?? null });
    const json = (await response.body.json()) as Record<string, unknown>;
    if (response.statusCode !== 200) throw new Error(`raw ${action}: HTTP ${response.statusCode} ${String(json["Code"])}`);
    return json;
  }
  return {
    name: "raw undici",
    async put(key, value) {
      await call("PutKv", "POST", { Namespace: NAMESPACE, Key: key, Base64: "true" }, { Value: Buffer.from(value).toString("base64") });
    },
    async get(key) {
      const json = await call("GetKv", "GET", { Namespace: NAMESPACE, Key: key, Base64: "true" });
      return new Uint8Array(Buffer.from(String(json["Value"] ?? ""), "base64"));
    },
    close: () => pool.close(),
  };
}

// ----- measuring --------------------------------------------------------------------------

/** Accumulated over the rounds of one client, scenario and operation. */
class Tally {
  readonly latencies: number[] = [];
  ops = 0;
  /** Operations repeated once after a connection error (a pooled socket the server had closed). */
  retried = 0;
  wallMs = 0;
  busyMs = 0;
  /** The emulator thread's busy time during these turns. */
  serverBusyMs = 0;
  /** Each turn's ops/s. */
  readonly turnRates: number[] = [];
  /** Adds a turn measured in a client worker, and the emulator's busy time during it. */
  add(turn: TurnResult, ops: number, serverBusyMs: number): void {
    this.latencies.push(...turn.latencies);
    this.wallMs += turn.wallMs;
    this.busyMs += turn.busyMs;
    this.serverBusyMs += serverBusyMs;
    this.turnRates.push((ops / turn.wallMs) * 1000);
    this.retried += turn.retried;
    this.ops += ops;
  }
  /** The interquartile mean of the turns' rates: the mean of the middle half. */
  get opsPerSecond(): number {
    const sorted = [...this.turnRates].sort((a, b) => a - b);
    const quarter = Math.floor(sorted.length / 4);
    const middle = sorted.slice(quarter, sorted.length - quarter);
    return middle.reduce((sum, rate) => sum + rate, 0) / middle.length;
  }
  /** The slowest and the fastest turn's rate, as `min–max`. */
  get turnSpread(): string {
    return `${Math.round(Math.min(...this.turnRates))}–${Math.round(Math.max(...this.turnRates))}`;
  }
  get busyMicrosPerOp(): number {
    return (this.busyMs * 1000) / this.ops;
  }
  get serverBusyMicrosPerOp(): number {
    return (this.serverBusyMs * 1000) / this.ops;
  }
  percentile(p: number): number {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  }
}

/** Runs `count` operations with `concurrency` in flight, adding latencies, wall time and main-thread busy time to `tally`. */
async function measure(count: number, concurrency: number, op: (i: number) => Promise<void>, tally?: Tally): Promise<void> {
  let next = 0;
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      // A repeat is counted in the time.
      const repeated = await repeatedOnConnectionError(() => op(i));
      if (tally) tally.retried += repeated;
      tally?.latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (!tally) return;
  tally.wallMs += performance.now() - started;
  tally.busyMs += performance.eventLoopUtilization(elu).active;
  tally.ops += count;
}

/**
 * Runs `op`, again (up to `repeats` times) while it fails on a keep-alive socket the server had
 * closed under it: a client idle while the others run can lose that race, on each of its idle
 * sockets in turn. Resolves how many times it was repeated.
 */
async function repeatedOnConnectionError(op: () => Promise<unknown>, repeats = 1): Promise<number> {
  for (let repeated = 0; ; repeated++) {
    try {
      await op();
      return repeated;
    } catch (err) {
      if (!isConnectionError(err) || repeated >= repeats) throw err;
    }
  }
}

function isConnectionError(err: unknown): boolean {
  const text = `${String((err as { code?: unknown })?.code)} ${String((err as { cause?: { code?: unknown } })?.cause?.code)} ${String(err)}`;
  return /EPIPE|ECONNRESET|UND_ERR_SOCKET|other side closed|socket hang up|Network/.test(text);
}

function valueOf(bytes: number, seed: number): Uint8Array {
  const value = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) value[i] = (i * 31 + seed) & 0xff;
  return value;
}

type Op = "put" | "get";
const OPS: Op[] = ["put", "get"];

/** One measured turn, as a client worker reports it. */
interface TurnResult {
  latencies: number[];
  wallMs: number;
  busyMs: number;
  retried: number;
}

/** What the conductor asks a client worker to do. */
type ClientCommand =
  | { cmd: "prepare"; scenario: Scenario }
  | { cmd: "measure"; scenario: Scenario; op: Op; count: number }
  | { cmd: "close" };

/** A client running in its own worker thread, driven turn by turn from the main thread. */
interface ClientWorker {
  name: string;
  request<T>(command: ClientCommand): Promise<T>;
  stop(): Promise<void>;
}

const CLIENT_FACTORIES: Record<string, (address: EmulatorAddress) => BenchClient> = {
  raw: rawClient,
  adapter: adapterClient,
  sdk: sdkClient,
};

async function startClientWorker(kind: string, address: EmulatorAddress): Promise<ClientWorker> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: "client", kind, address } });
  const name = await new Promise<string>((resolve, reject) => {
    worker.once("message", (m: { name: string }) => resolve(m.name));
    worker.once("error", reject);
  });
  const request = <T>(command: ClientCommand) =>
    new Promise<T>((resolve, reject) => {
      const onError = (err: unknown) => reject(err);
      worker.once("error", onError);
      worker.once("message", (reply: { ok: true; value: T } | { ok: false; error: string }) => {
        worker.off("error", onError);
        if (reply.ok) resolve(reply.value);
        else reject(new Error(`${name}: ${reply.error}`));
      });
      worker.postMessage(command);
    });
  return {
    name,
    request,
    stop: async () => {
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      await request({ cmd: "close" });
      await exited;
    },
  };
}

/** The client worker's side: build the client, then answer the conductor's commands. */
async function serveClient(kind: string, address: EmulatorAddress): Promise<void> {
  const client = CLIENT_FACTORIES[kind]!(address);
  const valueFor = (scenario: Scenario) => valueOf(scenario.bytes, scenario.bytes & 0xff);
  const key = (scenario: Scenario, i: number) => `${client.name.replace(/\W/g, "_")}_${scenario.bytes}_${i % KEYS}`;
  const run = (scenario: Scenario, op: Op) => {
    const value = valueFor(scenario);
    return op === "put" ? (i: number) => client.put(key(scenario, i), value) : async (i: number) => void (await client.get(key(scenario, i)));
  };
  parentPort!.on("message", (command: ClientCommand) => {
    const answer = async (): Promise<unknown> => {
      switch (command.cmd) {
        case "prepare": {
          // Seed every key, check the round trip once, and warm the JIT and the connection pool.
          // Unmeasured, after the client sat idle while the others were seeded: any stale socket may fail.
          const { scenario } = command;
          const value = valueFor(scenario);
          for (let i = 0; i < KEYS; i++) await repeatedOnConnectionError(() => client.put(key(scenario, i), value), STALE_SOCKET_REPEATS);
          let back: Uint8Array = new Uint8Array();
          await repeatedOnConnectionError(async () => (back = await client.get(key(scenario, 0))), STALE_SOCKET_REPEATS);
          if (Buffer.compare(Buffer.from(back), Buffer.from(value)) !== 0) throw new Error("value did not round-trip");
          for (const op of OPS) await measure(scenario.warmup, scenario.concurrency, run(scenario, op));
          return null;
        }
        case "measure": {
          const tally = new Tally();
          await measure(command.count, command.scenario.concurrency, run(command.scenario, command.op), tally);
          return { latencies: tally.latencies, wallMs: tally.wallMs, busyMs: tally.busyMs, retried: tally.retried } satisfies TurnResult;
        }
        case "close":
          await client.close();
          setImmediate(() => parentPort!.close());
          return null;
      }
    };
    answer().then(
      (value) => parentPort!.postMessage({ ok: true, value }),
      (err: unknown) => parentPort!.postMessage({ ok: false, error: String(err) }),
    );
  });
  parentPort!.postMessage({ name: client.name });
}

async function runScenario(scenario: Scenario, clients: ClientWorker[], emulator: EmulatorWorker): Promise<Map<string, Record<Op, Tally>>> {
  for (const client of clients) await client.request({ cmd: "prepare", scenario });
  const results = new Map(clients.map((c) => [c.name, { put: new Tally(), get: new Tally() }]));
  const perRound = Math.ceil(scenario.ops / scenario.rounds);
  for (const op of OPS) {
    for (let round = 0; round < scenario.rounds; round++) {
      for (let c = 0; c < clients.length; c++) {
        const client = clients[(c + round) % clients.length]!;
        const serverBefore = emulator.eventLoopUtilization();
        const turn = await client.request<TurnResult>({ cmd: "measure", scenario, op, count: perRound });
        results.get(client.name)![op].add(turn, perRound, emulator.eventLoopUtilization(serverBefore).active);
      }
    }
  }
  return results;
}

/** The emulator's worker thread, seen from the conductor. */
interface EmulatorWorker {
  address: EmulatorAddress;
  /** The emulator thread's event-loop utilization (since `since`, when given). */
  eventLoopUtilization(since?: EventLoopUtilization): EventLoopUtilization;
  stop(): Promise<void>;
}

/** Starts the emulator in a worker thread; resolves once it listens. */
async function startEmulatorWorker(): Promise<EmulatorWorker> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: "emulator" } });
  const address = await new Promise<EmulatorAddress>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return {
    address,
    eventLoopUtilization: (since) => worker.performance.eventLoopUtilization(since),
    stop: async () => {
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage("close");
      await exited;
    },
  };
}

/** The worker thread's side: serve until told to close. */
async function serveEmulator(): Promise<void> {
  const emulator = await startEsaKvEmulator({ namespaces: [NAMESPACE] });
  parentPort!.once("message", () => {
    void emulator.close().then(() => parentPort!.close());
  });
  parentPort!.postMessage({ endpoint: emulator.endpoint, accessKeyId: emulator.accessKeyId, accessKeySecret: emulator.accessKeySecret } satisfies EmulatorAddress);
}

// ----- report -----------------------------------------------------------------------------

const pad = (s: string, n: number) => s.padEnd(n);
const num = (n: number, digits = 0) => n.toFixed(digits).padStart(10);

async function main(): Promise<void> {
  const started = performance.now();
  const emulator = await startEmulatorWorker();
  const { address } = emulator;
  const clients = [await startClientWorker("raw", address), await startClientWorker("adapter", address), await startClientWorker("sdk", address)];
  let missed = 0;
  try {
    console.log(`ESA Edge KV benchmark: emulator and each client in worker threads of one process; emulator at ${address.endpoint}; Node ${process.version}\n`);
    for (const scenario of SCENARIOS) {
      const results = await runScenario(scenario, clients, emulator);
      console.log(`${scenario.label} values: ${scenario.rounds} rounds × ${Math.ceil(scenario.ops / scenario.rounds)} ops per client and operation, ${scenario.concurrency} in flight`);
      console.log(
        `  ${pad("client", 17)}${pad("op", 5)}${"ops/s".padStart(10)}${"p50 ms".padStart(10)}${"p99 ms".padStart(10)}` +
          `${"wall µs/op".padStart(12)}${"busy µs/op".padStart(12)}${"emulator µs/op".padStart(16)}  turns ops/s`,
      );
      for (const [name, r] of results) {
        for (const op of OPS) {
          const t = r[op];
          const retried = t.retried ? `  (${t.retried} repeated after a connection error)` : "";
          console.log(
            `  ${pad(name, 17)}${pad(op, 5)}${num(t.opsPerSecond)}${num(t.percentile(50), 2)}${num(t.percentile(99), 2)}` +
              `${num(t.wallMs * 1000 / t.ops).padStart(12)}${num(t.busyMicrosPerOp).padStart(12)}${num(t.serverBusyMicrosPerOp).padStart(16)}  ${t.turnSpread}${retried}`,
          );
        }
      }
      const ours = results.get("stowage adapter")!;
      const sdk = results.get("official SDK")!;
      const raw = results.get("raw undici")!;
      for (const op of OPS) {
        const vsSdk = ours[op].opsPerSecond / sdk[op].opsPerSecond;
        const vsRaw = ours[op].opsPerSecond / raw[op].opsPerSecond;
        const cpuVsSdk = sdk[op].busyMicrosPerOp / ours[op].busyMicrosPerOp;
        const cpuVsRaw = raw[op].busyMicrosPerOp / ours[op].busyMicrosPerOp;
        let verdict = "";
        if (scenario.bytes === 1024) {
          const ok = vsSdk >= 2 && vsRaw >= 0.85;
          if (!ok) missed++;
          verdict = ok ? "  [throughput targets met]" : "  [THROUGHPUT TARGET MISSED: want ≥ 2.00× SDK and ≥ 0.85× raw]";
        }
        console.log(
          `  ${op}: throughput adapter/SDK ${vsSdk.toFixed(2)}×, adapter/raw ${vsRaw.toFixed(2)}×; ` +
            `CPU per op SDK/adapter ${cpuVsSdk.toFixed(2)}×, raw/adapter ${cpuVsRaw.toFixed(2)}×${verdict}`,
        );
      }
      console.log("");
    }
  } finally {
    for (const client of clients) await client.stop();
    await emulator.stop();
  }
  console.log(`finished in ${((performance.now() - started) / 1000).toFixed(1)} s${missed ? `; ${missed} throughput target(s) missed` : ""}`);
}

if (isMainThread) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
} else if ((workerData as { role?: string } | null)?.role === "emulator") {
  void serveEmulator();
} else if ((workerData as { role?: string } | null)?.role === "client") {
  const { kind, address } = workerData as { kind: string; address: EmulatorAddress };
  void serveClient(kind, address);
}
