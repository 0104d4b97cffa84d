/**
 * Redis key-value benchmark: put and get of 1 KiB values with 8 operations in flight, and a
 * listing of 10,000 keys by prefix, through the Stowage adapter, raw node-redis `SET`/`GET`
 * and `@keyv/redis` (keyv 5), against one Redis server in one run. Prints ops/s, p50 and p99
 * latency and the ratios. Targets: Stowage get ≥ 0.85× raw, put ≥ 0.6× raw, both at least
 * keyv's; the Stowage listing returns every key once, in byte order. keyv's iterator is
 * checked the same way and reported as it is (it walks SCAN: unordered, and may repeat keys).
 *
 * `put` overwrites 256 keys over and over; `insert` puts a new key each time. They differ for
 * Stowage: a new key is written with its listing-index entry (one script call, ZADD then MSET,
 * shared by the puts issued in the same tick), an overwrite (once a store sees mostly overwrites) is a
 * plain SET XX, its index entry being there already. Both rows are printed so neither figure is
 * read for the other, and "put ≥ keyv" is checked for both.
 *
 * Run: `pnpm --filter @stowage/bench bench:redis` (after `pnpm build`). The server is the one
 * `STOWAGE_REDIS_URL` names, else a throwaway `redis-server` started on 127.0.0.1.
 *
 * The clients take turns in rounds (rotating who goes first), measuring each operation back to
 * back, so a change in machine load hits them alike; throughput is the median of a client's
 * per-round rates, a ratio the median of the per-round ratios (each compares two turns taken
 * one after the other), latency percentiles are over every measured operation. Each client
 * first runs unmeasured operations (JIT warm-up).
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import KeyvRedis from "@keyv/redis";
import { createRedisKeyValueStore, startTestRedisServer, type TestRedisServer } from "@stowage/adapter-redis";
import Keyv from "keyv";
import { createClient, RESP_TYPES } from "redis";

const IN_FLIGHT = 8;
const KEYS = 256;
const VALUE_BYTES = 1024;
const WARMUP_OPS = 4_000;
const ROUND_OPS = 5_000;
// Many short rounds rather than few long ones: on a shared machine a burst of someone else's
// load then spoils a few rounds of each client, and the median looks past them.
const ROUNDS = 15;
const LIST_KEYS = 10_000;

interface Client {
  name: string;
  put(key: string, value: Uint8Array): Promise<unknown>;
  get(key: string): Promise<unknown>;
  close(): Promise<void>;
}

interface Row {
  rates: number[];
  latencies: number[];
}

/** The measured operations: `put` overwrites KEYS keys over and over, `insert` puts a new key each time. */
const OPS = ["put", "get", "insert"] as const;
type Op = (typeof OPS)[number];

