import { createHash } from "node:crypto";
import { getEventListeners } from "node:events";
import { KS3_LIMITS, ManualClock, S3_LIMITS, createMultipartObjectStore, defineLimits, normalizeBody, type ObjectStoreLimits, type StorageError } from "@stowage/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryObjectStoreDriver, MemoryObjectWorld, createMemoryObjectStore } from "./multipart-object-store.js";

const MiB = 1024 * 1024;
const ctx = () => ({ signal: new AbortController().signal });
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const md5 = (data: Uint8Array | string) => createHash("md5").update(data).digest("hex");
/** KS3 semantics with parts small enough for fast tests. */
const smallParts = (overrides: Partial<ObjectStoreLimits> = {}) => defineLimits({ ...KS3_LIMITS, multipartMinPartBytes: 4, ...overrides });

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}

async function getText(store: ReturnType<typeof createMemoryObjectStore>, key: string): Promise<string> {
  return text(await readAll((await store.getObject(key)).body));
}

/** A body that yields `chunks`, then fails. */
async function* failingAfter(...chunks: string[]): AsyncIterable<Uint8Array> {
  for (const chunk of chunks) yield new TextEncoder().encode(chunk);
  throw new Error("source broke");
}

/**
 * A body that fires `controller` once its first chunk is taken, then keeps yielding: a reader
 * that ignores the signal would reach the end and store the whole thing.
 */
async function* abortingAfterFirst(controller: AbortController): AsyncIterable<Uint8Array> {
  yield new Uint8Array(3);
  controller.abort();
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    yield new Uint8Array(3);
  }
}

describe("memory object store: objects", () => {
  it("putObject() then getObject() returns the bytes, an ETag of the quoted hex MD5, the content type and lower-cased metadata", async () => {
    const store = createMemoryObjectStore();
    const data = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    const put = await store.putObject("bin", data, { contentType: "application/x-test", metadata: { Author: "alice" } });
    expect(put.etag).toBe(`"${md5(data)}"`);
    const got = await store.getObject("bin");
    expect(await readAll(got.body)).toEqual(data);
    expect(got.contentLength).toBe(256);
    expect(got.range).toBeUndefined();
    expect(got.info).toMatchObject({ key: "bin", size: 256, etag: put.etag, contentType: "application/x-test", metadata: { author: "alice" } });
  });

  it("getObject() of a missing key rejects NotFound (404 NoSuchKey)", async () => {
    const store = createMemoryObjectStore();
    await expect(store.getObject("nope")).rejects.toMatchObject({ code: "NotFound", httpStatus: 404, providerCode: "NoSuchKey" });
    await expect(store.headObject("nope")).rejects.toMatchObject({ code: "NotFound" });
  });

  it("getObject() streams a large object in several chunks and a reader writing into a chunk cannot change the stored object", async () => {
    const store = createMemoryObjectStore();
    const data = new Uint8Array(200 * 1024).fill(7);
    await store.putObject("big", data);
    const reader = (await store.getObject("big")).body.getReader();
    let chunks = 0;
    let total = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks++;
      total += value.byteLength;
      value.fill(0);
    }
    expect(chunks).toBeGreaterThan(1);
    expect(total).toBe(data.byteLength);
    expect((await readAll((await store.getObject("big")).body)).every((b) => b === 7)).toBe(true);
  });

  it("a getObject() body already open keeps streaming the version it started with after an overwrite", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("k", "old version");
    const result = await store.getObject("k");
    await store.putObject("k", "the new one");
    expect(text(await readAll(result.body))).toBe("old version");
    expect(await getText(store, "k")).toBe("the new one");
  });

  it("putObject() stores a copy: changing the caller's array afterwards does not change the object", async () => {
    const store = createMemoryObjectStore();
    const data = new TextEncoder().encode("original");
    await store.putObject("k", data);
    data.fill(0);
    expect(await getText(store, "k")).toBe("original");
  });

  it("putObject() with a streamed body that fails midway rejects and leaves the previous version visible", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("k", "previous");
    await expect(store.putObject("k", failingAfter("half", "written"))).rejects.toMatchObject({ code: "InvalidArgument" });
    expect(await getText(store, "k")).toBe("previous");
  });

  it("putObject() aborted while the body streams rejects Aborted and stores nothing", async () => {
    const store = createMemoryObjectStore();
    const controller = new AbortController();
    async function* slow(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(3);
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 5));
      yield new Uint8Array(3);
    }
    await expect(store.putObject("k", slow(), { signal: controller.signal })).rejects.toMatchObject({ code: "Aborted" });
    await expect(store.headObject("k")).rejects.toMatchObject({ code: "NotFound" });
  });

  // On the driver, not the facade: the facade rejects as soon as the signal fires, so only
  // the driver's own answer shows whether it stopped reading and stored nothing.
  it("putObject() on the driver aborted while the body streams rejects Aborted and stores nothing, even once the source ends", async () => {
    const driver = new MemoryObjectStoreDriver();
    const controller = new AbortController();
    await expect(driver.putObject("k", normalizeBody(abortingAfterFirst(controller)), {}, { signal: controller.signal })).rejects.toMatchObject({
      code: "Aborted",
    });
    await expect(driver.headObject("k", {}, ctx())).rejects.toMatchObject({ code: "NotFound" });
  });

  it("getObject() aborted after the first chunk errors the body with Aborted and delivers no further bytes", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("big", new Uint8Array(MiB));
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    const reader = (await store.getObject("big", { signal: controller.signal })).body.getReader();
    expect((await reader.read()).done).toBe(false);
    controller.abort(reason);
    await expect(reader.read()).rejects.toMatchObject({ name: "StorageError", code: "Aborted", cause: reason });
  });

  it("a ranged getObject() body errors with Aborted when the signal fires mid-read", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("big", new Uint8Array(MiB));
    const controller = new AbortController();
    const reader = (await store.getObject("big", { range: { first: 0, last: MiB / 2 }, signal: controller.signal })).body.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ code: "Aborted" });
  });

  it("a getObject() body read to the end or cancelled no longer listens to the signal, and a later abort changes nothing", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("k", new Uint8Array(200 * 1024));
    const controller = new AbortController();
    const read = await store.getObject("k", { signal: controller.signal });
    const cancelled = await store.getObject("k", { signal: controller.signal });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(2);
    expect((await readAll(read.body)).byteLength).toBe(200 * 1024);
    await cancelled.body.cancel();
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    controller.abort();
  });

  it("putObject() on the driver with a body shorter than its declared length rejects InvalidArgument and stores nothing", async () => {
    const driver = new MemoryObjectStoreDriver();
    const body = { ...normalizeBody("short"), length: 10, bytes: undefined };
    await expect(driver.putObject("k", body, {}, ctx())).rejects.toMatchObject({ code: "InvalidArgument", providerCode: "IncompleteBody" });
    await expect(driver.headObject("k", {}, ctx())).rejects.toMatchObject({ code: "NotFound" });
  });

  it("putObject() on the driver with a body over putObjectMaxBytes rejects EntityTooLarge", async () => {
    const driver = new MemoryObjectStoreDriver({ limits: defineLimits({ ...KS3_LIMITS, putObjectMaxBytes: 4 }) });
    await expect(driver.putObject("k", normalizeBody(new Uint8Array(5)), {}, ctx())).rejects.toMatchObject({ code: "EntityTooLarge" });
    await driver.putObject("k", normalizeBody(new Uint8Array(4)), {}, ctx());
  });

  it("deleteObject() removes an object and resolves for a missing one", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("k", "v");
    await store.deleteObject("k");
    await store.deleteObject("k");
    await expect(store.headObject("k")).rejects.toMatchObject({ code: "NotFound" });
  });
});

