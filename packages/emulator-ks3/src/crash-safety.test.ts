/**
 * Crash safety with a data directory (issue #9 §2): an emulator process is SIGKILLed at random
 * moments while it overwrites, deletes and completes multipart uploads on a few hot keys;
 * after each restart every acknowledged write must be readable, every object must be exactly
 * its last acknowledged content or the content of the write in flight at the kill, and no
 * orphan blob or temporary state file may remain.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, expect, test } from "vitest";
import { spawnKs3Emulator, type ChildEmulator } from "./test-child-emulator.js";
import { rawRequest } from "./test-raw-client.js";
import { tag } from "./test-ks3-calls.js";

const BUCKET = "crash";
const KEYS = 10;
const ROUNDS = 6;

const children: ChildEmulator[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) await child.kill();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

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

interface KeyState {
  acked: Version;
  /** The write in flight when the emulator died, whose effect may or may not have landed. */
  inFlight: Version | undefined;
  next: number;
}

type Target = Pick<ChildEmulator, "endpoint" | "accessKeyId" | "secretAccessKey">;

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

/** Writes to every key, one write at a time per key, until the target dies. */
async function load(target: Target, keys: Map<string, KeyState>): Promise<void> {
  await Promise.all(
    [...keys].map(async ([key, state]) => {
      for (;;) {
        const r = (state.next * 2654435761) % 10;
        const version: Version = r < 1 ? { kind: "absent" } : { kind: r < 3 ? "multipart" : "put", v: state.next };
        state.next++;
        state.inFlight = version;
        try {
          await write(target, key, version);
        } catch {
          return; // the emulator is gone; inFlight stays as the write it may have applied
        }
        state.acked = version;
        state.inFlight = undefined;
      }
    }),
  );
}

async function verify(target: Target, dataDir: string, keys: Map<string, KeyState>): Promise<void> {
  for (const [key, state] of keys) {
    const res = await rawRequest(target, { method: "GET", path: `/${BUCKET}/${key}` });
    const allowed = [state.acked, ...(state.inFlight ? [state.inFlight] : [])];
    const matched = allowed.find((version) => {
      const bytes = expectedBytes(key, version);
      return bytes === undefined ? res.status === 404 : res.status === 200 && res.body.equals(bytes);
    });
    expect(matched, `${key}: HTTP ${res.status}, ${res.body.byteLength} bytes; allowed ${JSON.stringify(allowed)}`).toBeDefined();
    // Whichever landed is now the acknowledged content.
    state.acked = matched!;
    state.inFlight = undefined;
  }
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
  const dataDir = await mkdtemp(join(tmpdir(), "ks3-crash-"));
  dirs.push(dataDir);
  const options = { dataDir, buckets: [BUCKET], limits: { multipartMinPartBytes: 1 } };
  const keys = new Map<string, KeyState>(Array.from({ length: KEYS }, (_, i) => [`hot/key-${i}`, { acked: { kind: "absent" }, inFlight: undefined, next: 1 }]));
  let acknowledged = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const child = await spawnKs3Emulator(options);
    children.push(child);
    if (round > 0) await verify(child, dataDir, keys);
    const before = [...keys.values()].reduce((n, s) => n + s.next, 0);
    const running = load(child, keys);
    await sleep(150 + Math.floor(Math.random() * 350));
    await child.kill();
    children.splice(children.indexOf(child), 1);
    await running;
    acknowledged += [...keys.values()].reduce((n, s) => n + s.next, 0) - before;
  }
  const last = await spawnKs3Emulator(options);
  children.push(last);
  await verify(last, dataDir, keys);
  // The load did run: the rounds issued writes (the checks above would hold vacuously otherwise).
  expect(acknowledged).toBeGreaterThan(ROUNDS * KEYS);
}, 60_000);
