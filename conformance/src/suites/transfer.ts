/**
 * The transfer engine (`@stowage/transfer`, design §6) on this store: managed multipart upload,
 * parallel ranged download and server-side copy, built only on the contract and its manifest,
 * so every object adapter runs these cases. Sizes follow the manifest's `multipartMinPartBytes`,
 * so a store with small test limits moves KiBs and one with S3's moves a few tens of MiB.
 */
import { StorageError, type MultipartObjectStore, type ObjectStoreLimits } from "@stowage/core";
import { copy, download, resumeTokenOf, upload, type TransferProgress } from "@stowage/transfer";
import type { ObjectRegistry } from "../case-context.js";
import { check, checkBytes, checkEqual, rejects } from "../assertions.js";
import { bytesOf, pattern } from "../case-data.js";
import { objects } from "../requirements.js";
import { OBJECT_CONTRACT } from "../sources.js";

const ENGINE = "@stowage/transfer (design §6, issue 10 §4)";

/** The part size of every case: the manifest's minimum (at least 1 KiB), within its maximum. */
function partSizeOf(limits: ObjectStoreLimits): number {
  return Math.min(limits.multipartMaxPartBytes, Math.max(limits.multipartMinPartBytes, 1024));
}

/** `bytes` as a stream of unknown length, in chunks that do not line up with parts. */
async function* streamOf(bytes: Uint8Array, chunk = 65_537): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += chunk) yield bytes.slice(at, Math.min(bytes.byteLength, at + chunk));
}

async function openUploadsFor(store: MultipartObjectStore, key: string): Promise<number> {
  return (await store.listMultipartUploads({ prefix: key })).uploads.filter((u) => u.key === key).length;
}

