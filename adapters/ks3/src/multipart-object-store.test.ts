import { createHash } from "node:crypto";
import { Agent, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock, StorageError, createStorageContainer, multipartEtag as multipartEtagOfParts, type MultipartObjectStore } from "@stowage/core";
import type { RunningKs3Emulator } from "@stowage/emulator-ks3";
import { ks3Module } from "./module.js";
import { createKs3Store } from "./multipart-object-store.js";
import { TEST_SIZE_LIMITS, limitsForProfile, startTestEmulator, storeOn } from "./test-emulator-store.js";

const PART = TEST_SIZE_LIMITS.multipartMinPartBytes;

async function text(body: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(body).text();
}

async function bytes(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}

async function rejection(p: Promise<unknown>): Promise<StorageError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StorageError);
    return err as StorageError;
  }
  throw new Error("expected a rejection");
}

/** The S3 multipart ETag: md5 of the concatenated binary part md5s, then `-N` (ks3-api.md §6.1). */
function multipartEtag(parts: Uint8Array[]): string {
  const md5s = parts.map((p) => createHash("md5").update(p).digest());
  return `"${createHash("md5").update(Buffer.concat(md5s)).digest("hex")}-${parts.length}"`;
}

const emulators: Record<"ks3" | "s3", RunningKs3Emulator | undefined> = { ks3: undefined, s3: undefined };
beforeAll(async () => {
  emulators.ks3 = await startTestEmulator("ks3");
  emulators.s3 = await startTestEmulator("s3");
});
afterAll(async () => {
  await emulators.ks3?.close();
  await emulators.s3?.close();
});

describe.each([
  ["ks3", "path", "kss-v2"],
  ["ks3", "virtual-host", "sigv4"],
  ["s3", "virtual-host", "kss-v2"],
  ["s3", "path", "sigv4"],
] as const)("KS3 store on the emulator (%s profile, %s, %s)", (profile, addressing, signature) => {
  let store: MultipartObjectStore;
  beforeAll(async () => {
    ({ store } = await storeOn(emulators[profile]!, { addressing, signature }));
  });
  afterAll(async () => store.close());

  it("error messages follow core's one format: provider, operation, key, code, HTTP status", async () => {
    await expect(store.headObject("reports/q3.csv")).rejects.toMatchObject({ message: "ks3 headObject reports/q3.csv: NotFound (HTTP 404)" });
    await store.putObject("eleven.txt", "hello world");
    // Worded exactly as the memory adapter words it (its test asserts the same text with `memory`).
    await expect(store.getObject("eleven.txt", { range: { first: 20 } })).rejects.toMatchObject({
      message: "ks3 getObject eleven.txt: InvalidRange (HTTP 416), object size 11",
    });
  });

  it("putObject() then getObject() with a range streams the range, metadata and the put ETag", async () => {
    const put = await store.putObject("dir/a b*+%.txt", "hello world", { metadata: { author: "alice" }, contentType: "text/plain" });
    expect(put.etag).toBe(`"${createHash("md5").update("hello world").digest("hex")}"`);
    const got = await store.getObject("dir/a b*+%.txt", { range: { first: 6 } });
    expect(await text(got.body)).toBe("world");
    expect(got.range).toEqual({ start: 6, end: 10, size: 11 });
    expect(got.info).toMatchObject({ size: 11, etag: put.etag, contentType: "text/plain", metadata: { author: "alice" } });
  });

  it("a multipart upload whose middle part comes from uploadPartCopy() with a range completes with the md5-of-md5s ETag", async () => {
    const source = new Uint8Array(3 * PART).map((_, i) => i % 251);
    const src = await store.putObject("mp-source", source);
    const p1 = new Uint8Array(PART).fill(1);
    const p3 = new Uint8Array(10).fill(3);
    const up = await store.createMultipartUpload("mp-target", { contentType: "application/x-test" });
    const r1 = await store.uploadPart("mp-target", up.uploadId, 1, p1);
    const r2 = await store.uploadPartCopy("mp-target", up.uploadId, 2, { source: { key: "mp-source" }, range: { first: PART, last: 2 * PART - 1 }, ifMatch: src.etag });
    const r3 = await store.uploadPart("mp-target", up.uploadId, 3, p3);
    const listed = await store.listParts("mp-target", up.uploadId);
    expect(listed.parts.map((p) => [p.partNumber, p.etag, p.size])).toEqual([[1, r1.etag, PART], [2, r2.etag, PART], [3, r3.etag, 10]]);
    const done = await store.completeMultipartUpload("mp-target", up.uploadId, [r1, { partNumber: 2, etag: r2.etag }, r3]);
    const middle = source.slice(PART, 2 * PART);
    expect(done.etag).toBe(multipartEtag([p1, middle, p3]));
    const got = await store.getObject("mp-target");
    expect(Buffer.from(await bytes(got.body)).equals(Buffer.concat([p1, middle, p3]))).toBe(true);
    expect(got.info.contentType).toBe("application/x-test");
  });

  it("listObjects() pages with a delimiter through common prefixes and keys", async () => {
    for (const k of ["l/a", "l/b/1", "l/b/2", "l/c", "l/d/1"]) await store.putObject(k, k);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listObjects({ prefix: "l/", delimiter: "/", limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.objects.map((o) => o.key), ...page.commonPrefixes);
      cursor = page.cursor;
    } while (cursor !== undefined);
    expect(seen.sort()).toEqual(["l/a", "l/b/", "l/c", "l/d/"]);
  });

  it("deleteObject() of an absent key resolves, twice", async () => {
    await store.putObject("gone", "x");
    await store.deleteObject("gone");
    await store.deleteObject("gone");
    expect((await rejection(store.headObject("gone"))).code).toBe("NotFound");
  });
});

