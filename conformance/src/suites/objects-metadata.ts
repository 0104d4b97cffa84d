/**
 * Object metadata and contentType: what every store accepts and refuses. These attributes are
 * HTTP headers on the S3-family providers, so a store without headers must refuse what a
 * header cannot carry unchanged instead of storing it (core metadata-rules.ts says why).
 */
import type { ObjectCaseContext, ObjectRegistry } from "../case-context.js";
import { checkEqual, rejects } from "../assertions.js";
import { KS3_LIMITS_DOC, OBJECT_CONTRACT } from "../sources.js";

/** AWS S3 on user-defined metadata. */
const AWS_METADATA = 'AWS S3 user-defined metadata ("must be US-ASCII when using REST")';
/** RFC 9110 on field names and values. */
const RFC_FIELDS = "RFC 9110 §5.1 (field names are case-insensitive), §5.5 (field values, surrounding whitespace removed)";

/** The attributes a write may set. */
interface Attributes {
  contentType?: string;
  metadata?: Record<string, string>;
}

/**
 * Each write that sets attributes (putObject, copyObject, createMultipartUpload) rejects
 * `InvalidArgument` for every one of `attempts`, and none of them leaves anything behind: no
 * object at the key and no open upload.
 */
async function refusedByEveryWrite(ctx: ObjectCaseContext, attempts: readonly Attributes[]): Promise<void> {
  await ctx.store.putObject("src", "source");
  for (const attributes of attempts) {
    const what = `with ${JSON.stringify(attributes)}`;
    await rejects(ctx.store.putObject("o", "x", attributes), "InvalidArgument", `putObject() ${what}`);
    await rejects(ctx.store.copyObject("o", { source: { key: "src" }, ...attributes }), "InvalidArgument", `copyObject() ${what}`);
    await rejects(ctx.store.createMultipartUpload("o", attributes), "InvalidArgument", `createMultipartUpload() ${what}`);
  }
  await rejects(ctx.store.headObject("o"), "NotFound", "headObject() after the refused writes");
  checkEqual((await ctx.store.listMultipartUploads()).uploads, [], "open uploads after the refused createMultipartUpload() calls");
}

/** Every printable US-ASCII character but the space, with a space in the middle (a space may not lead or trail). */
const ALL_PRINTABLE = (() => {
  const chars = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join("");
  return `${chars.slice(0, 47)} ${chars.slice(47)}`;
})();