/** Runs `ops` operations, `IN_FLIGHT` at a time; returns ops/s and records each latency (ms). */
async function drive(ops: number, op: (i: number) => Promise<unknown>, latencies?: number[]): Promise<number> {
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < ops) {
      const i = next++;
      const t = performance.now();
      await op(i);
      latencies?.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return ops / ((performance.now() - start) / 1000);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function main(): Promise<void> {
  let server: TestRedisServer | undefined;
  const url = process.env.STOWAGE_REDIS_URL ?? (server = await startTestRedisServer()).url;
  const run = randomUUID().slice(0, 8);
  const value = Uint8Array.from({ length: VALUE_BYTES }, (_, i) => (i * 31) & 0xff);
  const valueBuffer = Buffer.from(value);

  const stowage = createRedisKeyValueStore({ url, namespace: `bench-${run}` });
  const raw = createClient({ url, disableOfflineQueue: true });
  await raw.connect();
  const rawBytes = raw.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  const keyvStore = new KeyvRedis(url, { namespace: `keyv-${run}` });
  const keyv = new Keyv({ store: keyvStore, namespace: `keyv-${run}`, useKeyPrefix: false });
  keyv.on("error", () => {});

  const clients: Client[] = [
    { name: "stowage", put: (k, v) => stowage.put(k, v), get: (k) => stowage.get(k), close: () => stowage.close() },
    { name: "raw node-redis", put: (k, v) => rawBytes.set(`raw-${run}:${k}`, Buffer.from(v.buffer, v.byteOffset, v.byteLength)), get: (k) => rawBytes.get(`raw-${run}:${k}`), close: async () => raw.destroy() },
    { name: "@keyv/redis", put: (k) => keyv.set(k, valueBuffer), get: (k) => keyv.get(k), close: () => keyv.disconnect() },
  ];
  const key = (i: number) => `key-${i % KEYS}`;
  let inserted = 0;
  const newKey = () => `new-${inserted++}`;
  const results = new Map<string, Record<Op, Row>>(clients.map((c) => [c.name, { put: { rates: [], latencies: [] }, get: { rates: [], latencies: [] }, insert: { rates: [], latencies: [] } }]));

  for (const c of clients) {
    await drive(WARMUP_OPS, (i) => c.put(key(i), value));
    await drive(WARMUP_OPS, (i) => c.get(key(i)));
    await drive(WARMUP_OPS, () => c.put(newKey(), value));
  }
  // Check the reads before timing them: every client returns the value it wrote.
  for (const c of clients) {
    const got = await c.get(key(0));
    const bytes = got instanceof Uint8Array ? got : Buffer.isBuffer((got as { data?: unknown })?.data) ? (got as { data: Buffer }).data : got;
    if (!(bytes instanceof Uint8Array) || Buffer.compare(Buffer.from(bytes), valueBuffer) !== 0) console.warn(`warning: ${c.name} get() did not return the 1 KiB value as bytes`);
  }
  const operation: Record<Op, (c: Client) => (i: number) => Promise<unknown>> = {
    put: (c) => (i) => c.put(key(i), value),
    get: (c) => (i) => c.get(key(i)),
    insert: (c) => () => c.put(newKey(), value),
  };
  for (let round = 0; round < ROUNDS; round++) {
    const order = clients.map((_, i) => clients[(i + round) % clients.length]!);
    // The clients measure one operation back to back, so a change in machine load between
    // their turns is as short as it can be.
    for (const op of OPS) {
      for (const c of order) {
        const row = results.get(c.name)![op];
        row.rates.push(await drive(ROUND_OPS, operation[op](c), row.latencies));
      }
    }
  }

  const rawRow = results.get("raw node-redis")!;
  // A ratio is the median of the per-round ratios: each compares two turns taken back to back.
  const ratio = (a: Row, b: Row) => median(a.rates.map((rate, i) => rate / b.rates[i]!));
  console.log(`Redis ${url.replace(/\/\/[^@]*@/, "//")} · 1 KiB values · ${IN_FLIGHT} in flight · ${ROUNDS} rounds × ${ROUND_OPS} ops per client and operation`);
  console.log(`${"client".padEnd(16)} ${"op".padEnd(6)} ${"ops/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"× raw".padStart(7)}`);
  for (const c of clients) {
    for (const op of OPS) {
      const row = results.get(c.name)![op];
      const rate = median(row.rates);
      console.log(
        `${c.name.padEnd(16)} ${op.padEnd(6)} ${rate.toFixed(0).padStart(9)} ${percentile(row.latencies, 50).toFixed(3).padStart(8)} ${percentile(row.latencies, 99).toFixed(3).padStart(8)} ${ratio(row, rawRow[op]).toFixed(2).padStart(7)}`,
      );
    }
  }
  // The new keys go before the listing, so keyv's SCAN walks what it walked without them.
  const newKeys = Array.from({ length: inserted }, (_, i) => `new-${i}`);
  for (let i = 0; i < newKeys.length; i += 1000) {
    const chunk = newKeys.slice(i, i + 1000);
    await stowage.deleteMany(chunk);
    await rawBytes.del(chunk.map((k) => `raw-${run}:${k}`));
    await keyv.deleteMany(chunk);
  }
  const s = results.get("stowage")!;
  const k = results.get("@keyv/redis")!;
  const verdict = (ok: boolean) => (ok ? "met" : "NOT MET");
  console.log(`targets: get ≥ 0.85× raw: ${ratio(s.get, rawRow.get).toFixed(2)} ${verdict(ratio(s.get, rawRow.get) >= 0.85)}; put ≥ 0.6× raw: ${ratio(s.put, rawRow.put).toFixed(2)} ${verdict(ratio(s.put, rawRow.put) >= 0.6)}; get ≥ keyv: ${ratio(s.get, k.get).toFixed(2)}× ${verdict(ratio(s.get, k.get) >= 1)}; put ≥ keyv: ${ratio(s.put, k.put).toFixed(2)}× ${verdict(ratio(s.put, k.put) >= 1)}`);
  // "put ≥ keyv" read for new keys too: a put of a key that exists is a plain SET XX once a store
  // sees mostly overwrites, a new key always writes its index entry as well.
  console.log(`new keys (insert): ${ratio(s.insert, rawRow.insert).toFixed(2)}× raw SET; insert ≥ keyv: ${ratio(s.insert, k.insert).toFixed(2)}× ${verdict(ratio(s.insert, k.insert) >= 1)}`);

  // Listing: 10,000 keys under a prefix, between neighbours that must not be listed.
  const listed = Array.from({ length: LIST_KEYS }, (_, i) => `list/${String(i).padStart(5, "0")}`);
  const small = new Uint8Array(16);
  for (let i = 0; i < listed.length; i += 1000) {
    await stowage.putMany(listed.slice(i, i + 1000).map((k) => ({ key: k, value: small })));
    await Promise.all(listed.slice(i, i + 1000).map((k) => keyv.set(k, "x")));
  }
  await stowage.putMany([{ key: "lisu", value: small }, { key: "list", value: small }]);
  const check = (keys: string[]) => {
    const unique = new Set(keys).size;
    const ordered = keys.every((key, i) => i === 0 || Buffer.compare(Buffer.from(keys[i - 1]!), Buffer.from(key)) < 0);
    const complete = unique === LIST_KEYS && listed.every((key) => keys.includes(key));
    return `${keys.length} keys returned, ${unique} distinct, every key once: ${unique === keys.length && complete ? "yes" : "NO"}, in byte order: ${ordered ? "yes" : "NO"}`;
  };
  let t = performance.now();
  const stowageKeys: string[] = [];
  for await (const entry of stowage.keys({ prefix: "list/", limit: 1000 })) stowageKeys.push(entry.key);
  const stowageMs = performance.now() - t;
  t = performance.now();
  const keyvKeys: string[] = [];
  for await (const [k] of keyv.iterator!(undefined) as AsyncGenerator<[string, unknown]>) if (String(k).startsWith("list/")) keyvKeys.push(String(k));
  const keyvMs = performance.now() - t;
  console.log(`list 10,000 keys by prefix — stowage (keys({ prefix, limit: 1000 })): ${stowageMs.toFixed(0)} ms, ${check(stowageKeys)}`);
  console.log(`list 10,000 keys by prefix — @keyv/redis (iterator, SCAN, filtered client-side): ${keyvMs.toFixed(0)} ms, ${check(keyvKeys)}`);

  // Clean up what the run wrote on a server that outlives it.
  for (let i = 0; i < listed.length; i += 1000) await stowage.deleteMany(listed.slice(i, i + 1000));
  await stowage.deleteMany(["lisu", "list", ...Array.from({ length: KEYS }, (_, i) => `key-${i}`)]);
  await keyv.clear();
  await rawBytes.del(Array.from({ length: KEYS }, (_, i) => `raw-${run}:key-${i}`));
  for (const c of clients) await c.close();
  await server?.close();
}

await main();