describe("KS3 store error paths (ks3 profile)", () => {
  it("a wrong secret rejects Unauthorized (SignatureDoesNotMatch) without the secret anywhere in the error", async () => {
    const { store } = await storeOn(emulators.ks3!, { secretAccessKey: "wrong-secret-value" });
    const err = await rejection(store.putObject("k", "v"));
    await store.close();
    expect(err).toMatchObject({ code: "Unauthorized", providerCode: "SignatureDoesNotMatch", httpStatus: 403 });
    expect(JSON.stringify(err.toJSON()) + err.message + String(err.stack) + String(err.cause)).not.toContain("wrong-secret-value");
  });

  it("a request dated an hour off rejects Unauthorized (RequestTimeTooSkewed)", async () => {
    const emulator = emulators.ks3!;
    const { bucket } = await storeOn(emulator);
    const store = createKs3Store({
      bucket,
      endpoint: emulator.endpoint,
      accessKeyId: emulator.accessKeyId,
      secretAccessKey: emulator.secretAccessKey,
      addressing: "path",
      clock: new ManualClock(Date.now() - 3600_000),
      retry: false,
    });
    const err = await rejection(store.headObject("k"));
    await store.close();
    // HEAD answers carry no body: the status says 403, the code cannot be read.
    expect(err).toMatchObject({ code: "Forbidden", httpStatus: 403 });
    const store2 = createKs3Store({ bucket, endpoint: emulator.endpoint, accessKeyId: emulator.accessKeyId, secretAccessKey: emulator.secretAccessKey, addressing: "path", clock: new ManualClock(Date.now() - 3600_000), retry: false });
    const err2 = await rejection(store2.putObject("k", "v"));
    await store2.close();
    expect(err2).toMatchObject({ code: "Unauthorized", providerCode: "RequestTimeTooSkewed" });
  });

  it("a SlowDown answer rejects RateLimited, retryable, with the Retry-After seconds", async () => {
    const { store } = await storeOn(emulators.ks3!, { retry: false });
    emulators.ks3!.setFaults({ slowDownRate: { PutObject: 1 } });
    try {
      const err = await rejection(store.putObject("k", "v"));
      expect(err).toMatchObject({ code: "RateLimited", providerCode: "SlowDown", retryable: true, retryAfterSeconds: 1 });
    } finally {
      emulators.ks3!.setFaults(undefined);
      await store.close();
    }
  });

  it("a 500 InternalError on the first attempt is retried by the retry layer and the call succeeds", async () => {
    const { store } = await storeOn(emulators.ks3!);
    await store.putObject("k", "v");
    let draws = 0;
    // The first draw (errorRate) fails the first GetObject; every later draw passes.
    emulators.ks3!.setFaults({ errorRate: { GetObject: 0.5 }, random: () => (draws++ === 0 ? 0 : 0.99) });
    try {
      expect(await text((await store.getObject("k")).body)).toBe("v");
      expect(draws).toBeGreaterThan(1);
    } finally {
      emulators.ks3!.setFaults(undefined);
      await store.close();
    }
  });

  it.each([
    ["a 500 InternalError", { errorRate: { CompleteMultipartUpload: 0.5 } }],
    ["a connection reset", { resetRate: { CompleteMultipartUpload: 0.5 } }],
  ] as const)("completeMultipartUpload() answered with %s is retried by the retry layer and completes", async (_what, faults) => {
    const { store } = await storeOn(emulators.ks3!);
    const up = await store.createMultipartUpload("retried");
    const part = await store.uploadPart("retried", up.uploadId, 1, "only part");
    let draws = 0;
    // The first draw fails the first Complete; every later draw passes.
    emulators.ks3!.setFaults({ ...faults, random: () => (draws++ === 0 ? 0 : 0.99) });
    try {
      const done = await store.completeMultipartUpload("retried", up.uploadId, [part]);
      expect(draws).toBeGreaterThan(1);
      expect(done.etag).toBe(multipartEtagOfParts([part]));
      expect(await text((await store.getObject("retried")).body)).toBe("only part");
    } finally {
      emulators.ks3!.setFaults(undefined);
      await store.close();
    }
  });

  it("completeMultipartUpload() with a non-last part under the minimum rejects EntityTooSmall", async () => {
    const { store } = await storeOn(emulators.ks3!);
    const up = await store.createMultipartUpload("small");
    const a = await store.uploadPart("small", up.uploadId, 1, new Uint8Array(PART - 1));
    const b = await store.uploadPart("small", up.uploadId, 2, new Uint8Array(1));
    const err = await rejection(store.completeMultipartUpload("small", up.uploadId, [a, b]));
    await store.close();
    expect(err).toMatchObject({ code: "EntityTooSmall", providerCode: "EntityTooSmall" });
  });

  it("uploadPart() after abortMultipartUpload() rejects UploadNotFound (NoSuchUpload 404)", async () => {
    const { store } = await storeOn(emulators.ks3!);
    const up = await store.createMultipartUpload("aborted");
    await store.abortMultipartUpload("aborted", up.uploadId);
    const err = await rejection(store.uploadPart("aborted", up.uploadId, 1, "x"));
    await store.close();
    expect(err).toMatchObject({ code: "UploadNotFound", providerCode: "NoSuchUpload", httpStatus: 404 });
  });

  it("uploadPartCopy() with a range past the source end rejects InvalidRange", async () => {
    const { store } = await storeOn(emulators.ks3!);
    await store.putObject("src5", "12345");
    const up = await store.createMultipartUpload("t");
    const err = await rejection(store.uploadPartCopy("t", up.uploadId, 1, { source: { key: "src5" }, range: { first: 0, last: 21 } }));
    await store.close();
    expect(err.code).toBe("InvalidRange");
  });

  it("uploadPartCopy() with copy-source if-none-match equal to the source ETag rejects NotModified (seed: 304)", async () => {
    const { store } = await storeOn(emulators.ks3!);
    const src = await store.putObject("src", "abc");
    const up = await store.createMultipartUpload("t");
    const err = await rejection(store.uploadPartCopy("t", up.uploadId, 1, { source: { key: "src" }, ifNoneMatch: src.etag }));
    const err2 = await rejection(store.uploadPartCopy("t", up.uploadId, 1, { source: { key: "src" }, ifMatch: '"0000"' }));
    await store.close();
    expect(err).toMatchObject({ code: "NotModified", httpStatus: 304 });
    expect(err2).toMatchObject({ code: "PreconditionFailed", httpStatus: 412 });
  });

  it("SSE-C: an object put with a key reads back with it, not without it, and copies with the copy-source key", async () => {
    const { store } = await storeOn(emulators.ks3!);
    const key = new Uint8Array(32).fill(9);
    await store.putObject("enc", "secret bytes", { sseC: { key } });
    expect(await text((await store.getObject("enc", { sseC: { key } })).body)).toBe("secret bytes");
    expect((await rejection(store.getObject("enc"))).code).toBe("InvalidArgument");
    const up = await store.createMultipartUpload("enc-copy");
    const part = await store.uploadPartCopy("enc-copy", up.uploadId, 1, { source: { key: "enc", sseC: { key } }, range: { first: 0, last: 5 } });
    await store.completeMultipartUpload("enc-copy", up.uploadId, [part]);
    expect(await text((await store.getObject("enc-copy")).body)).toBe("secret");
    await store.close();
  });

  it("putObject() buffers a stream without contentLength up to maxBufferedBodyBytes and refuses a longer one with InvalidArgument", async () => {
    const emulator = emulators.ks3!;
    const { bucket } = await storeOn(emulator);
    const store = createKs3Store({ bucket, endpoint: emulator.endpoint, accessKeyId: emulator.accessKeyId, secretAccessKey: emulator.secretAccessKey, addressing: "path", maxBufferedBodyBytes: 8 });
    async function* chunks(n: number) {
      for (let i = 0; i < n; i++) yield new Uint8Array([65 + i]);
    }
    await store.putObject("short", chunks(8));
    expect(await text((await store.getObject("short")).body)).toBe("ABCDEFGH");
    expect((await rejection(store.putObject("long", chunks(9)))).code).toBe("InvalidArgument");
    expect((await rejection(store.headObject("long"))).code).toBe("NotFound");
    const up = await store.createMultipartUpload("streamed");
    const part = await store.uploadPart("streamed", up.uploadId, 1, chunks(20), { contentLength: 20 });
    expect(part.etag).toMatch(/^"[0-9a-f]{32}"$/);
    await store.close();
  });
});

