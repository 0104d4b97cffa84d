/**
 * fs benchmark: put and get of 1 KiB and 1 MiB values through the Stowage fs key-value store,
 * side by side with the raw durable sequence written directly with `node:fs` (the ceiling for a
 * durable put: temp file → write → fsync → rename → fsync directory; a raw `readFile` for a get)
 * and with unstorage's fs driver (which neither fsyncs nor renames: a fast, non-durable peer).
 * One process, one operation at a time, so the figures are per-call costs. Prints ops/s and the
 * ratios to the raw sequence (targets: puts ≥ 0.8×, gets ≥ 0.9×).
 *
 * Run: `pnpm --filter @stowage/bench bench:fs` (after `pnpm build`). Works in a temp directory
 * on the system temp dir's file system, removed at the end.
 *
 * The clients take turns in several rounds, rotating who goes first, so a change in machine
 * load (or in the disk's journal state) during the run hits all of them alike; a client's rate
 * is the median of its per-turn rates.
 */
import { mkdtemp, open, readFile, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createFsKeyValueStore } from "@stowage/adapter-fs";
import { createStorage } from "unstorage";
import fsDriver from "unstorage/drivers/fs";

const KEYS = 32;

interface Client {
  name: string;
  put(key: string, value: Uint8Array): Promise<void>;
  get(key: string): Promise<unknown>;
  close(): Promise<void>;
}

interface Scenario {
  label: string;
  bytes: number;
  putOps: number;
  getOps: number;
  rounds: number;
}

const SCENARIOS: Scenario[] = [
  { label: "1 KiB", bytes: 1024, putOps: 1200, getOps: 24_000, rounds: 6 },
  { label: "1 MiB", bytes: 1024 * 1024, putOps: 120, getOps: 1200, rounds: 6 },
];

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  await handle.sync();
  await handle.close();
}

/** The raw durable sequence, as a careful application would write it by hand. */
function rawClient(dir: string): Client {
  let n = 0;
  return {
    name: "raw node:fs (durable)",
    async put(key, value) {
      const temp = join(dir, `.tmp-${process.pid}-${n++}`);
      const handle = await open(temp, "wx");
      await handle.write(value);
      await handle.sync();
      await handle.close();
      await rename(temp, join(dir, key));
      await syncDir(dir);
    },
    get: (key) => readFile(join(dir, key)),
    close: async () => undefined,
  };
}

async function stowageClient(root: string): Promise<Client> {
  const store = await createFsKeyValueStore({ root });
  return { name: "stowage fs", put: (key, value) => store.put(key, value), get: (key) => store.get(key), close: () => store.close() };
}

function unstorageClient(base: string): Client {
  const storage = createStorage({ driver: fsDriver({ base }) });
  return {
    name: "unstorage fs (no fsync)",
    put: (key, value) => storage.setItemRaw(key, value),
    get: (key) => storage.getItemRaw(key),
    close: () => storage.dispose(),
  };
}

async function turn(ops: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < ops; i++) await op(i);
  return (ops / (performance.now() - start)) * 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), "stowage-fs-bench-"));
  try {
    const clients = [rawClient(await mkdtemp(join(work, "raw-"))), await stowageClient(join(work, "stowage")), unstorageClient(join(work, "unstorage"))];
    console.log(`fs benchmark in ${work} (one process, one operation at a time)\n`);
    for (const scenario of SCENARIOS) {
      const value = new Uint8Array(scenario.bytes).fill(42);
      const keyOf = (i: number) => `bench-key-${i % KEYS}`;
      const rates = new Map(clients.map((c) => [c.name, { put: [] as number[], get: [] as number[] }]));
      // Seed every key and warm up, unmeasured.
      for (const client of clients) {
        for (let i = 0; i < KEYS; i++) await client.put(keyOf(i), value);
        await turn(Math.min(scenario.getOps / scenario.rounds, 500), (i) => client.get(keyOf(i)));
      }
      for (let round = 0; round < scenario.rounds; round++) {
        const order = clients.map((_, i) => clients[(i + round) % clients.length]!);
        for (const client of order) {
          rates.get(client.name)!.put.push(await turn(scenario.putOps / scenario.rounds, (i) => client.put(keyOf(i), value)));
          rates.get(client.name)!.get.push(await turn(scenario.getOps / scenario.rounds, (i) => client.get(keyOf(i))));
        }
      }
      const raw = rates.get(clients[0]!.name)!;
      const rawPut = median(raw.put);
      const rawGet = median(raw.get);
      console.log(`${scenario.label} values`);
      console.log(`  ${"client".padEnd(26)} ${"put ops/s".padStart(10)} ${"× raw".padStart(7)} ${"get ops/s".padStart(10)} ${"× raw".padStart(7)}`);
      for (const client of clients) {
        const r = rates.get(client.name)!;
        const put = median(r.put);
        const get = median(r.get);
        console.log(`  ${client.name.padEnd(26)} ${put.toFixed(0).padStart(10)} ${(put / rawPut).toFixed(2).padStart(7)} ${get.toFixed(0).padStart(10)} ${(get / rawGet).toFixed(2).padStart(7)}`);
      }
      const stowage = rates.get(clients[1]!.name)!;
      const putRatio = median(stowage.put) / rawPut;
      const getRatio = median(stowage.get) / rawGet;
      console.log(`  targets: put ≥ 0.80× raw durable: ${putRatio.toFixed(2)} ${putRatio >= 0.8 ? "met" : "MISSED"}; get ≥ 0.90× raw readFile: ${getRatio.toFixed(2)} ${getRatio >= 0.9 ? "met" : "MISSED"}\n`);
    }
    for (const client of clients) await client.close();
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
