/**
 * Test helper: tiny in-memory drivers for the facade and validation tests (deliberately not the
 * memory adapter, which is tested on its own). Every call is recorded with its arguments.
 */
import { readBytes, toWebStream } from "./body.js";
import type { KeyValueStoreDriver, KvBatchResult, KvEntry } from "./key-value-store.js";
import { defineLimits, type KeyValueLimits, type ObjectStoreLimits } from "./limits.js";
import type { MultipartObjectStoreDriver } from "./multipart-object-store.js";

export interface FakeCall {
  operation: string;
  args: unknown[];
  signal: AbortSignal;
}

/** Small limits so boundary cases are cheap. */
export const SMALL_KV_LIMITS: KeyValueLimits = defineLimits({
  keyMaxBytes: 16,
  keyForbiddenCharacters: " /",
  putMaxValueBytes: 10,
  putLargeMaxValueBytes: 20,
  putWithTtl: true,
  putWithExpiresAt: true,
  putMinTtlSeconds: 60,
  // 2100-01-01T00:00:00Z, far below a Date's range, so the manifest (not Date) is what refuses.
  putMaxExpiresAtSeconds: 4_102_444_800,
  putMany: true,
  putManyMaxBytes: 10,
  deleteMany: true,
  deleteManyMaxKeys: 3,
  listMaxPageSize: 2,
  listMaxKeys: 1000,
  namespaceMaxBytes: 1000,
});

export const SMALL_OBJECT_LIMITS: ObjectStoreLimits = defineLimits({
  keyMaxBytes: 16,
  keyForbiddenCharacters: "",
  keyForbiddenSubstrings: ["@base@"],
  metadataMaxBytes: 16,
  putObjectMaxBytes: 10,
  copyObjectMaxSourceBytes: 10,
  getObjectWithRange: true,
  getObjectWithConditions: true,
  putObjectWithConditions: false,
  presign: false,
  presignMaxExpiresInSeconds: 0,
  completeMultipartUploadWithConditions: false,
  copyWithConditions: true,
  copyAcrossBuckets: true,
  sseC: true,
  uploadPartCopy: true,
  multipartMinPartNumber: 1,
  multipartMaxPartNumber: 5,
  multipartMinPartBytes: 2,
  multipartMaxPartBytes: 8,
  multipartPartNumbersContiguous: true,
  listObjectsMaxPageSize: 3,
  listObjectsWithDelimiterMaxPageSize: 2,
  listPartsMaxPageSize: 3,
  listMultipartUploadsMaxPageSize: 3,
});

type Overrides<D> = { [K in keyof D]?: D[K] };

/** A working key-value driver over a Map, keys listed in sorted order, `limit` default 2. */
export function fakeKvDriver(limits: KeyValueLimits = SMALL_KV_LIMITS, overrides: Overrides<KeyValueStoreDriver> = {}) {
  const data = new Map<string, KvEntry>();
  const calls: FakeCall[] = [];
  let closeCount = 0;
  const record = (operation: string, args: unknown[]) => {
    const ctx = args[args.length - 1] as { signal: AbortSignal };
    calls.push({ operation, args: args.slice(0, -1), signal: ctx.signal });
  };
  const batch = (keys: string[]): KvBatchResult => ({ succeeded: keys, failed: [] });
  const base: KeyValueStoreDriver = {
    limits,
    async get(...args) {
      record("get", args);
      return data.get(args[0]);
    },
    async put(...args) {
      record("put", args);
      const [key, value, expiry] = args;
      data.set(key, { key, value, ...(expiry.expiresAt ? { expiresAt: expiry.expiresAt } : {}) });
    },
    async delete(...args) {
      record("delete", args);
      return data.delete(args[0]);
    },
    async list(...args) {
      record("list", args);
      const { prefix = "", limit = 2, cursor } = args[0];
      const keys = [...data.keys()].filter((k) => k.startsWith(prefix)).sort();
      const start = cursor === undefined ? 0 : Number(cursor);
      const page = keys.slice(start, start + limit).map((key) => ({ key }));
      return start + limit < keys.length ? { keys: page, cursor: String(start + limit) } : { keys: page };
    },
    async putMany(...args) {
      record("putMany", args);
      for (const e of args[0]) data.set(e.key, { key: e.key, value: e.value });
      return batch(args[0].map((e) => e.key));
    },
    async deleteMany(...args) {
      record("deleteMany", args);
      for (const k of args[0]) data.delete(k);
      return batch(args[0]);
    },
    async close() {
      closeCount++;
    },
  };
  const driver = { ...base, ...overrides } as KeyValueStoreDriver;
  return { driver, data, calls, closeCount: () => closeCount, ops: () => calls.map((c) => c.operation) };
}

