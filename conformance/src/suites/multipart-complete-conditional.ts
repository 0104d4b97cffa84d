/**
 * Conditional Complete: `completeMultipartUpload` with `ifNoneMatch: "*"` (create only if
 * absent) or `ifMatch: etag` (replace only that version), judged atomically with the commit,
 * gated by `completeMultipartUploadWithConditions`; stores without it raise `Unsupported`.
 * Every upload here has one part, which no part-size minimum applies to.
 */
import type { MultipartObjectStore } from "@stowage/core";
import type { ObjectRegistry } from "../case-context.js";
import { check, checkBytes, checkEqual, rejects } from "../assertions.js";
import { bytesOf, pattern } from "../case-data.js";
import { objects } from "../requirements.js";

const SOURCE =
  "S3 API Reference, CompleteMultipartUpload If-None-Match / If-Match (\"Otherwise, Amazon S3 returns a 412 Precondition Failed error\"); S3 User Guide, \"Conditional writes\"";
const STALE_ETAG = '"0123456789abcdef0123456789abcdef"';

/** A one-part upload on `key` holding `body`, ready to complete. */
async function onePartUpload(store: MultipartObjectStore, key: string, body: Uint8Array): Promise<(options?: { ifNoneMatch?: "*"; ifMatch?: string }) => Promise<{ etag: string }>> {
  const { uploadId } = await store.createMultipartUpload(key);
  const part = await store.uploadPart(key, uploadId, 1, body);
  return (options) => store.completeMultipartUpload(key, uploadId, [part], options);
}

async function bodyOf(store: MultipartObjectStore, key: string): Promise<Uint8Array> {
  return bytesOf((await store.getObject(key)).body);
}