describe("memory object store: ranges and conditions", () => {
  it("getObject() with the three range forms returns the resolved slice and range", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("k", "0123456789");
    const cases = [
      { range: { first: 2, last: 4 }, body: "234", start: 2, end: 4 },
      { range: { first: 7, last: 99 }, body: "789", start: 7, end: 9 },
      { range: { first: 8 }, body: "89", start: 8, end: 9 },
      { range: { suffix: 3 }, body: "789", start: 7, end: 9 },
      { range: { suffix: 50 }, body: "0123456789", start: 0, end: 9 },
    ];
    for (const c of cases) {
      const result = await store.getObject("k", { range: c.range });
      expect(text(await readAll(result.body))).toBe(c.body);
      expect(result.range).toEqual({ start: c.start, end: c.end, size: 10 });
      expect(result.contentLength).toBe(c.body.length);
    }
  });

  it("getObject() with a range starting at the size, or any range of an empty object, rejects InvalidRange (416)", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("k", "0123456789");
    await store.putObject("empty", "");
    await expect(store.getObject("k", { range: { first: 10 } })).rejects.toMatchObject({ code: "InvalidRange", httpStatus: 416 });
    await expect(store.getObject("empty", { range: { first: 0, last: 0 } })).rejects.toMatchObject({ code: "InvalidRange" });
    expect((await store.getObject("empty")).contentLength).toBe(0);
  });

  it("getObject() conditions: If-Match mismatch → PreconditionFailed, If-None-Match match → NotModified, If-Modified-Since not newer → NotModified", async () => {
    const clock = new ManualClock();
    const store = createMemoryObjectStore({ clock });
    const { etag } = await store.putObject("k", "v");
    const modified = new Date(clock.now());
    await expect(store.getObject("k", { ifMatch: '"other"' })).rejects.toMatchObject({ code: "PreconditionFailed", httpStatus: 412 });
    await expect(store.getObject("k", { ifNoneMatch: etag })).rejects.toMatchObject({ code: "NotModified", httpStatus: 304 });
    await expect(store.headObject("k", { ifModifiedSince: modified })).rejects.toMatchObject({ code: "NotModified" });
    await expect(store.headObject("k", { ifModifiedSince: new Date(modified.getTime() - 1000) })).resolves.toMatchObject({ etag });
    await expect(store.getObject("k", { ifMatch: etag, ifUnmodifiedSince: new Date(0) })).resolves.toMatchObject({ contentLength: 1 });
  });
});

