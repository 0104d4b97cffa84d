import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readBytes } from "./body.js";
import { createMultipartObjectStore } from "./create-multipart-object-store.js";
import { defineLimits, type ObjectStoreLimits } from "./limits.js";
import type { MultipartObjectStore, MultipartObjectStoreDriver } from "./multipart-object-store.js";
import { StorageError, isStorageError, type StorageErrorCode } from "./storage-error.js";
import { SMALL_OBJECT_LIMITS, fakeObjectDriver } from "./test-fake-drivers.js";

async function rejection(p: Promise<unknown>): Promise<StorageError> {
  try {
    await p;
  } catch (err) {
    if (isStorageError(err)) return err;
    throw err;
  }
  throw new Error("expected a rejection");
}

async function codeOf(p: Promise<unknown>): Promise<StorageErrorCode> {
  return (await rejection(p)).code;
}

function setup(overrides: Partial<MultipartObjectStoreDriver> = {}, limits: ObjectStoreLimits = SMALL_OBJECT_LIMITS) {
  const fake = fakeObjectDriver(limits, overrides);
  return { ...fake, store: createMultipartObjectStore(fake.driver) };
}

const SSE_KEY = { key: new Uint8Array(32).fill(7) };
const part = (partNumber: number) => ({ partNumber, etag: `"e${partNumber}"` });

describe("createMultipartObjectStore: normal calls reach the driver normalized", () => {
  it("putObject() of each body kind hands the driver a normalized body with the same bytes", async () => {
    const { store, bodies, calls } = setup();
    async function* chunks() {
      yield new Uint8Array([1, 2]);
      yield new Uint8Array([3]);
    }
    await store.putObject("a", new Uint8Array([1, 2, 3]));
    await store.putObject("b", "abc");
    await store.putObject("c", chunks());
    await store.putObject("d", Readable.from([Buffer.from([1, 2, 3])]), { contentLength: 3 });
    expect(bodies.map((b) => [...b])).toEqual([[1, 2, 3], [97, 98, 99], [1, 2, 3], [1, 2, 3]]);
    const options = calls[3]!.args[2] as Record<string, unknown>;
    expect(options).not.toHaveProperty("signal");
    expect(options).not.toHaveProperty("contentLength");
  });

  it("getObject() returns the driver's streamed result", async () => {
    const { store } = setup();
    const result = await store.getObject("k", { range: { first: 0, last: 1 } });
    expect([...(await readBytes(result.body, { maxBytes: 10 }))]).toEqual([1, 2, 3]);
  });

  it("objects() iterates every object across pages", async () => {
    const { store } = setup();
    const keys: string[] = [];
    for await (const o of store.objects()) keys.push(o.key);
    expect(keys).toEqual(["a", "b"]);
  });

  it("a multipart round (create, uploadPart, uploadPartCopy, complete) passes validation", async () => {
    const { store, ops } = setup();
    const { uploadId } = await store.createMultipartUpload("k");
    await store.uploadPart("k", uploadId, 1, new Uint8Array(4));
    await store.uploadPartCopy("k", uploadId, 2, { source: { key: "src", bucket: "other" }, range: { first: 0, last: 7 }, ifMatch: '"x"' });
    await store.completeMultipartUpload("k", uploadId, [part(1), part(2)]);
    await store.listParts("k", uploadId, { limit: 3 });
    await store.abortMultipartUpload("k", uploadId);
    await store.listMultipartUploads({ limit: 3 });
    expect(ops()).toEqual([
      "createMultipartUpload",
      "uploadPart",
      "uploadPartCopy",
      "completeMultipartUpload",
      "listParts",
      "abortMultipartUpload",
      "listMultipartUploads",
    ]);
  });
});

