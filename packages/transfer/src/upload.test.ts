import { writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isStorageError, StorageError } from "@stowage/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resumeTokenOf, TransferError } from "./errors.js";
import type { TransferProgress } from "./progress.js";
import { upload, uploadFile } from "./upload.js";
import { bytesAt, chunked, hooked, memoryStore, openUploads, pattern, SMALL } from "./test-stores.js";

const KiB = 1024;
const PART = 4 * KiB;

describe("upload on memory", () => {
  it("sends a body that fits in one part with one putObject", async () => {
    const { store, calls } = hooked(memoryStore(), () => undefined);
    const body = pattern(3 * KiB);
    const result = await upload(store, "one", chunked(body), { partSize: PART });
    expect(result).toMatchObject({ size: body.byteLength, parts: 1 });
    expect(calls.get("putObject")).toBe(1);
    expect(calls.get("createMultipartUpload")).toBeUndefined();
    expect(await bytesAt(store, "one")).toEqual(body);
  });

  it("uploads an empty body as an empty object", async () => {
    const store = memoryStore();
    const result = await upload(store, "empty", chunked(new Uint8Array(0)));
    expect(result.size).toBe(0);
    expect((await store.headObject("empty")).size).toBe(0);
  });

  it("uploads a stream whose size is not a multiple of the part size, byte-exact, with contiguous parts", async () => {
    const { store, calls } = hooked(memoryStore(), () => undefined);
    const body = pattern(5 * PART + 123);
    const seen: TransferProgress[] = [];
    const result = await upload(store, "multi", chunked(body, 777), { partSize: PART, concurrency: 3, contentType: "text/x-test", metadata: { a: "b" }, onProgress: (p) => seen.push(p) });
    expect(result.parts).toBe(6);
    expect(calls.get("uploadPart")).toBe(6);
    expect(await bytesAt(store, "multi")).toEqual(body);
    const info = await store.headObject("multi");
    expect([info.contentType, info.metadata]).toEqual(["text/x-test", { a: "b" }]);
    const last = seen.at(-1)!;
    expect([last.bytesDone, last.totalBytes, last.partsDone, last.partsTotal]).toEqual([body.byteLength, body.byteLength, 6, 6]);
    // Byte-granular: more reports than parts.
    expect(seen.length).toBeGreaterThan(6);
    expect(await openUploads(store)).toBe(0);
  });

  it("handles the exact minimum-part boundary (two parts of exactly the minimum)", async () => {
    const store = memoryStore();
    const body = pattern(2 * SMALL.multipartMinPartBytes);
    const result = await upload(store, "edge", chunked(body), { partSize: SMALL.multipartMinPartBytes });
    expect(result.parts).toBe(2);
    expect(await bytesAt(store, "edge")).toEqual(body);
  });

  it("holds at most (concurrency + 1) parts of the stream in memory", async () => {
    let pulled = 0;
    let uploaded = 0;
    let worst = 0;
    const { store } = hooked(memoryStore(), async (method, args) => {
      if (method !== "uploadPart") return;
      await new Promise((r) => setTimeout(r, 5));
      uploaded += (args[4] as { contentLength: number }).contentLength;
    });
    const size = 40 * PART;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < size; at += 512) {
        pulled += 512;
        worst = Math.max(worst, pulled - uploaded);
        yield pattern(512, at);
      }
    }
    await upload(store, "bounded", source(), { partSize: PART, concurrency: 2 });
    expect(worst).toBeLessThanOrEqual(3 * PART + 512);
  });

  it("retries a failed part from the buffer it holds, even for a stream", async () => {
    let failures = 0;
    const { store, calls } = hooked(memoryStore(), (method, args) => {
      if (method === "uploadPart" && args[2] === 2 && failures < 2) {
        failures++;
        throw new StorageError({ code: "ServiceUnavailable", message: "injected" });
      }
    });
    const body = pattern(3 * PART + 5);
    await upload(store, "retried", chunked(body), { partSize: PART, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    expect(failures).toBe(2);
    expect(calls.get("uploadPart")).toBe(6);
    expect(await bytesAt(store, "retried")).toEqual(body);
  });

  it("refuses to complete when the stream is shorter than its contentLength, and aborts the upload", async () => {
    const store = memoryStore();
    const body = pattern(3 * PART);
    const err = await upload(store, "short", chunked(body), { partSize: PART, contentLength: 3 * PART + 10 }).catch((e: unknown) => e);
    expect(isStorageError(err, "InvalidArgument")).toBe(true);
    await expect(store.headObject("short")).rejects.toSatisfy((e: unknown) => isStorageError(e, "NotFound"));
    expect(await openUploads(store)).toBe(0);
  });

  it("an abort reaches every part in flight and leaves no object and no upload", async () => {
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    const { store } = hooked(memoryStore(), async (method, args) => {
      if (method !== "uploadPart") return;
      const signal = (args[4] as { signal: AbortSignal }).signal;
      signals.push(signal);
      if (signals.length === 3) controller.abort();
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve())));
    });
    const err = await upload(store, "aborted", chunked(pattern(10 * PART)), { partSize: PART, concurrency: 3, signal: controller.signal }).catch((e: unknown) => e);
    expect(isStorageError(err, "Aborted")).toBe(true);
    expect(signals.length).toBe(3);
    expect(signals.every((s) => s.aborted)).toBe(true);
    await expect(store.headObject("aborted")).rejects.toSatisfy((e: unknown) => isStorageError(e, "NotFound"));
    expect(await openUploads(store)).toBe(0);
  });

  it("a failing source stream leaves no listed upload", async () => {
    const store = memoryStore();
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield pattern(3 * PART);
      throw new Error("disk on fire");
    }
    const err = await upload(store, "broken", failing(), { partSize: PART }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransferError);
    expect(isStorageError(err, "InvalidArgument")).toBe(true);
    expect(await openUploads(store)).toBe(0);
  });

  it("says so, with the upload id, when the clean-up fails too", async () => {
    const { store } = hooked(memoryStore(), (method, args) => {
      if (method === "uploadPart" && args[2] === 2) throw new StorageError({ code: "Forbidden", message: "denied" });
      if (method === "abortMultipartUpload") throw new StorageError({ code: "Forbidden", message: "denied too" });
    });
    const err = (await upload(store, "stuck", chunked(pattern(3 * PART)), { partSize: PART }).catch((e: unknown) => e)) as TransferError;
    expect(err.code).toBe("Forbidden");
    expect(err.uploadId).toBeTruthy();
    expect(err.message).toContain(err.uploadId!);
    expect(err.message).toMatch(/cleaning up failed/);
  });

  it("keeps the upload with leaveUploadOnError and resumes it from bytes, re-checking the parts it skips", async () => {
    let broken = true;
    const { store, calls } = hooked(memoryStore(), (method, args) => {
      if (broken && method === "uploadPart" && args[2] === 4) throw new StorageError({ code: "Forbidden", message: "injected" });
    });
    const body = pattern(6 * PART + 17);
    const err = await upload(store, "resumed", body, { partSize: PART, concurrency: 1, leaveUploadOnError: true }).catch((e: unknown) => e);
    const token = resumeTokenOf(err)!;
    expect(token.parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    expect(await openUploads(store)).toBe(1);
    broken = false;
    const before = calls.get("uploadPart") ?? 0;
    const result = await upload(store, "resumed", body, { resume: JSON.parse(JSON.stringify(token)) });
    expect(result.parts).toBe(7);
    expect((calls.get("uploadPart") ?? 0) - before).toBe(4);
    expect(await bytesAt(store, "resumed")).toEqual(body);
    expect(await openUploads(store)).toBe(0);
  });

  it("re-uploads a skipped part whose bytes changed since", async () => {
    const store = memoryStore();
    const body = pattern(4 * PART);
    const { store: failing } = hooked(store, (method, args) => {
      if (method === "uploadPart" && args[2] === 3) throw new StorageError({ code: "Forbidden", message: "injected" });
    });
    const token = resumeTokenOf(await upload(failing, "changed", body, { partSize: PART, concurrency: 1, leaveUploadOnError: true }).catch((e: unknown) => e))!;
    const edited = body.slice();
    edited[5] = (edited[5]! + 1) & 0xff;
    await upload(store, "changed", edited, { resume: token });
    expect(await bytesAt(store, "changed")).toEqual(edited);
  });

  it("refuses to resume from a stream", async () => {
    const store = memoryStore();
    const token = { version: 1 as const, key: "k", uploadId: "u", partSize: PART, parts: [] };
    const err = await upload(store, "k", chunked(pattern(10)), { resume: token }).catch((e: unknown) => e);
    expect(isStorageError(err, "InvalidArgument")).toBe(true);
    expect((err as Error).message).toMatch(/seekable/);
  });
});

describe("uploadFile", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "stowage-transfer-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads parts by position and resumes a kept upload of the same file", async () => {
    const path = join(dir, "f.bin");
    const body = pattern(5 * PART + 9);
    await writeFile(path, body);
    let broken = true;
    const { store } = hooked(memoryStore(), (method, args) => {
      if (broken && method === "uploadPart" && args[2] === 5) throw new StorageError({ code: "Forbidden", message: "injected" });
    });
    const token = resumeTokenOf(await uploadFile(store, "f", path, { partSize: PART, leaveUploadOnError: true }).catch((e: unknown) => e));
    expect(token).toBeDefined();
    broken = false;
    const result = await uploadFile(store, "f", path, { resume: token! });
    expect(result.size).toBe(body.byteLength);
    expect(await bytesAt(store, "f")).toEqual(body);
  });
});
