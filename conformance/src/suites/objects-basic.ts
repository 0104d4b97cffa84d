/** Objects: put, get, head, delete, body forms, ETags and metadata. */
import type { ObjectRegistry } from "../case-context.js";
import { check, checkBytes, checkEqual, rejects } from "../assertions.js";
import { allByteValues, bytesOf, chunksOf, failingAfter, pattern, SOURCE_FAILURE_MESSAGE, utf8 } from "../case-data.js";
import { objects } from "../requirements.js";
import { KS3_LIMITS_DOC, OBJECT_CONTRACT } from "../sources.js";

const QUOTED = /^"[^"]+"$/;
/** Bodies this large are allocated by the suite; a manifest beyond it is not probed at its limit. */
const PROBE_CEILING = 64 * 1024 * 1024;

/** Registers the basic object cases. */
export function register(registry: ObjectRegistry): void {
  registry.add({
    id: "objects.put-get.round-trip",
    area: "objects.basic",
    rule: "getObject() after putObject() streams the same bytes with contentLength and info.size equal to the object size and no range",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      const body = pattern(1000);
      await ctx.store.putObject("o", body);
      const got = await ctx.store.getObject("o");
      checkEqual(got.contentLength, 1000, "contentLength");
      checkEqual(got.info.size, 1000, "info.size");
      checkEqual(got.range, undefined, "range of a whole-object read");
      checkBytes(await bytesOf(got.body), body, "body");
    },
  });
  registry.add({
    id: "objects.put.empty-object",
    area: "objects.basic",
    rule: "a zero-byte object round-trips with size 0",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      await ctx.store.putObject("empty", new Uint8Array(0));
      const got = await ctx.store.getObject("empty");
      checkEqual(got.info.size, 0, "info.size");
      checkBytes(await bytesOf(got.body), new Uint8Array(0), "body");
    },
  });
  registry.add({
    id: "objects.put.all-byte-values",
    area: "objects.basic",
    rule: "an object holding every byte value 0..255 round-trips exactly",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      await ctx.store.putObject("bin", allByteValues());
      checkBytes(await bytesOf((await ctx.store.getObject("bin")).body), allByteValues(), "body");
    },
  });
  registry.add({
    id: "objects.put.stream-bodies",
    area: "objects.basic",
    rule: "putObject() accepts an AsyncIterable with contentLength and a string, and stores their bytes",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      const body = pattern(5000, 9);
      await ctx.store.putObject("iter", chunksOf(body, 1000), { contentLength: body.byteLength });
      checkBytes(await bytesOf((await ctx.store.getObject("iter")).body), body, "body of the AsyncIterable put");
      await ctx.store.putObject("text", "h\u00e9llo");
      checkBytes(await bytesOf((await ctx.store.getObject("text")).body), utf8("h\u00e9llo"), "body of the string put");
    },
  });
  registry.add({
    id: "objects.put.content-length-mismatch",
    area: "objects.basic",
    rule: "putObject() of a byte array with a different contentLength rejects InvalidArgument and writes nothing",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      await rejects(ctx.store.putObject("o", utf8("abc"), { contentLength: 5 }), "InvalidArgument", "putObject()");
      await rejects(ctx.store.headObject("o"), "NotFound", "headObject() after the rejected put");
    },
  });
  registry.add({
    id: "objects.put.failing-body-stream",
    area: "objects.basic",
    rule: "putObject() whose body stream fails part-way rejects InvalidArgument (the failure as its cause) and writes nothing",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      const error = await rejects(ctx.store.putObject("o", failingAfter(pattern(1024))), "InvalidArgument", "putObject()");
      checkEqual((error.cause as Error | undefined)?.message, SOURCE_FAILURE_MESSAGE, "message of the error's cause");
      await rejects(ctx.store.headObject("o"), "NotFound", "headObject() after the rejected put");
    },
  });
  registry.add({
    id: "objects.put.etag-form",
    area: "objects.basic",
    rule: "putObject() resolves an ETag in its quoted HTTP form, equal to the ETag headObject() and getObject() report",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      const { etag } = await ctx.store.putObject("o", "abc");
      check(QUOTED.test(etag), `putObject() ETag ${etag} is not a quoted entity tag`);
      checkEqual((await ctx.store.headObject("o")).etag, etag, "headObject().etag");
      const got = await ctx.store.getObject("o");
      await got.body.cancel();
      checkEqual(got.info.etag, etag, "getObject().info.etag");
    },
  });
  registry.add({
    id: "objects.put.overwrite",
    area: "objects.basic",
    rule: "a second putObject() replaces the bytes, and the ETag changes with the content",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      const first = await ctx.store.putObject("o", "first");
      const second = await ctx.store.putObject("o", "second!");
      check(first.etag !== second.etag, "the ETag did not change with the content");
      checkBytes(await bytesOf((await ctx.store.getObject("o")).body), utf8("second!"), "body");
    },
  });
  registry.add({
    id: "objects.put.metadata-round-trip",
    area: "objects.basic",
    rule: "contentType and user metadata given to putObject() come back from headObject() and getObject()",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      const metadata = { color: "blue", "x-origin": "conformance" };
      await ctx.store.putObject("o", "abc", { contentType: "text/plain", metadata });
      const head = await ctx.store.headObject("o");
      checkEqual(head.contentType, "text/plain", "headObject().contentType");
      checkEqual(head.metadata, metadata, "headObject().metadata");
      const got = await ctx.store.getObject("o");
      await got.body.cancel();
      checkEqual(got.info.metadata, metadata, "getObject().info.metadata");
    },
  });
  registry.add({
    id: "objects.put.overwrite-replaces-metadata",
    area: "objects.basic",
    rule: "a second putObject() without metadata leaves the object with no user metadata",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      await ctx.store.putObject("o", "abc", { metadata: { color: "blue" } });
      await ctx.store.putObject("o", "abc");
      checkEqual((await ctx.store.headObject("o")).metadata, {}, "headObject().metadata");
    },
  });
  registry.add({
    id: "objects.head.info",
    area: "objects.basic",
    rule: "headObject() reports the key, size, ETag and a valid lastModified",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      const { etag } = await ctx.store.putObject("o", pattern(321));
      const info = await ctx.store.headObject("o");
      checkEqual(info.key, "o", "key");
      checkEqual(info.size, 321, "size");
      checkEqual(info.etag, etag, "etag");
      check(info.lastModified instanceof Date && !Number.isNaN(info.lastModified.getTime()), "lastModified is not a valid Date");
    },
  });
  registry.add({
    id: "objects.get.missing",
    area: "objects.basic",
    rule: "getObject() of a missing key rejects NotFound",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      await rejects(ctx.store.getObject("missing"), "NotFound", "getObject()");
    },
  });
  registry.add({
    id: "objects.head.missing",
    area: "objects.basic",
    rule: "headObject() of a missing key rejects NotFound",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      await rejects(ctx.store.headObject("missing"), "NotFound", "headObject()");
    },
  });
  registry.add({
    id: "objects.delete.present",
    area: "objects.basic",
    rule: "deleteObject() of a present object resolves, and headObject() then rejects NotFound",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      await ctx.store.putObject("o", "abc");
      await ctx.store.deleteObject("o");
      await rejects(ctx.store.headObject("o"), "NotFound", "headObject() after deleteObject()");
    },
  });
  registry.add({
    id: "objects.delete.absent",
    area: "objects.basic",
    rule: "deleteObject() of an absent key resolves (normalized across providers)",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      await ctx.store.deleteObject("never-written");
    },
  });
  registry.add({
    id: "objects.put.max-bytes",
    area: "objects.basic",
    rule: "putObject() of exactly putObjectMaxBytes bytes succeeds",
    source: KS3_LIMITS_DOC,
    requires: [objects.manifest(`putObjectMaxBytes ≤ ${PROBE_CEILING}`, (l) => l.putObjectMaxBytes <= PROBE_CEILING)],
    run: async (ctx) => {
      await ctx.store.putObject("o", new Uint8Array(ctx.limits.putObjectMaxBytes));
      checkEqual((await ctx.store.headObject("o")).size, ctx.limits.putObjectMaxBytes, "size");
    },
  });
  registry.add({
    id: "objects.put.max-bytes-plus-one",
    area: "objects.basic",
    rule: "putObject() of putObjectMaxBytes + 1 bytes rejects EntityTooLarge",
    source: KS3_LIMITS_DOC,
    requires: [objects.manifest(`putObjectMaxBytes < ${PROBE_CEILING}`, (l) => l.putObjectMaxBytes < PROBE_CEILING)],
    run: async (ctx) => {
      await rejects(ctx.store.putObject("o", new Uint8Array(ctx.limits.putObjectMaxBytes + 1)), "EntityTooLarge", "putObject()");
    },
  });
}
