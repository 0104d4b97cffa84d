import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buffer } from "node:stream/consumers";
import { isStorageError, readBytes, StorageError } from "@stowage/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { download } from "./download.js";
import { downloadFile } from "./download-file.js";
import type { TransferProgress } from "./progress.js";
import { hooked, memoryStore, pattern } from "./test-stores.js";

const PART = 1000;

describe("download", () => {
  it("streams the object in order from parallel ranges, byte-exact, with progress totals", async () => {
    const { store, calls } = hooked(memoryStore(), () => undefined);
    const body = pattern(10 * PART + 7);
    await store.putObject("obj", body, { contentType: "text/x-a", metadata: { m: "1" } });
    const seen: TransferProgress[] = [];
    const result = await download(store, "obj", { partSize: PART, concurrency: 3, onProgress: (p) => seen.push(p) });
    expect([result.size, result.contentType, result.metadata]).toEqual([body.byteLength, "text/x-a", { m: "1" }]);
    expect(new Uint8Array(await buffer(result.body))).toEqual(body);
    expect(calls.get("getObject")).toBe(11);
    expect(seen.at(-1)).toMatchObject({ bytesDone: body.byteLength, totalBytes: body.byteLength, partsDone: 11 });
  });

  it("downloads a range in parallel, and an empty object, and offers a web stream", async () => {
    const store = memoryStore();
    const body = pattern(5000);
    await store.putObject("obj", body);
    await store.putObject("empty", new Uint8Array(0));
    const ranged = await download(store, "obj", { partSize: 300, range: { first: 100, last: 2099 } });
    expect(ranged.size).toBe(2000);
    expect(new Uint8Array(await buffer(ranged.body))).toEqual(body.subarray(100, 2100));
    const empty = await download(store, "empty");
    expect(empty.size).toBe(0);
    expect((await buffer(empty.body)).byteLength).toBe(0);
    const web = (await download(store, "obj", { partSize: 999 })).toWeb();
    const chunks: Uint8Array[] = [];
    for await (const c of web as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
    expect(new Uint8Array(Buffer.concat(chunks))).toEqual(body);
  });

  it("fails with PreconditionFailed when the object is overwritten mid-download", async () => {
    const base = memoryStore();
    await base.putObject("obj", pattern(10 * PART));
    let gets = 0;
    const { store } = hooked(base, async (method) => {
      if (method === "getObject" && ++gets === 2) await base.putObject("obj", pattern(10 * PART, 99));
    });
    const result = await download(store, "obj", { partSize: PART, concurrency: 1 });
    const err = await buffer(result.body).catch((e: unknown) => e);
    expect(isStorageError(err, "PreconditionFailed")).toBe(true);
  });
});

describe("download resuming a range", () => {
  it("asks again only for the bytes a failed range had not delivered, pinned to the ETag", async () => {
    const base = memoryStore();
    const body = pattern(4 * PART + 11);
    await base.putObject("obj", body);
    const asked: Array<{ first?: number; last?: number; ifMatch?: string }> = [];
    let broken = false;
    const store = new Proxy(base, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== "getObject") return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        return async (key: string, o: { range?: { first: number; last: number }; ifMatch?: string }) => {
          asked.push({ first: o.range?.first, last: o.range?.last, ifMatch: o.ifMatch });
          const result = await base.getObject(key, o);
          if (broken || o.range?.first !== 2 * PART) return result;
          broken = true;
          // The second range's answer: 300 bytes, then the connection drops.
          const bytes = await readBytes(result.body);
          let pulls = 0;
          const cut = new ReadableStream<Uint8Array>(
            {
              pull(c) {
                if (pulls++ === 0) c.enqueue(bytes.subarray(0, 300));
                else c.error(new StorageError({ code: "Network", message: "connection reset (injected)" }));
              },
            },
            { highWaterMark: 0 },
          );
          return { ...result, body: cut };
        };
      },
    });
    const result = await download(store, "obj", { partSize: PART, concurrency: 2, retry: { baseDelayMs: 1 } });
    expect(new Uint8Array(await buffer(result.body))).toEqual(body);
    const retried = asked.filter((a) => a.first === 2 * PART + 300);
    expect(retried).toEqual([{ first: 2 * PART + 300, last: 3 * PART - 1, ifMatch: result.etag }]);
  });
});

describe("download memory bound", () => {
  it("holds at most concurrency + 1 ranges while the reader does not read", async () => {
    const { store, calls } = hooked(memoryStore(), () => undefined);
    await store.putObject("obj", pattern(20 * PART));
    const result = await download(store, "obj", { partSize: PART, concurrency: 2 });
    // Let every GET the engine is willing to start run to completion (memory-store calls settle within a few turns).
    for (let i = 0; i < 200; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(calls.get("getObject")).toBe(3);
    const all = new Uint8Array(await buffer(result.body));
    expect(all).toEqual(pattern(20 * PART));
    expect(calls.get("getObject")).toBe(20);
  });
});

describe("downloadFile", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "stowage-dl-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes by position and resumes a partial file, fetching only the missing ranges", async () => {
    const base = memoryStore();
    const body = pattern(8 * PART + 3);
    await base.putObject("obj", body);
    let broken = true;
    let gets = 0;
    const { store } = hooked(base, (method, args) => {
      if (method !== "getObject") return;
      gets++;
      const first = (args[1] as { range?: { first: number } }).range?.first;
      if (broken && first === 5 * PART) throw new StorageError({ code: "Forbidden", message: "injected" });
    });
    const path = join(dir, "obj.bin");
    const err = await downloadFile(store, "obj", path, { partSize: PART, concurrency: 1 }).catch((e: unknown) => e);
    expect(isStorageError(err, "Forbidden")).toBe(true);
    await expect(stat(path)).rejects.toThrow();
    broken = false;
    gets = 0;
    const result = await downloadFile(store, "obj", path, { partSize: PART, concurrency: 2, resume: true });
    expect(result.size).toBe(body.byteLength);
    // The first (identity) GET, then ranges 5..8 only.
    expect(gets).toBe(1 + 4);
    expect(new Uint8Array(await readFile(path))).toEqual(body);
    await expect(stat(`${path}.stowage-download.json`)).rejects.toThrow();
  });

  it("starts over when the object changed since the partial download", async () => {
    const base = memoryStore();
    await base.putObject("obj", pattern(4 * PART));
    const { store } = hooked(base, (method, args) => {
      if (method === "getObject" && (args[1] as { range?: { first: number } }).range?.first === 3 * PART) throw new StorageError({ code: "Forbidden", message: "x" });
    });
    const path = join(dir, "changed.bin");
    await downloadFile(store, "obj", path, { partSize: PART, concurrency: 1 }).catch(() => undefined);
    const next = pattern(4 * PART, 5);
    await base.putObject("obj", next);
    await downloadFile(base, "obj", path, { partSize: PART, resume: true });
    expect(new Uint8Array(await readFile(path))).toEqual(next);
  });
});
