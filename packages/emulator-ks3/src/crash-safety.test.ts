/**
 * Crash safety with a data directory (issue #9 §2): an emulator process is SIGKILLed at random
 * moments while it overwrites, deletes and completes multipart uploads on a few hot keys;
 * after each restart every acknowledged write must be readable, every object must be exactly
 * its last acknowledged content or the content of the write in flight at the kill, and no
 * orphan blob or temporary state file may remain.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "vitest";
import { crashKeys, expectAcknowledged, runKillRounds, spawnChildEmulator, tempDataDir, writeUntilKilled, writesIssued } from "../../core/src/test-crash-harness.js";
import type { ChildEmulator, CrashKeyState } from "../../core/src/test-crash-harness.js";
import { rawRequest } from "./test-raw-client.js";
import { tag } from "./test-ks3-calls.js";

const BUCKET = "crash";
const KEYS = 10;
const ROUNDS = 6;

type Target = ChildEmulator<"endpoint" | "accessKeyId" | "secretAccessKey">;
const EMULATOR = { dist: new URL("../dist/index.js", import.meta.url), start: "startKs3Emulator", fields: ["endpoint", "accessKeyId", "secretAccessKey"] } as const;

/** The bytes of version `v` of `key`: a header naming both, then a size that varies by version. */
function content(key: string, v: number, part = 0): Buffer {
  const size = 1 + ((v * 7919 + part * 104_729) % 48_000);
  const seed = createHash("md5").update(`${key}:${v}:${part}`).digest();
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = seed[i % 16]! ^ (i & 0xff);
  return out;
}

/** What a key holds: absent, or version v written as one PUT or as a two-part upload. */
type Version = { kind: "absent" } | { kind: "put" | "multipart"; v: number };

function expectedBytes(key: string, version: Version): Buffer | undefined {
  if (version.kind === "absent") return undefined;
  if (version.kind === "put") return content(key, version.v);
  return Buffer.concat([content(key, version.v, 1), content(key, version.v, 2)]);
}

async function write(target: Target, key: string, version: Version): Promise<void> {
  const path = `/${BUCKET}/${key}`;
  if (version.kind === "absent") {
    const res = await rawRequest(target, { method: "DELETE", path });
    if (res.status !== 204 && res.status !== 404) throw new Error(`DELETE ${res.status}`);
  } else if (version.kind === "put") {
    const res = await rawRequest(target, { method: "PUT", path, body: content(key, version.v) });
    if (res.status !== 200) throw new Error(`PUT ${res.status}`);
  } else {
    const init = await rawRequest(target, { method: "POST", path, query: { uploads: "" } });
    const uploadId = tag(init.text, "UploadId")!;
    // Part 1 is uploaded twice: the overwrite replaces (and must not lose) a part blob.
    await rawRequest(target, { method: "PUT", path, query: { partNumber: "1", uploadId }, body: content(key, version.v, 9) });
    const etags: string[] = [];
    for (const n of [1, 2]) {
      const res = await rawRequest(target, { method: "PUT", path, query: { partNumber: String(n), uploadId }, body: content(key, version.v, n) });
      if (res.status !== 200) throw new Error(`UploadPart ${res.status}`);
      etags.push(res.headers["etag"]!);
    }
    const body = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join("")}</CompleteMultipartUpload>`;
    const res = await rawRequest(target, { method: "POST", path, query: { uploadId }, body });
    if (res.status !== 200) throw new Error(`Complete ${res.status}`);
  }
}

async function verify(target: Target, dataDir: string, keys: Map<string, CrashKeyState<Version>>): Promise<void> {
  await expectAcknowledged(keys, async (key, allowed) => {
    const res = await rawRequest(target, { method: "GET", path: `/${BUCKET}/${key}` });
    const matched = allowed.find((version) => {
      const bytes = expectedBytes(key, version);
      return bytes === undefined ? res.status === 404 : res.status === 200 && res.body.equals(bytes);
    });
    return { matched, seen: `HTTP ${res.status}, ${res.body.byteLength} bytes` };
  });
  // Start-up removed every blob the state does not name, and the state names no missing blob.
  const json = JSON.parse(await readFile(join(dataDir, "state.json"), "utf8")) as {
    buckets: Array<{ objects: Array<{ blobs: Array<{ id: string }> }>; uploads: Array<{ parts: Array<{ blob: { id: string } }> }> }>;
  };
  const referenced = new Set<string>();
  for (const b of json.buckets) {
    for (const o of b.objects) for (const blob of o.blobs) referenced.add(blob.id);
    for (const u of b.uploads) for (const p of u.parts) referenced.add(p.blob.id);
  }
  expect(new Set(await readdir(join(dataDir, "blobs")))).toEqual(referenced);
  expect((await readdir(dataDir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
}

test(`SIGKILL during concurrent overwrites, deletes and multipart completes loses no acknowledged write and leaves no orphan (${ROUNDS} rounds)`, async () => {
  const dataDir = await tempDataDir("ks3-crash-");
  const options = { dataDir, buckets: [BUCKET], limits: { multipartMinPartBytes: 1 } };
  const keys = crashKeys<Version>(KEYS, (i) => `hot/key-${i}`, { kind: "absent" });
  await runKillRounds({
    rounds: ROUNDS,
    start: () => spawnChildEmulator(EMULATOR, options),
    check: async (target, round) => {
      if (round > 0) await verify(target, dataDir, keys);
    },
    // A tenth of the writes are deletes, a fifth two-part uploads, the rest single PUTs.
    load: (target) =>
      writeUntilKilled(
        keys,
        (n): Version => {
          const r = (n * 2654435761) % 10;
          return r < 1 ? { kind: "absent" } : { kind: r < 3 ? "multipart" : "put", v: n };
        },
        (key, version) => write(target, key, version),
      ),
  });
  // The load did run: the rounds issued writes (the checks above would hold vacuously otherwise).
  expect(writesIssued(keys)).toBeGreaterThan(ROUNDS * KEYS);
}, 60_000);