const ETAG = '"0123456789abcdef0123456789abcdef"';
const WHEN = new Date(Date.UTC(2026, 0, 1));

/** An object driver answering every call with a plausible canned result; bodies are read to bytes. */
export function fakeObjectDriver(limits: ObjectStoreLimits = SMALL_OBJECT_LIMITS, overrides: Overrides<MultipartObjectStoreDriver> = {}) {
  const calls: FakeCall[] = [];
  const bodies: Uint8Array[] = [];
  let closeCount = 0;
  const record = (operation: string, args: unknown[]) => {
    const ctx = args[args.length - 1] as { signal: AbortSignal };
    calls.push({ operation, args: args.slice(0, -1), signal: ctx.signal });
  };
  const info = (key: string) => ({ key, size: 3, etag: ETAG, lastModified: WHEN, metadata: {} });
  const base: MultipartObjectStoreDriver = {
    limits,
    async putObject(...args) {
      record("putObject", args);
      bodies.push(await readBytes(args[1], { maxBytes: 1 << 20 }));
      return { etag: ETAG };
    },
    async getObject(...args) {
      record("getObject", args);
      async function* three() {
        yield new Uint8Array([1, 2, 3]);
      }
      return { info: info(args[0]), body: toWebStream(three()), contentLength: 3 };
    },
    async headObject(...args) {
      record("headObject", args);
      return info(args[0]);
    },
    async deleteObject(...args) {
      record("deleteObject", args);
    },
    async copyObject(...args) {
      record("copyObject", args);
      return { etag: ETAG, lastModified: WHEN };
    },
    async listObjects(...args) {
      record("listObjects", args);
      const cursor = args[0].cursor;
      if (cursor === undefined) return { objects: [{ key: "a", size: 1, etag: ETAG, lastModified: WHEN }], commonPrefixes: [], cursor: "p2" };
      return { objects: [{ key: "b", size: 1, etag: ETAG, lastModified: WHEN }], commonPrefixes: [] };
    },
    async createMultipartUpload(...args) {
      record("createMultipartUpload", args);
      return { key: args[0], uploadId: "u1" };
    },
    async uploadPart(...args) {
      record("uploadPart", args);
      bodies.push(await readBytes(args[3], { maxBytes: 1 << 20 }));
      return { partNumber: args[2], etag: ETAG };
    },
    async uploadPartCopy(...args) {
      record("uploadPartCopy", args);
      return { partNumber: args[2], etag: ETAG, lastModified: WHEN };
    },
    async completeMultipartUpload(...args) {
      record("completeMultipartUpload", args);
      return { key: args[0], etag: '"abc-2"' };
    },
    async abortMultipartUpload(...args) {
      record("abortMultipartUpload", args);
    },
    async listParts(...args) {
      record("listParts", args);
      return { parts: [] };
    },
    async listMultipartUploads(...args) {
      record("listMultipartUploads", args);
      return { uploads: [] };
    },
    async close() {
      closeCount++;
    },
  };
  const driver = { ...base, ...overrides } as MultipartObjectStoreDriver;
  return { driver, calls, bodies, closeCount: () => closeCount, ops: () => calls.map((c) => c.operation) };
}
