/** The server as a whole: on-disk storage across restarts, and fault injection. */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { request } from "node:http";
import { join } from "node:path";
import { kssV2Authorization } from "@stowage/adapter-s3-family";
import { afterEach, describe, expect, test } from "vitest";
import type { RunningKs3Emulator } from "./options.js";
import { startKs3Emulator } from "./server.js";
import { complete, getObject, initiate, putObject, uploadPart } from "./test-ks3-calls.js";
import { rawRequest } from "./test-raw-client.js";
import { patternBytes } from "./test-s3-client.js";

const running: RunningKs3Emulator[] = [];
const dirs: string[] = [];

async function start(options: Parameters<typeof startKs3Emulator>[0]): Promise<RunningKs3Emulator> {
  const emu = await startKs3Emulator(options);
  running.push(emu);
  return emu;
}

afterEach(async () => {
  for (const emu of running.splice(0)) await emu.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("dataDir", () => {
  test("objects, multipart objects and pending uploads survive a restart on the same data directory", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "ks3-emulator-"));
    dirs.push(dataDir);
    const bytes = patternBytes(300_000, 9);
    const first = await start({ dataDir, buckets: ["durable"], limits: { multipartMinPartBytes: 100 } });
    await putObject(first, "durable", "plain", bytes, { "x-kss-meta-kind": "plain" });
    const id = await initiate(first, "durable", "multi");
    const e1 = (await uploadPart(first, "durable", "multi", id, 1, bytes.subarray(0, 150_000))).headers["etag"]!;
    const e2 = (await uploadPart(first, "durable", "multi", id, 2, bytes.subarray(150_000))).headers["etag"]!;
    expect((await complete(first, "durable", "multi", id, [[1, e1], [2, e2]])).status).toBe(200);
    const pending = await initiate(first, "durable", "pending");
    await uploadPart(first, "durable", "pending", pending, 1, "pending part");
    await first.close();

    const second = await start({ dataDir });
    const plain = await getObject(second, "durable", "plain");
    expect(plain.body.equals(bytes)).toBe(true);
    expect(plain.headers["x-kss-meta-kind"]).toBe("plain");
    const ranged = await getObject(second, "durable", "multi", { range: "bytes=149990-150009" });
    expect(ranged.body.equals(bytes.subarray(149_990, 150_010))).toBe(true);
    const parts = await rawRequest(second, { method: "GET", path: "/durable/pending", query: { uploadId: pending } });
    expect(parts.text).toContain("<Size>12</Size>");
  });
});

/** GETs `path`, pausing after the first chunk until `whilePaused` has run; resolves with the whole body. */
function getWithPause(emu: RunningKs3Emulator, path: string, whilePaused: () => Promise<void>): Promise<Buffer> {
  const url = new URL(emu.endpoint);
  const headers: Record<string, string> = { date: new Date().toUTCString() };
  headers["authorization"] = kssV2Authorization({ method: "GET", resource: path, query: new URLSearchParams(), headers, headerPrefix: "x-kss-" }, emu.accessKeyId, emu.secretAccessKey);
  return new Promise((resolve, reject) => {
    const r = request({ host: url.hostname, port: url.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      let paused = false;
      res.on("data", (c: Buffer) => {
        chunks.push(c);
        if (!paused) {
          paused = true;
          res.pause();
          whilePaused().then(() => res.resume(), reject);
        }
      });
      res.on("end", () => resolve(Buffer.concat(chunks)));
      res.on("error", reject);
    });
    r.on("error", reject);
    r.end();
  });
}

/** Starts a GET and destroys the connection once the first body bytes arrive. */
function dropAfterFirstBytes(emu: RunningKs3Emulator, path: string): Promise<void> {
  const url = new URL(emu.endpoint);
  const headers: Record<string, string> = { date: new Date().toUTCString() };
  headers["authorization"] = kssV2Authorization({ method: "GET", resource: path, query: new URLSearchParams(), headers, headerPrefix: "x-kss-" }, emu.accessKeyId, emu.secretAccessKey);
  return new Promise((resolve) => {
    const r = request({ host: url.hostname, port: url.port, path, headers, agent: false }, (res) => {
      res.once("data", () => r.destroy());
    });
    r.on("close", () => resolve());
    r.on("error", () => undefined);
    r.end();
  });
}

