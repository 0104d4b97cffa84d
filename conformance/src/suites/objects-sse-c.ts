/** Customer-provided encryption keys (SSE-C): held to the claim, or Unsupported. */
import type { ObjectRegistry } from "../case-context.js";
import { checkBytes, rejects } from "../assertions.js";
import { bytesOf, pattern } from "../case-data.js";
import { objects } from "../requirements.js";
import { KS3_SSE_C, OBJECT_CONTRACT, SEED_UPLOAD_PART_COPY } from "../sources.js";

const KEY = { key: pattern(32, 42) };
const OTHER_KEY = { key: pattern(32, 43) };
/** KS3 doc 42473: UploadPart and UploadPartCopy keys "must equal the key used to initiate the upload". */
const MULTIPART_KEY_RULE = `${KS3_SSE_C}: a part's key must equal the Initiate key (doc 42473)`;

/** Registers the SSE-C cases. */
export function register(registry: ObjectRegistry): void {
  registry.add({
    id: "objects.sse-c.round-trip",
    area: "objects.sse-c",
    rule: "an object put with an SSE-C key reads back with the same key",
    source: KS3_SSE_C,
    requires: [objects.claims("sseC")],
    run: async (ctx) => {
      await ctx.store.putObject("secret", pattern(100), { sseC: KEY });
      checkBytes(await bytesOf((await ctx.store.getObject("secret", { sseC: KEY })).body), pattern(100), "body");
    },
  });
  registry.add({
    id: "objects.sse-c.upload-part-copy-source",
    area: "objects.sse-c",
    rule: "uploadPartCopy() from an SSE-C source with the source's key copies its plaintext",
    source: `${SEED_UPLOAD_PART_COPY} (x-kss-copy-source-server-side-encryption-customer-*)`,
    requires: [objects.claims("sseC"), objects.claims("uploadPartCopy")],
    run: async (ctx) => {
      await ctx.store.putObject("secret", pattern(100), { sseC: KEY });
      const { uploadId } = await ctx.store.createMultipartUpload("dest");
      const part = await ctx.store.uploadPartCopy("dest", uploadId, 1, { source: { key: "secret", sseC: KEY } });
      await ctx.store.completeMultipartUpload("dest", uploadId, [{ partNumber: 1, etag: part.etag }]);
      checkBytes(await bytesOf((await ctx.store.getObject("dest")).body), pattern(100), "destination body");
    },
  });
  registry.add({
    id: "objects.sse-c.multipart-part-without-key",
    area: "objects.sse-c",
    rule: "uploadPart() without a key to an upload created with an SSE-C key rejects InvalidArgument",
    source: MULTIPART_KEY_RULE,
    requires: [objects.claims("sseC")],
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("dest", { sseC: KEY });
      await rejects(ctx.store.uploadPart("dest", uploadId, 1, pattern(10)), "InvalidArgument", "uploadPart() without the key");
    },
  });
  registry.add({
    id: "objects.sse-c.multipart-part-other-key",
    area: "objects.sse-c",
    rule: "uploadPart() with another key than the upload's SSE-C key rejects InvalidArgument",
    source: MULTIPART_KEY_RULE,
    requires: [objects.claims("sseC")],
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("dest", { sseC: KEY });
      await rejects(ctx.store.uploadPart("dest", uploadId, 1, pattern(10), { sseC: OTHER_KEY }), "InvalidArgument", "uploadPart() with another key");
    },
  });
  registry.add({
    id: "objects.sse-c.multipart-part-copy-needs-key",
    area: "objects.sse-c",
    rule: "uploadPartCopy() into an upload created with an SSE-C key rejects InvalidArgument without that key or with another one",
    source: `${MULTIPART_KEY_RULE}; ${SEED_UPLOAD_PART_COPY} (x-kss-server-side-encryption-customer-*)`,
    requires: [objects.claims("sseC"), objects.claims("uploadPartCopy")],
    run: async (ctx) => {
      await ctx.store.putObject("src", pattern(10));
      const { uploadId } = await ctx.store.createMultipartUpload("dest", { sseC: KEY });
      const copy = { source: { key: "src" } };
      await rejects(ctx.store.uploadPartCopy("dest", uploadId, 1, copy), "InvalidArgument", "uploadPartCopy() without the key");
      await rejects(ctx.store.uploadPartCopy("dest", uploadId, 1, { ...copy, sseC: OTHER_KEY }), "InvalidArgument", "uploadPartCopy() with another key");
    },
  });
  registry.add({
    id: "objects.sse-c.multipart-read-needs-key",
    area: "objects.sse-c",
    rule: "an object completed from an upload created with an SSE-C key reads back only with that key: none or another rejects InvalidArgument",
    source: MULTIPART_KEY_RULE,
    requires: [objects.claims("sseC")],
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("dest", { sseC: KEY });
      const part = await ctx.store.uploadPart("dest", uploadId, 1, pattern(100), { sseC: KEY });
      await ctx.store.completeMultipartUpload("dest", uploadId, [part]);
      await rejects(ctx.store.getObject("dest"), "InvalidArgument", "getObject() without the key");
      await rejects(ctx.store.getObject("dest", { sseC: OTHER_KEY }), "InvalidArgument", "getObject() with another key");
      checkBytes(await bytesOf((await ctx.store.getObject("dest", { sseC: KEY })).body), pattern(100), "body");
    },
  });
  registry.add({
    id: "objects.sse-c.unsupported",
    area: "objects.sse-c",
    rule: "putObject() with an SSE-C key on a store that does not claim sseC rejects Unsupported",
    source: OBJECT_CONTRACT,
    requires: [objects.lacks("sseC")],
    run: async (ctx) => {
      await rejects(ctx.store.putObject("secret", "x", { sseC: KEY }), "Unsupported", "putObject()");
    },
  });
}
