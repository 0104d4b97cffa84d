import { createEsaKvStore, acs3Authorization, acsDate, canonicalQueryString, hashPayload } from "@stowage/adapter-esa-kv";
import { startEsaKvEmulator } from "@stowage/emulator-esa-kv";
import { Worker, isMainThread, parentPort } from "node:worker_threads";
import { randomUUID } from "node:crypto";
import { Pool } from "undici";
if (!isMainThread) {
  const e = await startEsaKvEmulator({ namespaces: ["bench"] });
  parentPort.postMessage({ endpoint: e.endpoint, accessKeyId: e.accessKeyId, accessKeySecret: e.accessKeySecret });
  parentPort.once("message", () => e.close().then(() => parentPort.close()));
} else {
const w = new Worker(new URL(import.meta.url));
const em = await new Promise((r) => w.once("message", r));
const store = createEsaKvStore({ namespace: "bench", endpoint: em.endpoint, accessKeyId: em.accessKeyId, accessKeySecret: em.accessKeySecret });
const pool = new Pool(em.endpoint, { connections: 16 });
const host = new URL(em.endpoint).host;
async function rawGet() {
  const query = { Namespace: "bench", Key: "k", Base64: "true" };
  const hashed = hashPayload("");
  const headers = { host, "x-acs-action": "GetKv", "x-acs-version": "2024-09-10", "x-acs-date": acsDate(Date.now()), "x-acs-signature-nonce": randomUUID(), "x-acs-content-sha256": hashed };
  headers.authorization = acs3Authorization({ method: "GET", pathname: "/", query, headers, hashedPayload: hashed }, em.accessKeyId, em.accessKeySecret);
  const res = await pool.request({ path: `/?${canonicalQueryString(query)}`, method: "GET", headers });
  const j = await res.body.json(); return Buffer.from(j.Value, "base64");
}
await store.put("k", new Uint8Array(1024).fill(3));
const fn = process.argv[2] === "raw" ? rawGet : () => store.get("k");
let next = 0; const n = 30000;
const run = async () => { while (next < n) { next++; await fn(); } };
const elu = performance.eventLoopUtilization();
await Promise.all(Array.from({ length: 8 }, run));
console.log(process.argv[2], "busy us/op", (performance.eventLoopUtilization(elu).active * 1000 / n).toFixed(0));
await store.close(); await pool.close(); w.postMessage("x");
}