describe("createMultipartObjectStore: validation before any I/O", () => {
  const cases: Array<[string, StorageErrorCode, (s: MultipartObjectStore) => Promise<unknown>]> = [
    ["putObject() with a key holding a forbidden substring", "InvalidKey", (s) => s.putObject("a@base@", "x")],
    ["putObject() with a 17-byte key", "KeyTooLong", (s) => s.putObject("k".repeat(17), "x")],
    ["putObject() with the empty key", "InvalidKey", (s) => s.putObject("", "x")],
    ["putObject() of 11 bytes over putObjectMaxBytes 10", "EntityTooLarge", (s) => s.putObject("k", new Uint8Array(11))],
    ["putObject() of a stream declaring 11 bytes", "EntityTooLarge", (s) => s.putObject("k", Readable.from([]), { contentLength: 11 })],
    ["putObject() with a 16-byte SSE-C key", "InvalidArgument", (s) => s.putObject("k", "x", { sseC: { key: new Uint8Array(16) } })],
    ["getObject() with range { first: 5, last: 4 }", "InvalidArgument", (s) => s.getObject("k", { range: { first: 5, last: 4 } })],
    ["getObject() with range { suffix: -1 }", "InvalidArgument", (s) => s.getObject("k", { range: { suffix: -1 } })],
    ["getObject() with an invalid ifModifiedSince date", "InvalidArgument", (s) => s.getObject("k", { ifModifiedSince: new Date(NaN) })],
    ["copyObject() from a source with a bad key", "InvalidKey", (s) => s.copyObject("k", { source: { key: "" } })],
    ["listObjects() with limit 4 over 3", "InvalidArgument", (s) => s.listObjects({ limit: 4 })],
    ["listObjects() with a delimiter and limit 3 over 2", "InvalidArgument", (s) => s.listObjects({ delimiter: "/", limit: 3 })],
    ["listObjects() with limit 0", "InvalidArgument", (s) => s.listObjects({ limit: 0 })],
    ["listParts() with limit 4", "InvalidArgument", (s) => s.listParts("k", "u", { limit: 4 })],
    ["listMultipartUploads() with limit 4", "InvalidArgument", (s) => s.listMultipartUploads({ limit: 4 })],
    ["uploadPart() with part number 0", "InvalidPartNumber", (s) => s.uploadPart("k", "u", 0, "x")],
    ["uploadPart() with part number 6 over 5", "InvalidPartNumber", (s) => s.uploadPart("k", "u", 6, "x")],
    ["uploadPart() with part number 1.5", "InvalidPartNumber", (s) => s.uploadPart("k", "u", 1.5, "x")],
    ["uploadPart() with an empty uploadId", "InvalidArgument", (s) => s.uploadPart("k", "", 1, "x")],
    ["uploadPart() of 9 bytes over multipartMaxPartBytes 8", "EntityTooLarge", (s) => s.uploadPart("k", "u", 1, new Uint8Array(9))],
    ["uploadPartCopy() with range bytes=9-3", "InvalidArgument", (s) => s.uploadPartCopy("k", "u", 1, { source: { key: "s" }, range: { first: 9, last: 3 } })],
    ["uploadPartCopy() with an open range bytes=5-", "InvalidArgument", (s) => s.uploadPartCopy("k", "u", 1, { source: { key: "s" }, range: { first: 5 } as never })],
    ["uploadPartCopy() with a suffix range bytes=-5", "InvalidArgument", (s) => s.uploadPartCopy("k", "u", 1, { source: { key: "s" }, range: { suffix: 5 } as never })],
    ["uploadPartCopy() with a 9-byte range over the part limit", "EntityTooLarge", (s) => s.uploadPartCopy("k", "u", 1, { source: { key: "s" }, range: { first: 0, last: 8 } })],
    ["uploadPartCopy() with part number 6", "InvalidPartNumber", (s) => s.uploadPartCopy("k", "u", 6, { source: { key: "s" } })],
    ["completeMultipartUpload() with no parts", "InvalidArgument", (s) => s.completeMultipartUpload("k", "u", [])],
    ["completeMultipartUpload() with descending parts", "InvalidPartOrder", (s) => s.completeMultipartUpload("k", "u", [part(2), part(1)])],
    ["completeMultipartUpload() with a duplicate part", "InvalidPartOrder", (s) => s.completeMultipartUpload("k", "u", [part(1), part(1)])],
    ["completeMultipartUpload() with a gap (contiguous manifest)", "InvalidPartOrder", (s) => s.completeMultipartUpload("k", "u", [part(1), part(3)])],
    ["completeMultipartUpload() not starting at 1 (contiguous manifest)", "InvalidPartOrder", (s) => s.completeMultipartUpload("k", "u", [part(2), part(3)])],
    ["completeMultipartUpload() with part number 6", "InvalidPartNumber", (s) => s.completeMultipartUpload("k", "u", [part(1), part(6)])],
    ["completeMultipartUpload() with an empty ETag", "InvalidPart", (s) => s.completeMultipartUpload("k", "u", [{ partNumber: 1, etag: "" }])],
  ];

  it.each(cases)("%s rejects %s without calling the driver", async (_name, code, call) => {
    const { store, ops } = setup();
    const err = await rejection(call(store));
    expect(err.code).toBe(code);
    expect(err.operation).toBeDefined();
    expect(ops()).toEqual([]);
  });

  it("completeMultipartUpload() with a gap is accepted where part numbers need not be contiguous (S3)", async () => {
    const { store, ops } = setup({}, defineLimits({ ...SMALL_OBJECT_LIMITS, multipartPartNumbersContiguous: false }));
    await store.completeMultipartUpload("k", "u", [part(2), part(5)]);
    expect(ops()).toEqual(["completeMultipartUpload"]);
    expect(await codeOf(store.completeMultipartUpload("k", "u", [part(5), part(2)]))).toBe("InvalidPartOrder");
  });

  it("putObject() of a stream longer than putObjectMaxBytes rejects EntityTooLarge while the driver reads it", async () => {
    const { store } = setup();
    async function* long() {
      for (let i = 0; i < 5; i++) yield new Uint8Array(4);
    }
    expect(await codeOf(store.putObject("k", long()))).toBe("EntityTooLarge");
  });

  it("putObject() of a stream shorter or longer than its contentLength rejects InvalidArgument", async () => {
    const { store } = setup();
    expect(await codeOf(store.putObject("k", Readable.from([Buffer.from([1, 2])]), { contentLength: 3 }))).toBe("InvalidArgument");
    expect(await codeOf(store.putObject("k", Readable.from([Buffer.from([1, 2, 3, 4])]), { contentLength: 3 }))).toBe("InvalidArgument");
  });

  const capabilityCases: Array<[keyof ObjectStoreLimits, (s: MultipartObjectStore) => Promise<unknown>]> = [
    ["getObjectWithRange", (s) => s.getObject("k", { range: { first: 0 } })],
    ["getObjectWithConditions", (s) => s.getObject("k", { ifNoneMatch: '"a"' })],
    ["getObjectWithConditions", (s) => s.headObject("k", { ifModifiedSince: new Date(0) })],
    ["copyWithConditions", (s) => s.copyObject("k", { source: { key: "s" }, ifMatch: '"a"' })],
    ["copyWithConditions", (s) => s.uploadPartCopy("k", "u", 1, { source: { key: "s" }, ifUnmodifiedSince: new Date(0) })],
    ["copyAcrossBuckets", (s) => s.copyObject("k", { source: { key: "s", bucket: "other-bucket" } })],
    ["sseC", (s) => s.putObject("k", "x", { sseC: SSE_KEY })],
    ["sseC", (s) => s.copyObject("k", { source: { key: "s", sseC: SSE_KEY } })],
    ["uploadPartCopy", (s) => s.uploadPartCopy("k", "u", 1, { source: { key: "s" } })],
  ];

  it.each(capabilityCases)("with %s false, the call rejects Unsupported without calling the driver", async (capability, call) => {
    const { store, ops } = setup({}, defineLimits({ ...SMALL_OBJECT_LIMITS, [capability]: false }));
    expect(await codeOf(call(store))).toBe("Unsupported");
    expect(ops()).toEqual([]);
  });

  const attributeCases: Array<[string, (s: MultipartObjectStore) => Promise<unknown>]> = [
    ["putObject", (s) => s.putObject("k", "x", { metadata: { Foo: "a", foo: "b" } })],
    ["copyObject", (s) => s.copyObject("k", { source: { key: "s" }, metadata: { note: "h\u00e9llo" } })],
    ["createMultipartUpload", (s) => s.createMultipartUpload("k", { contentType: "text/plain\r\nx-injected: 1" })],
  ];

  it.each(attributeCases)("%s() with metadata or a contentType no header can carry rejects InvalidArgument naming the call, without calling the driver", async (operation, call) => {
    const { store, ops } = setup();
    expect(await rejection(call(store))).toMatchObject({ code: "InvalidArgument", operation, key: "k" });
    expect(ops()).toEqual([]);
  });

  it("an SSE-C key never appears in the error for a malformed key", async () => {
    const { store } = setup();
    const secret = new Uint8Array(31).fill(0x41);
    const err = await rejection(store.putObject("k", "x", { sseC: { key: secret } }));
    expect(JSON.stringify(err.toJSON())).not.toContain("AAAA");
    expect(err.message).not.toContain("65,65");
  });
});