describe("dataDir reads", () => {
  test("an object deleted while a GET streams it from disk is still delivered whole to that GET", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "ks3-emulator-"));
    dirs.push(dataDir);
    const emu = await start({ dataDir, buckets: ["racing"], limits: { multipartMinPartBytes: 100 } });
    const part = patternBytes(8 * 1024 * 1024, 1);
    const id = await initiate(emu, "racing", "obj");
    const e1 = (await uploadPart(emu, "racing", "obj", id, 1, part)).headers["etag"]!;
    const e2 = (await uploadPart(emu, "racing", "obj", id, 2, part)).headers["etag"]!;
    expect((await complete(emu, "racing", "obj", id, [[1, e1], [2, e2]])).status).toBe(200);
    const body = await getWithPause(emu, "/racing/obj", async () => {
      expect((await rawRequest(emu, { method: "DELETE", path: "/racing/obj" })).status).toBe(204);
    });
    expect(body.length).toBe(2 * part.length);
    expect(body.subarray(part.length).equals(part)).toBe(true);
    expect((await getObject(emu, "racing", "obj")).code).toBe("NoSuchKey");
  });

  test("concurrent ranged GETs from disk each get exactly their bytes while read buffers are reused, also after a client drops a GET mid-body", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "ks3-emulator-"));
    dirs.push(dataDir);
    const emu = await start({ dataDir, buckets: ["ranges"] });
    // Two objects with different bytes, each several 1 MiB read buffers long.
    const objects = [patternBytes(3 * 1024 * 1024 + 4321, 3), patternBytes(3 * 1024 * 1024 + 4321, 5)];
    for (const [i, bytes] of objects.entries()) expect((await putObject(emu, "ranges", `o${i}`, bytes)).status).toBe(200);
    // A GET the client abandons after its first bytes: its buffers must not end up in two hands.
    await dropAfterFirstBytes(emu, "/ranges/o0");
    for (let round = 0; round < 3; round++) {
      const asks = Array.from({ length: 8 }, (_, k) => ({ object: k % 2, first: 1000 * k + round * 77, last: objects[0]!.length - 1 - 999 * k }));
      const answers = await Promise.all(asks.map((a) => getObject(emu, "ranges", `o${a.object}`, { range: `bytes=${a.first}-${a.last}` })));
      for (const [k, answer] of answers.entries()) {
        const a = asks[k]!;
        expect(answer.status).toBe(206);
        expect(answer.body.equals(objects[a.object]!.subarray(a.first, a.last + 1))).toBe(true);
      }
    }
  });
});

describe("dataDir start-up and lost blobs", () => {
  test("start-up removes blob files no object or part names, and a leftover state.json.tmp", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "ks3-emulator-"));
    dirs.push(dataDir);
    const first = await start({ dataDir, buckets: ["lost-blobs"] });
    await putObject(first, "lost-blobs", "kept", "kept bytes");
    await first.close();
    const kept = await readdir(join(dataDir, "blobs"));
    expect(kept).toHaveLength(1);
    await writeFile(join(dataDir, "blobs", "0123456789abcdef0123456789abcdef"), "orphan");
    await writeFile(join(dataDir, "state.json.tmp"), "{torn");
    const second = await start({ dataDir });
    expect(await readdir(join(dataDir, "blobs"))).toEqual(kept);
    expect((await readdir(dataDir)).sort()).toEqual(["blobs", "state.json"]);
    expect((await getObject(second, "lost-blobs", "kept")).text).toBe("kept bytes");
  });

  test("GET and HEAD of an object whose blob file is missing answer a clean 500 InternalError", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "ks3-emulator-"));
    dirs.push(dataDir);
    const emu = await start({ dataDir, buckets: ["lost-blobs"] });
    await putObject(emu, "lost-blobs", "lost", "bytes");
    const state = JSON.parse(await readFile(join(dataDir, "state.json"), "utf8")) as { buckets: Array<{ objects: Array<{ blobs: Array<{ id: string }> }> }> };
    await rm(join(dataDir, "blobs", state.buckets[0]!.objects[0]!.blobs[0]!.id));
    const get = await getObject(emu, "lost-blobs", "lost");
    expect(get.status).toBe(500);
    expect(get.code).toBe("InternalError");
    expect((await rawRequest(emu, { method: "HEAD", path: "/lost-blobs/lost" })).status).toBe(500);
    // The connection stayed usable: the next request on the emulator is answered.
    expect((await putObject(emu, "lost-blobs", "lost", "again")).status).toBe(200);
    expect((await getObject(emu, "lost-blobs", "lost")).text).toBe("again");
  });
});

describe("fault injection", () => {
  test("errorRate 1 for GetObject answers 500 InternalError while PutObject still succeeds", async () => {
    const emu = await start({ buckets: ["faulty"], faults: { errorRate: { GetObject: 1 } } });
    expect((await putObject(emu, "faulty", "k", "v")).status).toBe(200);
    const res = await getObject(emu, "faulty", "k");
    expect(res.status).toBe(500);
    expect(res.code).toBe("InternalError");
  });

  test("slowDownRate 1 answers 503 SlowDown with Retry-After, and setFaults(undefined) stops it", async () => {
    const emu = await start({ buckets: ["faulty"], faults: { slowDownRate: { "*": 1 } } });
    const res = await putObject(emu, "faulty", "k", "v");
    expect(res.status).toBe(503);
    expect(res.code).toBe("SlowDown");
    expect(res.headers["retry-after"]).toBe("1");
    emu.setFaults(undefined);
    expect((await putObject(emu, "faulty", "k", "v")).status).toBe(200);
  });

  test("resetRate 1 for GetObject drops the connection after half of the body", async () => {
    const emu = await start({ buckets: ["faulty"] });
    await putObject(emu, "faulty", "big", patternBytes(200_000));
    emu.setFaults({ resetRate: { GetObject: 1 } });
    await expect(getObject(emu, "faulty", "big")).rejects.toThrow();
  });

  test("resetRate 1 for PutObject drops the connection mid-upload and stores nothing", async () => {
    const emu = await start({ buckets: ["faulty"], faults: { resetRate: { PutObject: 1 } } });
    await expect(putObject(emu, "faulty", "cut", patternBytes(500_000))).rejects.toThrow();
    emu.setFaults(undefined);
    expect((await getObject(emu, "faulty", "cut")).code).toBe("NoSuchKey");
  });
});
