/** Parts: part numbers at the manifest's bounds, overwrite, the minimum part size at Complete. */
import type { ObjectRegistry } from "../case-context.js";
import { check, checkBytes, checkEqual, rejects } from "../assertions.js";
import { bytesOf, pattern, utf8 } from "../case-data.js";
import { objects } from "../requirements.js";
import { KS3_COMPLETE, OBJECT_CONTRACT, S3_TESTS_MULTIPART, SEED_UPLOAD_PART_COPY } from "../sources.js";

const QUOTED = /^"[^"]+"$/;
/** Parts this large are allocated by the suite; a manifest beyond it is not probed at its limit. */
const PROBE_CEILING = 64 * 1024 * 1024;

/** Registers the part cases. */
export function register(registry: ObjectRegistry): void {
  registry.add({
    id: "multipart.part-number.below-min",
    area: "multipart.parts",
    rule: "uploadPart() with part number multipartMinPartNumber − 1 (0) rejects InvalidPartNumber",
    source: SEED_UPLOAD_PART_COPY,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      await rejects(ctx.store.uploadPart("o", uploadId, ctx.limits.multipartMinPartNumber - 1, "x"), "InvalidPartNumber", "uploadPart()");
    },
  });
  registry.add({
    id: "multipart.part-number.min",
    area: "multipart.parts",
    rule: "uploadPart() with part number multipartMinPartNumber (1) is accepted and listed",
    source: SEED_UPLOAD_PART_COPY,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      await ctx.store.uploadPart("o", uploadId, ctx.limits.multipartMinPartNumber, "x");
      checkEqual((await ctx.store.listParts("o", uploadId)).parts.map((p) => p.partNumber), [ctx.limits.multipartMinPartNumber], "listed part numbers");
    },
  });
  registry.add({
    id: "multipart.part-number.max",
    area: "multipart.parts",
    rule: "uploadPart() with part number multipartMaxPartNumber (10000) is accepted and listed",
    source: SEED_UPLOAD_PART_COPY,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      await ctx.store.uploadPart("o", uploadId, ctx.limits.multipartMaxPartNumber, "x");
      checkEqual((await ctx.store.listParts("o", uploadId)).parts.map((p) => p.partNumber), [ctx.limits.multipartMaxPartNumber], "listed part numbers");
    },
  });
  registry.add({
    id: "multipart.part-number.max-plus-one",
    area: "multipart.parts",
    rule: "uploadPart() with part number multipartMaxPartNumber + 1 (10001) rejects InvalidPartNumber and stores nothing",
    source: SEED_UPLOAD_PART_COPY,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      await rejects(ctx.store.uploadPart("o", uploadId, ctx.limits.multipartMaxPartNumber + 1, "x"), "InvalidPartNumber", "uploadPart()");
      checkEqual((await ctx.store.listParts("o", uploadId)).parts, [], "listed parts");
    },
  });
  registry.add({
    id: "multipart.part.result-form",
    area: "multipart.parts",
    rule: "uploadPart() resolves the part number and a quoted ETag, which listParts() reports with the part's size",
    source: KS3_COMPLETE,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      const part = await ctx.store.uploadPart("o", uploadId, 1, pattern(77));
      checkEqual(part.partNumber, 1, "partNumber");
      check(QUOTED.test(part.etag), `ETag ${part.etag} is not a quoted entity tag`);
      const [listed] = (await ctx.store.listParts("o", uploadId)).parts;
      checkEqual([listed?.partNumber, listed?.etag, listed?.size], [1, part.etag, 77], "listed part (number, ETag, size)");
    },
  });
  registry.add({
    id: "multipart.part.overwrite-keeps-last",
    area: "multipart.parts",
    rule: "uploading a part number twice keeps the last upload: listParts() shows it and Complete assembles it",
    source: `${SEED_UPLOAD_PART_COPY} ("the previous block will be overwritten"); ${S3_TESTS_MULTIPART}`,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      await ctx.store.uploadPart("o", uploadId, 1, "first");
      const second = await ctx.store.uploadPart("o", uploadId, 1, "second!");
      const parts = (await ctx.store.listParts("o", uploadId)).parts;
      checkEqual(parts.map((p) => [p.partNumber, p.etag, p.size]), [[1, second.etag, 7]], "listed parts");
      await ctx.store.completeMultipartUpload("o", uploadId, [second]);
      checkBytes(await bytesOf((await ctx.store.getObject("o")).body), utf8("second!"), "body");
    },
  });
  registry.add({
    id: "multipart.part.stale-etag-after-overwrite",
    area: "multipart.parts",
    rule: "Complete naming the ETag of an overwritten part rejects InvalidPart",
    source: S3_TESTS_MULTIPART,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      const first = await ctx.store.uploadPart("o", uploadId, 1, "first");
      await ctx.store.uploadPart("o", uploadId, 1, "second!");
      await rejects(ctx.store.completeMultipartUpload("o", uploadId, [first]), "InvalidPart", "completeMultipartUpload()");
    },
  });
  registry.add({
    id: "multipart.part.min-bytes-passes",
    area: "multipart.parts",
    rule: "a non-last part of exactly multipartMinPartBytes passes Complete, and the object is the parts' concatenation",
    source: `${SEED_UPLOAD_PART_COPY}; ${KS3_COMPLETE}`,
    run: async (ctx) => {
      const one = pattern(ctx.limits.multipartMinPartBytes, 1);
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      const p1 = await ctx.store.uploadPart("o", uploadId, 1, one);
      const p2 = await ctx.store.uploadPart("o", uploadId, 2, "z");
      await ctx.store.completeMultipartUpload("o", uploadId, [p1, p2]);
      const body = await bytesOf((await ctx.store.getObject("o")).body);
      checkEqual(body.byteLength, one.byteLength + 1, "size");
      checkBytes(body.subarray(0, one.byteLength), one, "first part's bytes");
      checkEqual(body[one.byteLength], 0x7a, "last byte");
    },
  });
  registry.add({
    id: "multipart.part.below-min-bytes-fails",
    area: "multipart.parts",
    rule: "a non-last part of multipartMinPartBytes − 1 makes Complete reject EntityTooSmall, and no object appears",
    source: `${SEED_UPLOAD_PART_COPY}; ${S3_TESTS_MULTIPART} (test_multipart_upload_size_too_small)`,
    requires: [objects.manifest("multipartMinPartBytes > 1", (l) => l.multipartMinPartBytes > 1)],
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      const p1 = await ctx.store.uploadPart("o", uploadId, 1, pattern(ctx.limits.multipartMinPartBytes - 1));
      const p2 = await ctx.store.uploadPart("o", uploadId, 2, "z");
      await rejects(ctx.store.completeMultipartUpload("o", uploadId, [p1, p2]), "EntityTooSmall", "completeMultipartUpload()");
      await rejects(ctx.store.headObject("o"), "NotFound", "headObject() after the rejected Complete");
    },
  });
  registry.add({
    id: "multipart.part.last-part-any-size",
    area: "multipart.parts",
    rule: "a single one-byte part completes (the last part has no minimum)",
    source: `${SEED_UPLOAD_PART_COPY} ("the last block has no size limit"); ${S3_TESTS_MULTIPART} (test_multipart_upload_small)`,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      const p1 = await ctx.store.uploadPart("o", uploadId, 1, "z");
      await ctx.store.completeMultipartUpload("o", uploadId, [p1]);
      checkEqual((await ctx.store.headObject("o")).size, 1, "size");
    },
  });
  registry.add({
    id: "multipart.part.max-bytes-plus-one",
    area: "multipart.parts",
    rule: "uploadPart() of multipartMaxPartBytes + 1 bytes rejects EntityTooLarge",
    source: OBJECT_CONTRACT,
    requires: [objects.manifest(`multipartMaxPartBytes < ${PROBE_CEILING}`, (l) => l.multipartMaxPartBytes < PROBE_CEILING)],
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      await rejects(ctx.store.uploadPart("o", uploadId, 1, new Uint8Array(ctx.limits.multipartMaxPartBytes + 1)), "EntityTooLarge", "uploadPart()");
    },
  });
}