describe("memory object store: SSE-C", () => {
  const key1 = { key: new Uint8Array(32).fill(1) };
  const key2 = { key: new Uint8Array(32).fill(2) };

  it("getObject()/headObject() of an SSE-C object need the same key: none → InvalidArgument (InvalidRequest), another → InvalidArgument (Md5ErrorForCustomerKey)", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("secret", "payload", { sseC: key1 });
    await expect(store.getObject("secret")).rejects.toMatchObject({ code: "InvalidArgument", httpStatus: 400, providerCode: "InvalidRequest" });
    await expect(store.headObject("secret", { sseC: key2 })).rejects.toMatchObject({ code: "InvalidArgument", providerCode: "Md5ErrorForCustomerKey" });
    expect(text(await readAll((await store.getObject("secret", { sseC: key1 })).body))).toBe("payload");
  });

  it("getObject() with an SSE-C key on an object stored without one rejects InvalidArgument", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("plain", "payload");
    await expect(store.getObject("plain", { sseC: key1 })).rejects.toMatchObject({ code: "InvalidArgument", providerCode: "InvalidRequest" });
  });

  it("an SSE-C error message never contains the key bytes in base64", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("secret", "payload", { sseC: key1 });
    const err = await store.getObject("secret", { sseC: key2 }).then(
      () => undefined,
      (e: unknown) => e as StorageError,
    );
    expect(err).toMatchObject({ code: "InvalidArgument" });
    const secret = Buffer.from(key2.key).toString("base64");
    expect(JSON.stringify(err!.toJSON())).not.toContain(secret);
    expect(String(err)).not.toContain(secret);
  });

  it("copyObject() from an SSE-C source needs the source key, and the copy is encrypted with the destination key", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("secret", "payload", { sseC: key1 });
    await expect(store.copyObject("copy", { source: { key: "secret" } })).rejects.toMatchObject({ code: "InvalidArgument" });
    await store.copyObject("copy", { source: { key: "secret", sseC: key1 }, sseC: key2 });
    await expect(store.getObject("copy", { sseC: key1 })).rejects.toMatchObject({ code: "InvalidArgument" });
    expect(text(await readAll((await store.getObject("copy", { sseC: key2 })).body))).toBe("payload");
  });

  it("uploadPart() with a key other than the upload's rejects InvalidArgument; the completed object needs the upload's key", async () => {
    const store = createMemoryObjectStore({ limits: smallParts() });
    const { uploadId } = await store.createMultipartUpload("mp", { sseC: key1 });
    await expect(store.uploadPart("mp", uploadId, 1, "data")).rejects.toMatchObject({ code: "InvalidArgument" });
    await expect(store.uploadPart("mp", uploadId, 1, "data", { sseC: key2 })).rejects.toMatchObject({ code: "InvalidArgument" });
    const part = await store.uploadPart("mp", uploadId, 1, "data", { sseC: key1 });
    await store.completeMultipartUpload("mp", uploadId, [part]);
    await expect(store.headObject("mp")).rejects.toMatchObject({ code: "InvalidArgument" });
    await expect(store.headObject("mp", { sseC: key1 })).resolves.toMatchObject({ size: 4 });
  });

  it("uploadPartCopy() from an SSE-C source honours the copy-source key", async () => {
    const store = createMemoryObjectStore({ limits: smallParts() });
    await store.putObject("secret", "payload", { sseC: key1 });
    const { uploadId } = await store.createMultipartUpload("mp");
    await expect(store.uploadPartCopy("mp", uploadId, 1, { source: { key: "secret", sseC: key2 } })).rejects.toMatchObject({
      code: "InvalidArgument",
      providerCode: "Md5ErrorForCustomerKey",
    });
    const part = await store.uploadPartCopy("mp", uploadId, 1, { source: { key: "secret", sseC: key1 } });
    await store.completeMultipartUpload("mp", uploadId, [part]);
    expect(await getText(store, "mp")).toBe("payload");
  });
});

describe("memory object store: copies and buckets", () => {
  it("copyObject() reads from another bucket of the same world and keeps the source's metadata and content type", async () => {
    const world = new MemoryObjectWorld();
    const media = createMemoryObjectStore({ world, bucket: "media" });
    const backup = createMemoryObjectStore({ world, bucket: "backup" });
    await media.putObject("a.txt", "hello", { contentType: "text/plain", metadata: { owner: "bob" } });
    const copy = await backup.copyObject("b.txt", { source: { bucket: "media", key: "a.txt" } });
    expect(copy.etag).toBe(`"${md5("hello")}"`);
    expect(await getText(backup, "b.txt")).toBe("hello");
    expect(await backup.headObject("b.txt")).toMatchObject({ contentType: "text/plain", metadata: { owner: "bob" } });
    await expect(media.headObject("b.txt")).rejects.toMatchObject({ code: "NotFound" });
    expect(world.bucketNames()).toEqual(["backup", "media"]);
  });

  it("copyObject() with metadata replaces the source's metadata", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("a", "x", { metadata: { one: "1" } });
    await store.copyObject("b", { source: { key: "a" }, metadata: { two: "2" } });
    expect((await store.headObject("b")).metadata).toEqual({ two: "2" });
  });

  it("copyObject() from a bucket that does not exist rejects BucketNotFound, from a missing key NotFound", async () => {
    const store = createMemoryObjectStore();
    await expect(store.copyObject("b", { source: { bucket: "nowhere", key: "a" } })).rejects.toMatchObject({ code: "BucketNotFound", httpStatus: 404 });
    await expect(store.copyObject("b", { source: { key: "a" } })).rejects.toMatchObject({ code: "NotFound" });
  });

  it("copyObject() onto itself without any change rejects InvalidArgument (InvalidRequest); with new metadata it succeeds", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("a", "x");
    await expect(store.copyObject("a", { source: { key: "a" } })).rejects.toMatchObject({ code: "InvalidArgument", providerCode: "InvalidRequest" });
    await store.copyObject("a", { source: { key: "a" }, metadata: { v: "2" } });
    expect((await store.headObject("a")).metadata).toEqual({ v: "2" });
  });

  it("copyObject() copy-source conditions: if-match / if-unmodified-since fail → PreconditionFailed, if-none-match / if-modified-since fail → NotModified", async () => {
    const clock = new ManualClock();
    const store = createMemoryObjectStore({ clock });
    const { etag } = await store.putObject("src", "x");
    const at = new Date(clock.now());
    clock.advance(10_000);
    const copy = (conditions: object) => store.copyObject("dst", { source: { key: "src" }, ...conditions });
    await expect(copy({ ifMatch: '"nope"' })).rejects.toMatchObject({ code: "PreconditionFailed", httpStatus: 412 });
    await expect(copy({ ifUnmodifiedSince: new Date(at.getTime() - 1000) })).rejects.toMatchObject({ code: "PreconditionFailed" });
    await expect(copy({ ifNoneMatch: etag })).rejects.toMatchObject({ code: "NotModified", httpStatus: 304 });
    await expect(copy({ ifModifiedSince: at })).rejects.toMatchObject({ code: "NotModified" });
    await expect(store.headObject("dst")).rejects.toMatchObject({ code: "NotFound" });
    await expect(copy({ ifMatch: etag, ifModifiedSince: new Date(at.getTime() - 1000) })).resolves.toMatchObject({ etag });
  });

  it("copyObject() of a source over copyObjectMaxSourceBytes rejects EntityTooLarge", async () => {
    const store = createMemoryObjectStore({ limits: defineLimits({ ...KS3_LIMITS, copyObjectMaxSourceBytes: 3 }) });
    await store.putObject("src", "four");
    await expect(store.copyObject("dst", { source: { key: "src" } })).rejects.toMatchObject({ code: "EntityTooLarge" });
  });

  it("after dropBucket() every operation rejects BucketNotFound", async () => {
    const store = createMemoryObjectStore({ limits: smallParts() });
    await store.putObject("k", "v");
    const { uploadId } = await store.createMultipartUpload("m");
    store.driver.dropBucket();
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["putObject", () => store.putObject("k", "v")],
      ["getObject", () => store.getObject("k")],
      ["headObject", () => store.headObject("k")],
      ["deleteObject", () => store.deleteObject("k")],
      ["copyObject", () => store.copyObject("c", { source: { key: "k" } })],
      ["listObjects", () => store.listObjects()],
      ["createMultipartUpload", () => store.createMultipartUpload("m")],
      ["uploadPart", () => store.uploadPart("m", uploadId, 1, "x")],
      ["completeMultipartUpload", () => store.completeMultipartUpload("m", uploadId, [{ partNumber: 1, etag: '"x"' }])],
      ["abortMultipartUpload", () => store.abortMultipartUpload("m", uploadId)],
      ["listParts", () => store.listParts("m", uploadId)],
      ["listMultipartUploads", () => store.listMultipartUploads()],
    ];
    for (const [operation, call] of calls) {
      await expect(call(), operation).rejects.toMatchObject({ code: "BucketNotFound", providerCode: "NoSuchBucket" });
    }
  });

  it("putObject() whose bucket is dropped while the body streams rejects BucketNotFound", async () => {
    const store = createMemoryObjectStore();
    async function* body(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(1);
      store.driver.dropBucket();
      yield new Uint8Array(1);
    }
    await expect(store.putObject("k", body())).rejects.toMatchObject({ code: "BucketNotFound" });
    expect(store.driver.world.hasBucket(store.driver.bucket)).toBe(false);
  });
});