describe("createMultipartObjectStore: argument types", () => {
  const calls: Array<[string, (s: MultipartObjectStore) => Promise<unknown>]> = [
    ["putObject(1, 'x')", (s) => s.putObject(1 as never, "x")],
    ["putObject('k', 42)", (s) => s.putObject("k", 42 as never)],
    ["putObject('k', 'x', { metadata: { a: 1 } })", (s) => s.putObject("k", "x", { metadata: { a: 1 as never } })],
    ["putObject('k', 'x', { contentLength: '3' })", (s) => s.putObject("k", "x", { contentLength: "3" as never })],
    ["putObject('k', 'x', { sseC: 'secret' })", (s) => s.putObject("k", "x", { sseC: "secret" as never })],
    ["getObject('k', { ifMatch: 1 })", (s) => s.getObject("k", { ifMatch: 1 as never })],
    ["getObject('k', { ifModifiedSince: 'yesterday' })", (s) => s.getObject("k", { ifModifiedSince: "yesterday" as never })],
    ["getObject('k', { range: 'bytes=0-1' })", (s) => s.getObject("k", { range: "bytes=0-1" as never })],
    ["copyObject('k')", (s) => s.copyObject("k", undefined as never)],
    ["copyObject('k', { source: 'src' })", (s) => s.copyObject("k", { source: "src" as never })],
    ["uploadPart('k', 'u', '1', 'x')", (s) => s.uploadPart("k", "u", "1" as never, "x")],
    ["uploadPart('k', 7, 1, 'x')", (s) => s.uploadPart("k", 7 as never, 1, "x")],
    ["completeMultipartUpload('k', 'u', 'parts')", (s) => s.completeMultipartUpload("k", "u", "parts" as never)],
    ["completeMultipartUpload('k', 'u', [{ partNumber: 1 }])", (s) => s.completeMultipartUpload("k", "u", [{ partNumber: 1 } as never])],
    ["listObjects(5)", (s) => s.listObjects(5 as never)],
    ["headObject('k', { signal: 'x' })", (s) => s.headObject("k", { signal: "x" as never })],
  ];

  it.each(calls)("%s rejects InvalidArgument without calling the driver", async (_name, call) => {
    const { store, ops } = setup();
    expect(await codeOf(call(store))).toBe("InvalidArgument");
    expect(ops()).toEqual([]);
  });
});