/** Registers the conditional Complete cases. */
export function register(registry: ObjectRegistry): void {
  const conditional = objects.claims("completeMultipartUploadWithConditions");
  registry.add({
    id: "multipart.conditional-complete.if-none-match-creates",
    area: "multipart.complete",
    rule: 'completeMultipartUpload() with ifNoneMatch "*" on an absent key creates the object',
    source: SOURCE,
    requires: [conditional],
    run: async (ctx) => {
      const body = pattern(32, 1);
      const complete = await onePartUpload(ctx.store, "o", body);
      const { etag } = await complete({ ifNoneMatch: "*" });
      checkEqual((await ctx.store.headObject("o")).etag, etag, "headObject().etag");
      checkBytes(await bodyOf(ctx.store, "o"), body, "body");
    },
  });
  registry.add({
    id: "multipart.conditional-complete.if-none-match-existing-fails",
    area: "multipart.complete",
    rule: 'completeMultipartUpload() with ifNoneMatch "*" on an existing key rejects PreconditionFailed, leaves the object, and leaves the upload open (an unconditional Complete of it then succeeds)',
    source: `${SOURCE}; S3 asks for a new upload only after a 409 ConditionalRequestConflict`,
    requires: [conditional],
    run: async (ctx) => {
      const first = pattern(32, 1);
      await ctx.store.putObject("o", first);
      const second = pattern(40, 2);
      const complete = await onePartUpload(ctx.store, "o", second);
      const err = await rejects(complete({ ifNoneMatch: "*" }), "PreconditionFailed", "completeMultipartUpload()");
      checkEqual(err.httpStatus === undefined || err.httpStatus === 412, true, "httpStatus is 412 (or absent on an embedded store)");
      checkBytes(await bodyOf(ctx.store, "o"), first, "body after the refused Complete");
      await complete();
      checkBytes(await bodyOf(ctx.store, "o"), second, "body after completing the same upload without a condition");
    },
  });
  registry.add({
    id: "multipart.conditional-complete.if-match-current-replaces",
    area: "multipart.complete",
    rule: "completeMultipartUpload() with ifMatch naming the current ETag replaces the object",
    source: SOURCE,
    requires: [conditional],
    run: async (ctx) => {
      const { etag } = await ctx.store.putObject("o", pattern(32, 1));
      const second = pattern(40, 2);
      const complete = await onePartUpload(ctx.store, "o", second);
      const result = await complete({ ifMatch: etag });
      checkEqual((await ctx.store.headObject("o")).etag, result.etag, "headObject().etag");
      checkBytes(await bodyOf(ctx.store, "o"), second, "body");
    },
  });
  registry.add({
    id: "multipart.conditional-complete.if-match-stale-fails",
    area: "multipart.complete",
    rule: "completeMultipartUpload() with ifMatch naming an older ETag rejects PreconditionFailed and leaves the newer object",
    source: SOURCE,
    requires: [conditional],
    run: async (ctx) => {
      const { etag: old } = await ctx.store.putObject("o", pattern(32, 1));
      const newer = pattern(40, 2);
      await ctx.store.putObject("o", newer);
      const complete = await onePartUpload(ctx.store, "o", pattern(48, 3));
      await rejects(complete({ ifMatch: old }), "PreconditionFailed", "completeMultipartUpload()");
      checkBytes(await bodyOf(ctx.store, "o"), newer, "body");
    },
  });
  registry.add({
    id: "multipart.conditional-complete.if-match-absent-fails",
    area: "multipart.complete",
    rule: "completeMultipartUpload() with ifMatch on an absent key rejects NotFound, as S3 answers 404 NoSuchKey, and creates nothing",
    source: SOURCE,
    requires: [conditional],
    run: async (ctx) => {
      const complete = await onePartUpload(ctx.store, "o", pattern(8));
      await rejects(complete({ ifMatch: STALE_ETAG }), "NotFound", "completeMultipartUpload()");
      await rejects(ctx.store.headObject("o"), "NotFound", "headObject()");
    },
  });
  registry.add({
    id: "multipart.conditional-complete.concurrent-creators-one-wins",
    area: "multipart.complete",
    rule: 'two concurrent completeMultipartUpload() calls with ifNoneMatch "*" of two uploads on one absent key: exactly one resolves, the other rejects PreconditionFailed, and the object is the winner\'s parts',
    source: SOURCE,
    requires: [conditional],
    run: async (ctx) => {
      const bodies = [pattern(64, 1), pattern(64, 2)];
      const completes = await Promise.all(bodies.map((b) => onePartUpload(ctx.store, "o", b)));
      const outcomes = await Promise.allSettled(completes.map((complete) => complete({ ifNoneMatch: "*" })));
      const winners = outcomes.flatMap((o, i) => (o.status === "fulfilled" ? [i] : []));
      checkEqual(winners.length, 1, "number of Completes that won");
      const loser = outcomes[1 - winners[0]!]!;
      check(loser.status === "rejected" && (loser.reason as { code?: unknown }).code === "PreconditionFailed", "the other Complete rejects PreconditionFailed");
      checkBytes(await bodyOf(ctx.store, "o"), bodies[winners[0]!]!, "body");
    },
  });
  registry.add({
    id: "multipart.conditional-complete.unsupported",
    area: "multipart.complete",
    rule: "completeMultipartUpload() with ifNoneMatch or ifMatch on a store without completeMultipartUploadWithConditions rejects Unsupported and completes nothing",
    source: "contract: capabilities a manifest lacks raise Unsupported",
    requires: [objects.lacks("completeMultipartUploadWithConditions")],
    run: async (ctx) => {
      const complete = await onePartUpload(ctx.store, "o", pattern(8));
      await rejects(complete({ ifNoneMatch: "*" }), "Unsupported", "completeMultipartUpload() with ifNoneMatch");
      await rejects(complete({ ifMatch: STALE_ETAG }), "Unsupported", "completeMultipartUpload() with ifMatch");
      await rejects(ctx.store.headObject("o"), "NotFound", "headObject()");
      await complete();
    },
  });
}