describe("SigV4 aws-chunked uploads", () => {
  it.each(["ks3", "s3"] as const)("uploadPart() and putObject() of streams with contentLength, signed chunk by chunk, store the bytes (%s profile)", async (profile) => {
    const { store } = await storeOn(emulators[profile]!, { signature: "sigv4", sigv4ChunkedUploads: true, addressing: "virtual-host" });
    const data = new Uint8Array(150_000).map((_, i) => (i * 7) % 256);
    async function* pieces() {
      for (let i = 0; i < data.length; i += 10_000) yield data.slice(i, i + 10_000);
    }
    await store.putObject("chunked", pieces(), { contentLength: data.length });
    expect(Buffer.from(await bytes((await store.getObject("chunked")).body)).equals(Buffer.from(data))).toBe(true);
    const up = await store.createMultipartUpload("chunked-mp");
    const part = await store.uploadPart("chunked-mp", up.uploadId, 1, pieces(), { contentLength: data.length });
    expect(part.etag).toBe(`"${createHash("md5").update(data).digest("hex")}"`);
    await store.close();
  });

  it("a stream shorter than its declared contentLength rejects InvalidArgument and stores nothing", async () => {
    const { store } = await storeOn(emulators.ks3!, { signature: "sigv4", sigv4ChunkedUploads: true, retry: false });
    async function* short() {
      yield new Uint8Array(10);
    }
    const err = await rejection(store.putObject("short", short(), { contentLength: 20 }));
    expect(err.code).toBe("InvalidArgument");
    expect((await rejection(store.headObject("short"))).code).toBe("NotFound");
    await store.close();
  });
});