describe("createMultipartObjectStore: abort, errors and close", () => {
  it("getObject() rejects Aborted when the signal fires before the driver answers, and cancels the late body", async () => {
    let release!: () => void;
    let cancelled = false;
    const { store } = setup({
      async getObject(key) {
        await new Promise<void>((r) => (release = r));
        const body = new ReadableStream<Uint8Array>({
          cancel() {
            cancelled = true;
          },
        });
        return { info: { key, size: 0, etag: '"e"', lastModified: new Date(0), metadata: {} }, body, contentLength: 0 };
      },
    });
    const ac = new AbortController();
    const pending = store.getObject("k", { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 1));
    ac.abort();
    expect(await rejection(pending)).toMatchObject({ code: "Aborted", operation: "getObject", key: "k" });
    release();
    await new Promise((r) => setTimeout(r, 1));
    expect(cancelled).toBe(true);
  });

  it("deleteObject() with an aborted signal rejects Aborted without calling the driver", async () => {
    const { store, ops } = setup();
    expect(await codeOf(store.deleteObject("k", { signal: AbortSignal.abort() }))).toBe("Aborted");
    expect(ops()).toEqual([]);
  });

  it("a driver throwing a plain Error surfaces as Internal with operation and key", async () => {
    const { store } = setup({
      async headObject() {
        throw new Error("socket hang up");
      },
    });
    expect(await rejection(store.headObject("k"))).toMatchObject({ code: "Internal", operation: "headObject", key: "k" });
  });

  it("calls after close() reject InvalidArgument and the driver is closed once", async () => {
    const { store, closeCount, ops } = setup();
    await store.close();
    await store.close();
    expect(closeCount()).toBe(1);
    expect(await codeOf(store.putObject("k", "x"))).toBe("InvalidArgument");
    expect(await codeOf(store.objects()[Symbol.asyncIterator]().next())).toBe("InvalidArgument");
    expect(ops()).toEqual([]);
  });
});