describe("memory object store: listing", () => {
  async function seeded(keys: string[], limits?: ObjectStoreLimits) {
    const store = createMemoryObjectStore(limits === undefined ? {} : { limits });
    for (const key of keys) await store.putObject(key, key);
    return store;
  }

  it("listObjects() with a delimiter rolls keys up into commonPrefixes", async () => {
    const store = await seeded(["a.txt", "dir/x", "dir/y", "dir/sub/z", "other/q", "z.txt"]);
    const page = await store.listObjects({ delimiter: "/" });
    expect(page.objects.map((o) => o.key)).toEqual(["a.txt", "z.txt"]);
    expect(page.commonPrefixes).toEqual(["dir/", "other/"]);
    const inDir = await store.listObjects({ prefix: "dir/", delimiter: "/" });
    expect(inDir.objects.map((o) => o.key)).toEqual(["dir/x", "dir/y"]);
    expect(inDir.commonPrefixes).toEqual(["dir/sub/"]);
    expect(inDir.objects[0]).toMatchObject({ size: 5, etag: `"${md5("dir/x")}"` });
  });

  it("listObjects() pages objects and common prefixes together with a cursor, never repeating a prefix", async () => {
    const store = await seeded(["a", "b/1", "b/2", "b/3", "c", "d/1", "e"]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listObjects({ delimiter: "/", limit: 2, ...(cursor === undefined ? {} : { cursor }) });
      expect(page.objects.length + page.commonPrefixes.length).toBeLessThanOrEqual(2);
      seen.push(...page.objects.map((o) => o.key), ...page.commonPrefixes);
      cursor = page.cursor;
    } while (cursor !== undefined);
    expect(seen.sort()).toEqual(["a", "b/", "c", "d/", "e"]);
  });

  it("listObjects() pages by the KS3 page sizes by default: 1000 without a delimiter, 100 with one", async () => {
    const store = await seeded(Array.from({ length: 101 }, (_, i) => `k${String(i).padStart(3, "0")}`));
    expect((await store.listObjects({ delimiter: "/" })).objects).toHaveLength(100);
    expect((await store.listObjects()).objects).toHaveLength(101);
  });

  it("listObjects() paging under concurrent writes returns each object that existed throughout exactly once", async () => {
    const store = await seeded(["b", "d", "f", "h"]);
    const first = await store.listObjects({ limit: 2 });
    expect(first.objects.map((o) => o.key)).toEqual(["b", "d"]);
    await store.putObject("a", "new before the cursor");
    await store.putObject("c", "new before the cursor");
    await store.putObject("e", "new after the cursor");
    await store.deleteObject("d");
    const second = await store.listObjects({ limit: 10, cursor: first.cursor! });
    expect(second.objects.map((o) => o.key)).toEqual(["e", "f", "h"]);
  });

  it("paging listObjects() with and without a delimiter under concurrent writes lists each stable key (or its prefix) exactly once, in order", async () => {
    const keyArb = fc.string({ unit: fc.constantFrom("a", "b", "/", "\u00E9", "\u{1F600}"), minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(keyArb, { maxLength: 20 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(undefined, "/"),
        fc.array(fc.record({ key: keyArb, op: fc.constantFrom("put", "delete") }), { maxLength: 30 }),
        async (stable, limit, delimiter, churn) => {
          const store = createMemoryObjectStore();
          for (const key of stable) await store.putObject(key, "stable");
          const stableSet = new Set(stable);
          const rollUp = (key: string) => (delimiter !== undefined && key.includes(delimiter) ? key.slice(0, key.indexOf(delimiter) + 1) : key);
          const seen: string[] = [];
          let cursor: string | undefined;
          let step = 0;
          do {
            const page = await store.listObjects({ limit, ...(delimiter === undefined ? {} : { delimiter }), ...(cursor === undefined ? {} : { cursor }) });
            const entries = [...page.objects.map((o) => o.key), ...page.commonPrefixes].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
            expect(entries.length).toBeLessThanOrEqual(limit);
            seen.push(...entries);
            cursor = page.cursor;
            for (const change of churn.slice(step, step + 2)) {
              if (stableSet.has(change.key)) continue;
              if (change.op === "put") await store.putObject(change.key, "churn");
              else await store.deleteObject(change.key);
            }
            step += 2;
          } while (cursor !== undefined);
          expect(new Set(seen).size).toBe(seen.length);
          for (const key of stable) expect(seen).toContain(rollUp(key));
          expect(seen).toEqual([...seen].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("listObjects() with a cursor from a listing with another delimiter rejects InvalidArgument", async () => {
    const store = await seeded(["a", "b", "c"]);
    const page = await store.listObjects({ limit: 1 });
    await expect(store.listObjects({ delimiter: "/", cursor: page.cursor! })).rejects.toMatchObject({ code: "InvalidArgument" });
    await expect(store.listObjects({ cursor: "garbage" })).rejects.toMatchObject({ code: "InvalidArgument" });
  });
});

describe("memory object store: multipart", () => {
  it("completeMultipartUpload() of three 5 MiB parts of 'A', 'B', 'C' gives the s3-tests ETag b2add96cc9702bbf4efb0ccdfc6b7747-3", async () => {
    const store = createMemoryObjectStore();
    const { uploadId } = await store.createMultipartUpload("abc");
    const parts = [];
    for (const [i, ch] of ["A", "B", "C"].entries()) {
      parts.push(await store.uploadPart("abc", uploadId, i + 1, new Uint8Array(5 * MiB).fill(ch.charCodeAt(0))));
    }
    const done = await store.completeMultipartUpload("abc", uploadId, parts);
    expect(done.etag).toBe('"b2add96cc9702bbf4efb0ccdfc6b7747-3"');
    const info = await store.headObject("abc");
    expect(info).toMatchObject({ size: 15 * MiB, etag: done.etag });
  });

  it("uploadPart() again with the same part number replaces the part (last wins)", async () => {
    const store = createMemoryObjectStore({ limits: smallParts() });
    const { uploadId } = await store.createMultipartUpload("k");
    const stale = await store.uploadPart("k", uploadId, 1, "first");
    const part = await store.uploadPart("k", uploadId, 1, "second");
    expect((await store.listParts("k", uploadId)).parts).toMatchObject([{ partNumber: 1, etag: part.etag, size: 6 }]);
    await expect(store.completeMultipartUpload("k", uploadId, [stale])).rejects.toMatchObject({ code: "InvalidPart" });
    await store.completeMultipartUpload("k", uploadId, [part]);
    expect(await getText(store, "k")).toBe("second");
  });

  it("completeMultipartUpload() assembles parts in order with the upload's content type and metadata, and accepts unquoted ETags", async () => {
    const store = createMemoryObjectStore({ limits: smallParts() });
    const { uploadId } = await store.createMultipartUpload("k", { contentType: "text/plain", metadata: { Kind: "test" } });
    const p1 = await store.uploadPart("k", uploadId, 1, "hello ");
    const p2 = await store.uploadPart("k", uploadId, 2, "world");
    await store.completeMultipartUpload("k", uploadId, [p1, { partNumber: 2, etag: p2.etag.replaceAll('"', "") }]);
    expect(await getText(store, "k")).toBe("hello world");
    expect(await store.headObject("k")).toMatchObject({ contentType: "text/plain", metadata: { kind: "test" } });
  });

  // The facade checks the order too; these call the driver so its own answer is what is tested.
  it("the driver's completeMultipartUpload() rejects an empty or non-ascending part list with InvalidPartOrder", async () => {
    const driver = new MemoryObjectStoreDriver({ limits: smallParts() });
    const { uploadId } = await driver.createMultipartUpload("k", {}, ctx());
    const p1 = await driver.uploadPart("k", uploadId, 1, normalizeBody("aaaa"), {}, ctx());
    const p2 = await driver.uploadPart("k", uploadId, 2, normalizeBody("bbbb"), {}, ctx());
    for (const parts of [[], [p2, p1], [p1, p1]]) {
      await expect(driver.completeMultipartUpload("k", uploadId, parts, {}, ctx())).rejects.toMatchObject({ code: "InvalidPartOrder", httpStatus: 400 });
    }
    await expect(driver.completeMultipartUpload("k", uploadId, [p1, p2], {}, ctx())).resolves.toMatchObject({ key: "k" });
  });

  it("the driver's completeMultipartUpload() with a gap rejects InvalidPartOrder on KS3 limits and succeeds on S3 limits", async () => {
    for (const [limits, outcome] of [
      [smallParts(), "InvalidPartOrder"],
      [defineLimits({ ...S3_LIMITS, multipartMinPartBytes: 4 }), "ok"],
    ] as const) {
      const driver = new MemoryObjectStoreDriver({ limits });
      const { uploadId } = await driver.createMultipartUpload("k", {}, ctx());
      const p1 = await driver.uploadPart("k", uploadId, 1, normalizeBody("aaaa"), {}, ctx());
      const p3 = await driver.uploadPart("k", uploadId, 3, normalizeBody("cccc"), {}, ctx());
      const completing = driver.completeMultipartUpload("k", uploadId, [p1, p3], {}, ctx());
      if (outcome === "ok") {
        await completing;
        expect(text(await readAll((await driver.getObject("k", {}, ctx())).body))).toBe("aaaacccc");
      } else {
        await expect(completing).rejects.toMatchObject({ code: outcome, httpStatus: 400 });
      }
    }
  });

  it("completeMultipartUpload() naming a part never uploaded, or with another ETag, rejects InvalidPart", async () => {
    const store = createMemoryObjectStore({ limits: smallParts() });
    const { uploadId } = await store.createMultipartUpload("k");
    const p1 = await store.uploadPart("k", uploadId, 1, "aaaa");
    await expect(store.completeMultipartUpload("k", uploadId, [p1, { partNumber: 2, etag: p1.etag }])).rejects.toMatchObject({ code: "InvalidPart" });
    await expect(store.completeMultipartUpload("k", uploadId, [{ partNumber: 1, etag: `"${"f".repeat(32)}"` }])).rejects.toMatchObject({
      code: "InvalidPart",
    });
  });

  it("completeMultipartUpload() with a non-last part below multipartMinPartBytes rejects EntityTooSmall; a small last part is fine", async () => {
    const store = createMemoryObjectStore({ limits: smallParts() });
    const { uploadId } = await store.createMultipartUpload("k");
    const p1 = await store.uploadPart("k", uploadId, 1, "aaa");
    const p2 = await store.uploadPart("k", uploadId, 2, "b");
    await expect(store.completeMultipartUpload("k", uploadId, [p1, p2])).rejects.toMatchObject({ code: "EntityTooSmall" });
    const p1b = await store.uploadPart("k", uploadId, 1, "aaaa");
    await store.completeMultipartUpload("k", uploadId, [p1b, p2]);
    expect(await getText(store, "k")).toBe("aaaab");
  });

  it("a failed completeMultipartUpload() leaves the upload open and no object visible", async () => {
    const store = createMemoryObjectStore({ limits: smallParts() });
    const { uploadId } = await store.createMultipartUpload("k");
    const p1 = await store.uploadPart("k", uploadId, 1, "a");
    const p2 = await store.uploadPart("k", uploadId, 2, "b");
    await expect(store.completeMultipartUpload("k", uploadId, [p1, p2])).rejects.toMatchObject({ code: "EntityTooSmall" });
    await expect(store.headObject("k")).rejects.toMatchObject({ code: "NotFound" });
    expect((await store.listParts("k", uploadId)).parts).toHaveLength(2);
  });

  it("the driver itself rejects part numbers outside the manifest with InvalidPartNumber", async () => {
    const driver = new MemoryObjectStoreDriver({ limits: smallParts({ multipartMaxPartNumber: 3 }) });
    await driver.putObject("src", normalizeBody("source"), {}, ctx());
    const { uploadId } = await driver.createMultipartUpload("k", {}, ctx());
    for (const partNumber of [0, 4, 1.5]) {
      await expect(driver.uploadPart("k", uploadId, partNumber, normalizeBody("x"), {}, ctx())).rejects.toMatchObject({ code: "InvalidPartNumber", httpStatus: 400 });
      await expect(driver.uploadPartCopy("k", uploadId, partNumber, { source: { key: "src" } }, ctx())).rejects.toMatchObject({ code: "InvalidPartNumber" });
    }
    await expect(driver.uploadPart("k", uploadId, 3, normalizeBody("x"), {}, ctx())).resolves.toMatchObject({ partNumber: 3 });
  });

  it("after abortMultipartUpload() uploadPart, completeMultipartUpload, listParts and a second abort reject UploadNotFound", async () => {
    const store = createMemoryObjectStore({ limits: smallParts() });
    const { uploadId } = await store.createMultipartUpload("k");
    const part = await store.uploadPart("k", uploadId, 1, "data");
    await store.abortMultipartUpload("k", uploadId);
    const notFound = { code: "UploadNotFound", httpStatus: 404, providerCode: "NoSuchUpload" };
    await expect(store.uploadPart("k", uploadId, 2, "x")).rejects.toMatchObject(notFound);
    await expect(store.completeMultipartUpload("k", uploadId, [part])).rejects.toMatchObject(notFound);
    await expect(store.listParts("k", uploadId)).rejects.toMatchObject(notFound);
    await expect(store.abortMultipartUpload("k", uploadId)).rejects.toMatchObject(notFound);
    await expect(store.headObject("k")).rejects.toMatchObject({ code: "NotFound" });
    expect((await store.listMultipartUploads()).uploads).toEqual([]);
  });

  it("after completeMultipartUpload() the upload id is gone: uploadPart rejects UploadNotFound", async () => {
    const store = createMemoryObjectStore({ limits: smallParts() });
    const { uploadId } = await store.createMultipartUpload("k");
    const part = await store.uploadPart("k", uploadId, 1, "data");
    await store.completeMultipartUpload("k", uploadId, [part]);
    await expect(store.uploadPart("k", uploadId, 1, "x")).rejects.toMatchObject({ code: "UploadNotFound" });
  });

  it("an upload id used with another key rejects UploadNotFound", async () => {
    const store = createMemoryObjectStore({ limits: smallParts() });
    const { uploadId } = await store.createMultipartUpload("k");
    await expect(store.uploadPart("other", uploadId, 1, "x")).rejects.toMatchObject({ code: "UploadNotFound" });
  });

  it("uploadPart() whose upload is aborted while the body streams rejects UploadNotFound and leaves no part", async () => {
    const store = createMemoryObjectStore({ limits: smallParts() });
    const { uploadId } = await store.createMultipartUpload("k");
    async function* body(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(1);
      await store.abortMultipartUpload("k", uploadId);
      yield new Uint8Array(1);
    }
    await expect(store.uploadPart("k", uploadId, 1, body())).rejects.toMatchObject({ code: "UploadNotFound" });
  });

  it("uploadPart() on the driver aborted while the body streams rejects Aborted and leaves the part as it was", async () => {
    const driver = new MemoryObjectStoreDriver({ limits: smallParts() });
    const { uploadId } = await driver.createMultipartUpload("k", {}, ctx());
    await driver.uploadPart("k", uploadId, 1, normalizeBody("first"), {}, ctx());
    const controller = new AbortController();
    await expect(
      driver.uploadPart("k", uploadId, 1, normalizeBody(abortingAfterFirst(controller)), {}, { signal: controller.signal }),
    ).rejects.toMatchObject({ code: "Aborted" });
    const { parts } = await driver.listParts("k", uploadId, {}, ctx());
    expect(parts.map((p) => [p.partNumber, p.etag])).toEqual([[1, `"${md5("first")}"`]]);
  });

  it("uploadPartCopy() copies an inclusive range of a source in another bucket; a range past the source end rejects InvalidRange", async () => {
    const world = new MemoryObjectWorld();
    const source = createMemoryObjectStore({ world, bucket: "src-bucket" });
    const store = createMemoryObjectStore({ world, bucket: "dst", limits: smallParts() });
    await source.putObject("obj.bin", "0123456789");
    const { uploadId } = await store.createMultipartUpload("k");
    const p1 = await store.uploadPartCopy("k", uploadId, 1, { source: { bucket: "src-bucket", key: "obj.bin" }, range: { first: 0, last: 4 } });
    expect(p1.etag).toBe(`"${md5("01234")}"`);
    const p2 = await store.uploadPartCopy("k", uploadId, 2, { source: { bucket: "src-bucket", key: "obj.bin" }, range: { first: 9, last: 9 } });
    await expect(
      store.uploadPartCopy("k", uploadId, 3, { source: { bucket: "src-bucket", key: "obj.bin" }, range: { first: 5, last: 10 } }),
    ).rejects.toMatchObject({ code: "InvalidRange", httpStatus: 416 });
    await store.completeMultipartUpload("k", uploadId, [p1, p2]);
    expect(await getText(store, "k")).toBe("012349");
  });

  it("uploadPartCopy() without a range copies the whole source; a missing source rejects NotFound", async () => {
    const store = createMemoryObjectStore({ limits: smallParts() });
    await store.putObject("src", "whole");
    const { uploadId } = await store.createMultipartUpload("k");
    const part = await store.uploadPartCopy("k", uploadId, 1, { source: { key: "src" } });
    expect((await store.listParts("k", uploadId)).parts[0]).toMatchObject({ size: 5, etag: part.etag });
    await expect(store.uploadPartCopy("k", uploadId, 2, { source: { key: "missing" } })).rejects.toMatchObject({ code: "NotFound" });
  });

  it("uploadPartCopy() copy-source conditions follow the seed: if-match / if-unmodified-since → 412, if-none-match / if-modified-since → 304", async () => {
    const clock = new ManualClock();
    const store = createMemoryObjectStore({ clock, limits: smallParts() });
    const { etag } = await store.putObject("src", "source");
    const at = new Date(clock.now());
    const { uploadId } = await store.createMultipartUpload("k");
    const copy = (conditions: object) => store.uploadPartCopy("k", uploadId, 1, { source: { key: "src" }, ...conditions });
    await expect(copy({ ifMatch: '"other"' })).rejects.toMatchObject({ code: "PreconditionFailed", httpStatus: 412 });
    await expect(copy({ ifUnmodifiedSince: new Date(at.getTime() - 1000) })).rejects.toMatchObject({ code: "PreconditionFailed", httpStatus: 412 });
    await expect(copy({ ifNoneMatch: etag })).rejects.toMatchObject({ code: "NotModified", httpStatus: 304 });
    await expect(copy({ ifModifiedSince: new Date(at.getTime() + 60_000) })).rejects.toMatchObject({ code: "NotModified", httpStatus: 304 });
    expect((await store.listParts("k", uploadId)).parts).toEqual([]);
    await expect(copy({ ifMatch: etag, ifUnmodifiedSince: new Date(at.getTime() + 60_000) })).resolves.toMatchObject({ partNumber: 1 });
  });

  it("listParts() pages in ascending part-number order with a cursor", async () => {
    const store = createMemoryObjectStore({ limits: smallParts() });
    const { uploadId } = await store.createMultipartUpload("k");
    for (const n of [3, 1, 5, 2, 4]) await store.uploadPart("k", uploadId, n, `part${n}`);
    const first = await store.listParts("k", uploadId, { limit: 2 });
    expect(first.parts.map((p) => p.partNumber)).toEqual([1, 2]);
    const second = await store.listParts("k", uploadId, { limit: 2, cursor: first.cursor! });
    expect(second.parts.map((p) => p.partNumber)).toEqual([3, 4]);
    const third = await store.listParts("k", uploadId, { limit: 2, cursor: second.cursor! });
    expect(third.parts.map((p) => p.partNumber)).toEqual([5]);
    expect(third.cursor).toBeUndefined();
  });

  it("listMultipartUploads() orders by key then initiation, filters by prefix and pages with a cursor", async () => {
    const clock = new ManualClock();
    const store = createMemoryObjectStore({ clock });
    const b1 = await store.createMultipartUpload("b");
    clock.advance(1000);
    const a = await store.createMultipartUpload("a");
    clock.advance(1000);
    const b2 = await store.createMultipartUpload("b");
    await store.createMultipartUpload("x/other");
    const first = await store.listMultipartUploads({ limit: 2 });
    expect(first.uploads.map((u) => u.uploadId)).toEqual([a.uploadId, b1.uploadId]);
    const second = await store.listMultipartUploads({ limit: 2, cursor: first.cursor! });
    expect(second.uploads.map((u) => u.key)).toEqual(["b", "x/other"]);
    expect(second.uploads[0]!.uploadId).toBe(b2.uploadId);
    expect(second.cursor).toBeUndefined();
    expect((await store.listMultipartUploads({ prefix: "x/" })).uploads.map((u) => u.key)).toEqual(["x/other"]);
  });
});

describe("MemoryObjectStore convenience readers (getObjectBytes / getObjectText / getObjectJson)", () => {
  it("getObjectBytes(), getObjectText() and getObjectJson() read the whole object as the KV readers read a value", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("bin", new Uint8Array([0, 255, 7]));
    await store.putObject("doc.json", JSON.stringify({ a: [1, "é"] }));
    expect(await store.getObjectBytes("bin")).toEqual(new Uint8Array([0, 255, 7]));
    expect(await store.getObjectText("doc.json")).toBe('{"a":[1,"é"]}');
    expect(await store.getObjectJson("doc.json")).toEqual({ a: [1, "é"] });
  });

  it("getObjectText() with a range reads only that range", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("report.csv", "a,b\n1,2\n");
    expect(await store.getObjectText("report.csv", { range: { first: 0, last: 3 } })).toBe("a,b\n");
  });

  it("getObjectBytes() of an object larger than maxBytes rejects EntityTooLarge; maxBytes equal to the size reads it", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("k", "12345");
    await expect(store.getObjectBytes("k", { maxBytes: 4 })).rejects.toMatchObject({ code: "EntityTooLarge", operation: "getObjectBytes", key: "k" });
    expect(text(await store.getObjectBytes("k", { maxBytes: 5 }))).toBe("12345");
  });

  it("getObjectText() of invalid UTF-8 and getObjectJson() of invalid JSON reject InvalidArgument", async () => {
    const store = createMemoryObjectStore();
    await store.putObject("bad-utf8", new Uint8Array([0xff]));
    await store.putObject("bad-json", "{");
    await expect(store.getObjectText("bad-utf8")).rejects.toMatchObject({ code: "InvalidArgument", operation: "getObjectText" });
    await expect(store.getObjectJson("bad-json")).rejects.toMatchObject({ code: "InvalidArgument", operation: "getObjectJson" });
  });

  it("getObjectBytes() of a missing key rejects NotFound, naming the key", async () => {
    const store = createMemoryObjectStore();
    await expect(store.getObjectBytes("absent")).rejects.toMatchObject({ code: "NotFound", key: "absent" });
  });
});

describe("MemoryObjectStore error messages", () => {
  it("follow core's one format, worded as KS3's: provider, operation, key, code, HTTP status", async () => {
    const store = createMemoryObjectStore({ bucket: "reports" });
    await expect(store.headObject("reports/q3.csv")).rejects.toMatchObject({ message: "memory headObject reports/q3.csv: NotFound (HTTP 404)" });
    await store.putObject("eleven.txt", "hello world");
    await expect(store.getObject("eleven.txt", { range: { first: 20 } })).rejects.toMatchObject({
      message: "memory getObject eleven.txt: InvalidRange (HTTP 416), object size 11",
    });
  });

  it("name the bucket for a call without a key and when the bucket is what is missing", async () => {
    const driver = new MemoryObjectStoreDriver({ bucket: "reports" });
    const store = createMultipartObjectStore(driver);
    driver.dropBucket();
    await expect(store.listObjects()).rejects.toMatchObject({ code: "BucketNotFound", message: expect.stringMatching(/^memory listObjects bucket "reports": BucketNotFound/) });
    await expect(store.headObject("k")).rejects.toMatchObject({ message: expect.stringMatching(/^memory headObject k: BucketNotFound \(HTTP 404\), bucket "reports"/) });
  });
});

describe("memory object store keeps a private copy of caller Buffers", () => {
  it("putObject() and uploadPart() of a Buffer the caller changes afterwards keep the bytes as sent", async () => {
    const store = createMemoryObjectStore({ limits: defineLimits<ObjectStoreLimits>({ ...S3_LIMITS, multipartMinPartBytes: 1 }) });
    const buffer = Buffer.from("original");
    await store.putObject("k", buffer);
    buffer.fill(0x78);
    expect(new TextDecoder().decode(await store.getObjectBytes("k"))).toBe("original");

    const part = Buffer.from("part-one");
    const { uploadId } = await store.createMultipartUpload("m");
    const { etag } = await store.uploadPart("m", uploadId, 1, part);
    part.fill(0x78);
    await store.completeMultipartUpload("m", uploadId, [{ partNumber: 1, etag }]);
    expect(new TextDecoder().decode(await store.getObjectBytes("m"))).toBe("part-one");
  });
});