describe("ks3Module", () => {
  it("createStorageContainer() with { provider: \"ks3\" } builds a working object store", async () => {
    const emulator = emulators.ks3!;
    const { bucket } = await storeOn(emulator);
    const storage = await createStorageContainer(
      {
        provider: "ks3",
        bucket,
        endpoint: emulator.endpoint,
        accessKeyId: emulator.accessKeyId,
        secretAccessKey: emulator.secretAccessKey,
        addressing: "virtual-host",
        limits: limitsForProfile("ks3"),
      },
      { modules: [ks3Module] },
    );
    const store = storage.getObjectStore();
    await store.putObject("di", "yes");
    expect(await text((await store.getObject("di")).body)).toBe("yes");
    expect(store.limits.multipartMinPartBytes).toBe(PART);
    await storage.close();
  });
});

describe("KS3 store transport signal", () => {
  it("headObject() without a signal hands undici no signal, and with one hands undici that signal", async () => {
    const emulator = emulators.ks3!;
    const { bucket } = await storeOn(emulator);
    const seen: unknown[] = [];
    class RecordingAgent extends Agent {
      override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        // undici's request() hands its signal on to dispatch(); the DispatchOptions type omits it.
        seen.push((opts as Dispatcher.DispatchOptions & { signal?: unknown }).signal);
        return super.dispatch(opts, handler);
      }
    }
    const dispatcher = new RecordingAgent();
    const store = createKs3Store({ bucket, endpoint: emulator.endpoint, accessKeyId: emulator.accessKeyId, secretAccessKey: emulator.secretAccessKey, addressing: "path", dispatcher, retry: false });
    const ac = new AbortController();
    await store.putObject("k", "v", { signal: ac.signal });
    await store.headObject("k");
    await store.close();
    await dispatcher.close();
    expect(seen).toEqual([ac.signal, undefined]);
  });
});