/** The store with `before` run ahead of each call (for injected failures and overwrites). */
function intercepted(store: MultipartObjectStore, before: (method: string, args: unknown[]) => void | Promise<void>): MultipartObjectStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "objects") return (value as (...a: unknown[]) => unknown).bind(target);
      return async (...args: unknown[]) => {
        await before(String(prop), args);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const multipart = objects.manifest("two minimum parts fit in a part count of 3", (l) => l.multipartMaxPartNumber - l.multipartMinPartNumber >= 2);
const ranged = objects.claims("getObjectWithRange");
const conditional = objects.claims("getObjectWithConditions");
const partCopies = objects.claims("uploadPartCopy");

/** Registers the transfer cases. */
export function register(registry: ObjectRegistry): void {
  registry.add({
    id: "transfer.upload.stream-not-part-multiple",
    area: "transfer",
    rule: "upload() of a stream of unknown length that is not a multiple of the part size stores the exact bytes in ⌈size / partSize⌉ parts",
    source: ENGINE,
    requires: [multipart],
    run: async (ctx) => {
      const part = partSizeOf(ctx.limits);
      const body = pattern(2 * part + Math.floor(part / 2) + 1, 3);
      const result = await upload(ctx.store, "t-stream", streamOf(body), { partSize: part, concurrency: 2, signal: ctx.signal });
      checkEqual([result.size, result.parts], [body.byteLength, 3], "size and parts");
      checkBytes(await bytesOf((await ctx.store.getObject("t-stream")).body), body, "stored body");
      checkEqual(await openUploadsFor(ctx.store, "t-stream"), 0, "open uploads after the upload");
    },
  });
  registry.add({
    id: "transfer.upload.min-part-boundary",
    area: "transfer",
    rule: "upload() at the exact minimum-part boundary: 2 × multipartMinPartBytes is two full parts; one byte more adds a 1-byte last part",
    source: `${ENGINE}; ${OBJECT_CONTRACT} (multipartMinPartBytes)`,
    requires: [multipart],
    run: async (ctx) => {
      const part = partSizeOf(ctx.limits);
      for (const extra of [0, 1]) {
        const body = pattern(2 * part + extra, 5 + extra);
        const result = await upload(ctx.store, `t-edge-${extra}`, streamOf(body), { partSize: part, signal: ctx.signal });
        checkEqual(result.parts, 2 + extra, `parts for 2 × ${part} + ${extra} bytes`);
        checkBytes(await bytesOf((await ctx.store.getObject(`t-edge-${extra}`)).body), body, `stored body (+${extra})`);
      }
    },
  });
  registry.add({
    id: "transfer.upload.one-part-fast-path",
    area: "transfer",
    rule: "upload() of a body that fits in one part uses a single putObject (no multipart upload)",
    source: ENGINE,
    run: async (ctx) => {
      const part = partSizeOf(ctx.limits);
      const body = pattern(Math.min(part, ctx.limits.putObjectMaxBytes), 9);
      const calls: string[] = [];
      const store = intercepted(ctx.store, (method) => void calls.push(method));
      const result = await upload(store, "t-one", streamOf(body, 1000), { partSize: part, signal: ctx.signal });
      checkEqual([result.parts, result.uploadId], [1, undefined], "parts and upload id");
      check(!calls.includes("createMultipartUpload"), `a multipart upload was created: ${calls.join(", ")}`);
      checkBytes(await bytesOf((await ctx.store.getObject("t-one")).body), body, "stored body");
    },
  });
  registry.add({
    id: "transfer.upload.empty-body",
    area: "transfer",
    rule: "upload() of an empty stream stores an empty object",
    source: ENGINE,
    run: async (ctx) => {
      const result = await upload(ctx.store, "t-empty", streamOf(new Uint8Array(0)), { signal: ctx.signal });
      checkEqual(result.size, 0, "result size");
      checkEqual((await ctx.store.headObject("t-empty")).size, 0, "stored size");
    },
  });
  registry.add({
    id: "transfer.upload.abort-cleans-up",
    area: "transfer",
    rule: "aborting an upload mid-way rejects with Aborted and leaves no object and no listed upload",
    source: ENGINE,
    requires: [multipart],
    run: async (ctx) => {
      const part = partSizeOf(ctx.limits);
      const controller = new AbortController();
      const err = await rejects(
        upload(ctx.store, "t-abort", streamOf(pattern(6 * part, 2)), {
          partSize: part,
          concurrency: 1,
          signal: controller.signal,
          onProgress: (p) => {
            if (p.partsDone >= 1) controller.abort();
          },
        }),
        "Aborted",
        "upload aborted after its first part",
      );
      check(err instanceof StorageError, "not a StorageError");
      await rejects(ctx.store.headObject("t-abort"), "NotFound", "headObject of the aborted key");
      checkEqual(await openUploadsFor(ctx.store, "t-abort"), 0, "open uploads after the abort");
    },
  });
  registry.add({
    id: "transfer.upload.failing-source-cleans-up",
    area: "transfer",
    rule: "a source stream that fails mid-upload rejects the upload and leaves no listed upload",
    source: ENGINE,
    requires: [multipart],
    run: async (ctx) => {
      const part = partSizeOf(ctx.limits);
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield* streamOf(pattern(2 * part + 10, 4));
        throw new Error("the source broke");
      }
      await rejects(upload(ctx.store, "t-broken", failing(), { partSize: part, signal: ctx.signal }), "InvalidArgument", "upload of a failing stream");
      await rejects(ctx.store.headObject("t-broken"), "NotFound", "headObject of the failed key");
      checkEqual(await openUploadsFor(ctx.store, "t-broken"), 0, "open uploads after the failure");
    },
  });
  registry.add({
    id: "transfer.upload.resume-exact-bytes",
    area: "transfer",
    rule: "after an injected part failure with leaveUploadOnError, the resume token completes the upload with the exact bytes",
    source: ENGINE,
    requires: [multipart],
    run: async (ctx) => {
      const part = partSizeOf(ctx.limits);
      const body = pattern(4 * part + 7, 6);
      const first = ctx.limits.multipartMinPartNumber;
      const failing = intercepted(ctx.store, (method, args) => {
        if (method === "uploadPart" && args[2] === first + 2) throw new StorageError({ code: "Forbidden", message: "injected failure" });
      });
      let token;
      try {
        await upload(failing, "t-resume", body, { partSize: part, concurrency: 1, leaveUploadOnError: true, signal: ctx.signal });
      } catch (err) {
        token = resumeTokenOf(err);
      }
      check(token !== undefined, "the failed upload carries no resume token");
      checkEqual(await openUploadsFor(ctx.store, "t-resume"), 1, "open uploads kept for resuming");
      const result = await upload(ctx.store, "t-resume", body, { resume: JSON.parse(JSON.stringify(token)), signal: ctx.signal });
      checkEqual(result.size, body.byteLength, "resumed size");
      checkBytes(await bytesOf((await ctx.store.getObject("t-resume")).body), body, "resumed body");
      checkEqual(await openUploadsFor(ctx.store, "t-resume"), 0, "open uploads after resuming");
    },
  });
  registry.add({
    id: "transfer.download.overwrite-precondition-failed",
    area: "transfer",
    rule: "an object overwritten during a parallel ranged download ends the download with PreconditionFailed",
    source: `${ENGINE}; ${OBJECT_CONTRACT} (getObject ifMatch)`,
    requires: [ranged, conditional],
    run: async (ctx) => {
      await ctx.store.putObject("t-changing", pattern(4000, 1));
      let gets = 0;
      const store = intercepted(ctx.store, async (method) => {
        if (method === "getObject" && ++gets === 2) await ctx.store.putObject("t-changing", pattern(4000, 2));
      });
      const result = await download(store, "t-changing", { partSize: 1000, concurrency: 1, signal: ctx.signal });
      await rejects(async () => {
        for await (const _chunk of result.body) void _chunk;
      }, "PreconditionFailed", "reading the download of an overwritten object");
    },
  });
  registry.add({
    id: "transfer.copy.multipart-byte-exact",
    area: "transfer",
    rule: "copy() above the threshold copies with parallel uploadPartCopy ranges and the copy is byte-exact",
    source: `${ENGINE}; ${OBJECT_CONTRACT} (uploadPartCopy)`,
    requires: [multipart, partCopies],
    run: async (ctx) => {
      const part = partSizeOf(ctx.limits);
      const body = pattern(2 * part + 3, 8);
      await upload(ctx.store, "t-copy-src", body, { partSize: part, signal: ctx.signal });
      const result = await copy(ctx.store, "t-copy-src", "t-copy-dst", { partSize: part, multipartThreshold: part, signal: ctx.signal });
      checkEqual([result.size, result.parts], [body.byteLength, 3], "copy size and parts");
      checkBytes(await bytesOf((await ctx.store.getObject("t-copy-dst")).body), body, "copied body");
      checkEqual(await openUploadsFor(ctx.store, "t-copy-dst"), 0, "open uploads after the copy");
    },
  });
  registry.add({
    id: "transfer.progress.totals",
    area: "transfer",
    rule: "the last progress report of an upload and of a download has bytesDone = totalBytes = the object's size",
    source: ENGINE,
    requires: [multipart],
    run: async (ctx) => {
      const part = partSizeOf(ctx.limits);
      const body = pattern(2 * part + 5, 10);
      let up: TransferProgress | undefined;
      await upload(ctx.store, "t-progress", streamOf(body), { partSize: part, onProgress: (p) => (up = p), signal: ctx.signal });
      checkEqual([up?.bytesDone, up?.totalBytes, up?.partsDone], [body.byteLength, body.byteLength, 3], "upload's last progress (bytes, total, parts)");
      let down: TransferProgress | undefined;
      const result = await download(ctx.store, "t-progress", { partSize: part, onProgress: (p) => (down = p), signal: ctx.signal });
      for await (const _chunk of result.body) void _chunk;
      checkEqual([down?.bytesDone, down?.totalBytes], [body.byteLength, body.byteLength], "download's last progress (bytes, total)");
    },
  });
}
