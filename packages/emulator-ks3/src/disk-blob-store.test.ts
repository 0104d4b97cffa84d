/** The disk blob store keeps every file it touches inside `<dataDir>/blobs/`. */
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, describe, expect, test } from "vitest";
import { DiskBlobStore } from "./disk-blob-store.js";

const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function storeWithOutsideFile(): Promise<{ store: DiskBlobStore; outside: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), "ks3-blobs-"));
  dirs.push(dataDir);
  const outside = join(dataDir, "outside.txt");
  await writeFile(outside, "outside");
  const store = new DiskBlobStore(dataDir);
  await store.init();
  return { store, outside };
}

describe("DiskBlobStore", () => {
  test("read() of a blob id that climbs out of blobs/ (from a hand-edited state.json) rejects without reading the file", async () => {
    const { store } = await storeWithOutsideFile();
    const read = async () => {
      for await (const chunk of store.read({ id: "../outside.txt", size: 7, md5Hex: "" }, 0, 7)) return chunk;
      return undefined;
    };
    await expect(read()).rejects.toThrow(/blob id/);
  });

  test("delete() of a blob id that climbs out of blobs/ rejects and leaves the file", async () => {
    const { store, outside } = await storeWithOutsideFile();
    await expect(store.delete({ id: "../outside.txt", size: 7, md5Hex: "" })).rejects.toThrow(/blob id/);
    expect((await stat(outside)).size).toBe(7);
  });

  test("write() then read() of a fresh blob returns its bytes", async () => {
    const { store } = await storeWithOutsideFile();
    const blob = await store.write(Readable.from([new TextEncoder().encode("inside")]), 100, () => new Error("too large"));
    const chunks: Uint8Array[] = [];
    for await (const chunk of store.read(blob, 0, blob.size)) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe("inside");
  });

  test("read() of a range spanning several read buffers returns exactly its bytes; recycled buffers are reused, kept chunks never overwritten", async () => {
    const { store } = await storeWithOutsideFile();
    const MiB = 1024 * 1024;
    const bytes = Buffer.alloc(3 * MiB + 123457);
    for (let i = 0; i + 4 <= bytes.byteLength; i += 4) bytes.writeUInt32BE(i, i);
    const blob = await store.write(Readable.from([bytes]), bytes.byteLength, () => new Error("too large"));
    const start = MiB - 7;
    const end = bytes.byteLength - 3;

    // A consumer that recycles each chunk once done: the store reads the next one into the same memory.
    const copies: Buffer[] = [];
    const stores = new Set<ArrayBufferLike>();
    for await (const chunk of store.read(blob, start, end)) {
      copies.push(Buffer.from(chunk));
      stores.add(chunk.buffer);
      store.recycle(chunk);
    }
    expect(Buffer.concat(copies).equals(bytes.subarray(start, end))).toBe(true);
    expect(copies.length).toBeGreaterThan(1);
    expect(stores.size).toBe(1);

    // A consumer that keeps its chunks: they stay intact while later reads run.
    const kept: Uint8Array[] = [];
    for await (const chunk of store.read(blob, start, end)) kept.push(chunk);
    for await (const chunk of store.read(blob, 0, bytes.byteLength)) void chunk;
    expect(Buffer.concat(kept).equals(bytes.subarray(start, end))).toBe(true);
  });
});