/** Registers the metadata and contentType cases. */
export function register(registry: ObjectRegistry): void {
  registry.add({
    id: "objects.metadata.name-not-token",
    area: "objects.metadata",
    rule: "putObject(), copyObject() and createMultipartUpload() with a metadata name holding a space, CR/LF, ':' or a non-ASCII letter reject InvalidArgument and write nothing",
    source: KS3_LIMITS_DOC,
    run: (ctx) => refusedByEveryWrite(ctx, ["bad name", "bad name\r\n", "bad\r\nx-injected", "a:b", "caf\u00e9"].map((name) => ({ metadata: { [name]: "v" } }))),
  });
  registry.add({
    id: "objects.metadata.name-proto",
    area: "objects.metadata",
    rule: "putObject(), copyObject() and createMultipartUpload() with the metadata name __proto__ (a plain JavaScript object cannot hold it as an entry) reject InvalidArgument and write nothing",
    source: OBJECT_CONTRACT,
    // JSON.parse makes `__proto__` an own entry, as metadata read from a file or a request would have it.
    run: (ctx) => refusedByEveryWrite(ctx, ['{"__proto__":"v"}', '{"__Proto__":"v"}'].map((json) => ({ metadata: JSON.parse(json) as Record<string, string> }))),
  });
  registry.add({
    id: "objects.metadata.default-content-type",
    area: "objects.metadata",
    rule: "an object written without contentType (putObject, copyObject replacing metadata, multipart) reports application/octet-stream",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      await ctx.store.putObject("plain", "x");
      checkEqual((await ctx.store.headObject("plain")).contentType, "application/octet-stream", "contentType after putObject()");
      await ctx.store.copyObject("copied", { source: { key: "plain" }, metadata: { a: "1" } });
      checkEqual((await ctx.store.headObject("copied")).contentType, "application/octet-stream", "contentType after copyObject()");
      const { uploadId } = await ctx.store.createMultipartUpload("assembled");
      const part = await ctx.store.uploadPart("assembled", uploadId, ctx.limits.multipartMinPartNumber, "x");
      await ctx.store.completeMultipartUpload("assembled", uploadId, [{ partNumber: ctx.limits.multipartMinPartNumber, etag: part.etag }]);
      checkEqual((await ctx.store.headObject("assembled")).contentType, "application/octet-stream", "contentType after completeMultipartUpload()");
    },
  });
  registry.add({
    id: "objects.metadata.copy-replaces-together",
    area: "objects.metadata",
    rule: "copyObject() given only metadata or only contentType replaces both (S3 REPLACE): the one left out becomes none / the default; given neither, the copy keeps the source's",
    source: `${OBJECT_CONTRACT}; ${KS3_LIMITS_DOC}`,
    run: async (ctx) => {
      await ctx.store.putObject("src", "x", { contentType: "text/plain", metadata: { color: "red" } });
      await ctx.store.copyObject("only-metadata", { source: { key: "src" }, metadata: { size: "big" } });
      const onlyMetadata = await ctx.store.headObject("only-metadata");
      checkEqual([onlyMetadata.contentType, onlyMetadata.metadata], ["application/octet-stream", { size: "big" }], "copy given only metadata");
      await ctx.store.copyObject("only-type", { source: { key: "src" }, contentType: "text/html" });
      const onlyType = await ctx.store.headObject("only-type");
      checkEqual([onlyType.contentType, onlyType.metadata], ["text/html", {}], "copy given only contentType");
      await ctx.store.copyObject("neither", { source: { key: "src" } });
      const neither = await ctx.store.headObject("neither");
      checkEqual([neither.contentType, neither.metadata], ["text/plain", { color: "red" }], "copy given neither");
    },
  });
  registry.add({
    id: "objects.metadata.max-bytes",
    area: "objects.metadata",
    rule: "metadata of exactly metadataMaxBytes (names and values) round-trips; one byte more is refused with InvalidArgument by every write, which writes nothing",
    source: `${KS3_LIMITS_DOC} (MetadataTooLarge; S3's 2 KB)`,
    run: async (ctx) => {
      const value = (bytes: number) => ({ metadata: { big: "v".repeat(bytes - "big".length) } });
      await ctx.store.putObject("fits", "x", value(ctx.limits.metadataMaxBytes));
      checkEqual((await ctx.store.headObject("fits")).metadata, value(ctx.limits.metadataMaxBytes).metadata, "metadata of exactly the limit");
      await refusedByEveryWrite(ctx, [value(ctx.limits.metadataMaxBytes + 1)]);
    },
  });
  registry.add({
    id: "objects.metadata.name-empty",
    area: "objects.metadata",
    rule: "putObject(), copyObject() and createMultipartUpload() with an empty metadata name reject InvalidArgument and write nothing",
    source: KS3_LIMITS_DOC,
    run: (ctx) => refusedByEveryWrite(ctx, [{ metadata: { "": "v" } }]),
  });
  registry.add({
    id: "objects.metadata.names-equal-ignoring-case",
    area: "objects.metadata",
    rule: "putObject(), copyObject() and createMultipartUpload() with two metadata names equal ignoring case ({ Foo, foo }) reject InvalidArgument and write nothing, rather than keep one",
    source: RFC_FIELDS,
    run: (ctx) => refusedByEveryWrite(ctx, [{ metadata: { Foo: "a", foo: "b" } }]),
  });
  registry.add({
    id: "objects.metadata.value-control-characters",
    area: "objects.metadata",
    rule: "putObject(), copyObject() and createMultipartUpload() with a metadata value holding CR/LF, a tab or NUL reject InvalidArgument and write nothing",
    source: AWS_METADATA,
    run: (ctx) => refusedByEveryWrite(ctx, ["line\r\nbreak", "x\r\nx-injected: 1", "a\tb", "nul\0"].map((value) => ({ metadata: { note: value } }))),
  });
  registry.add({
    id: "objects.metadata.value-not-ascii",
    area: "objects.metadata",
    rule: "putObject(), copyObject() and createMultipartUpload() with a non-ASCII metadata value reject InvalidArgument and write nothing",
    source: AWS_METADATA,
    run: (ctx) => refusedByEveryWrite(ctx, ["h\u00e9llo \u2713", "\u4e2d\u6587", "\u{1F600}"].map((value) => ({ metadata: { note: value } }))),
  });
  registry.add({
    id: "objects.metadata.value-outer-spaces",
    area: "objects.metadata",
    rule: "putObject(), copyObject() and createMultipartUpload() with a metadata value starting or ending with a space (which HTTP strips) reject InvalidArgument and write nothing",
    source: RFC_FIELDS,
    run: (ctx) => refusedByEveryWrite(ctx, [" leading", "trailing "].map((value) => ({ metadata: { note: value } }))),
  });
  registry.add({
    id: "objects.metadata.content-type-invalid",
    area: "objects.metadata",
    rule: "putObject(), copyObject() and createMultipartUpload() with a contentType holding CR/LF or non-ASCII, or starting or ending with a space, reject InvalidArgument and write nothing",
    source: RFC_FIELDS,
    run: (ctx) =>
      refusedByEveryWrite(ctx, ["text/plain\r\nx-injected: 1", "text/plain\n", "t\u00e9xt/plain", " text/plain", "text/plain "].map((contentType) => ({ contentType }))),
  });
  registry.add({
    id: "objects.metadata.round-trip",
    area: "objects.metadata",
    rule: "metadata names of any case made of letters, digits, '-' and '_', with values of any printable US-ASCII, and a contentType with parameters, come back exactly (names lower-case) after putObject(), copyObject() and a multipart upload",
    source: `${OBJECT_CONTRACT}; ${KS3_LIMITS_DOC}`,
    run: async (ctx) => {
      const contentType = 'text/plain; charset="utf-8"';
      const metadata = { Author: "Alice  Smith", "x-Trace_ID-9": ALL_PRINTABLE, "--": "-" };
      const expected = { author: "Alice  Smith", "x-trace_id-9": ALL_PRINTABLE, "--": "-" };

      await ctx.store.putObject("put", "x", { contentType, metadata });
      const put = await ctx.store.headObject("put");
      checkEqual([put.contentType, put.metadata], [contentType, expected], "contentType and metadata after putObject()");

      await ctx.store.putObject("src", "x");
      await ctx.store.copyObject("copy", { source: { key: "src" }, contentType, metadata });
      const copy = await ctx.store.headObject("copy");
      checkEqual([copy.contentType, copy.metadata], [contentType, expected], "contentType and metadata after copyObject()");

      const { uploadId } = await ctx.store.createMultipartUpload("multi", { contentType, metadata });
      const part = await ctx.store.uploadPart("multi", uploadId, 1, "x");
      await ctx.store.completeMultipartUpload("multi", uploadId, [part]);
      const multi = await ctx.store.headObject("multi");
      checkEqual([multi.contentType, multi.metadata], [contentType, expected], "contentType and metadata after a multipart upload");
    },
  });
}
