/** Complete: assembly, the ETag form, metadata, and every way a part list can be wrong. */
import type { CompletedPart, MultipartObjectStore } from "@stowage/core";
import type { ObjectRegistry } from "../case-context.js";
import { check, checkBytes, checkEqual, rejects } from "../assertions.js";
import { bytesOf, pattern, utf8 } from "../case-data.js";
import { objects } from "../requirements.js";
import { KS3_COMPLETE, OBJECT_CONTRACT, S3_TESTS_MULTIPART } from "../sources.js";

/** An upload on `o` with a full-size part 1 and the given small parts. */
async function uploadWithFullFirstPart(store: MultipartObjectStore, minPartBytes: number, small: readonly number[]): Promise<{ uploadId: string; parts: CompletedPart[]; bytes: Uint8Array[] }> {
  const { uploadId } = await store.createMultipartUpload("o");
  const bytes = [pattern(minPartBytes, 1)];
  const parts = [await store.uploadPart("o", uploadId, 1, bytes[0]!)];
  for (const n of small) {
    const b = utf8(`part ${n}`);
    bytes.push(b);
    parts.push(await store.uploadPart("o", uploadId, n, b));
  }
  return { uploadId, parts, bytes };
}

/** Registers the Complete cases. */
export function register(registry: ObjectRegistry): void {
  registry.add({
    id: "multipart.complete.assembles-parts",
    area: "multipart.complete",
    rule: "completeMultipartUpload() creates the object from the listed parts in order; headObject() reports their total size",
    source: KS3_COMPLETE,
    run: async (ctx) => {
      const { uploadId, parts, bytes } = await uploadWithFullFirstPart(ctx.store, ctx.limits.multipartMinPartBytes, [2]);
      const result = await ctx.store.completeMultipartUpload("o", uploadId, parts);
      checkEqual(result.key, "o", "result.key");
      const total = bytes[0]!.byteLength + bytes[1]!.byteLength;
      checkEqual((await ctx.store.headObject("o")).size, total, "size");
      const body = await bytesOf((await ctx.store.getObject("o")).body);
      checkBytes(body.subarray(0, bytes[0]!.byteLength), bytes[0]!, "first part's bytes");
      checkBytes(body.subarray(bytes[0]!.byteLength), bytes[1]!, "second part's bytes");
    },
  });
  registry.add({
    id: "multipart.complete.etag-form",
    area: "multipart.complete",
    rule: "the completed object's ETag has the multipart form \"…-N\" with N the number of parts, and equals headObject()'s",
    source: `${OBJECT_CONTRACT} (ObjectInfo.etag); ${S3_TESTS_MULTIPART}`,
    run: async (ctx) => {
      const { uploadId, parts } = await uploadWithFullFirstPart(ctx.store, ctx.limits.multipartMinPartBytes, [2]);
      const { etag } = await ctx.store.completeMultipartUpload("o", uploadId, parts);
      check(/^"[^"]+-2"$/.test(etag), `ETag ${etag} is not of the form "…-2"`);
      checkEqual((await ctx.store.headObject("o")).etag, etag, "headObject().etag");
    },
  });
  registry.add({
    id: "multipart.complete.metadata",
    area: "multipart.complete",
    rule: "contentType and metadata given to createMultipartUpload() are on the completed object",
    source: S3_TESTS_MULTIPART,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o", { contentType: "video/mp4", metadata: { take: "2" } });
      const p1 = await ctx.store.uploadPart("o", uploadId, 1, "x");
      await ctx.store.completeMultipartUpload("o", uploadId, [p1]);
      const head = await ctx.store.headObject("o");
      checkEqual([head.contentType, head.metadata], ["video/mp4", { take: "2" }], "contentType and metadata");
    },
  });
  registry.add({
    id: "multipart.complete.overwrites-object",
    area: "multipart.complete",
    rule: "completing an upload replaces an existing object of the same key",
    source: S3_TESTS_MULTIPART,
    run: async (ctx) => {
      await ctx.store.putObject("o", "old contents");
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      const p1 = await ctx.store.uploadPart("o", uploadId, 1, "new");
      await ctx.store.completeMultipartUpload("o", uploadId, [p1]);
      checkBytes(await bytesOf((await ctx.store.getObject("o")).body), utf8("new"), "body");
    },
  });
  registry.add({
    id: "multipart.complete.wrong-etag",
    area: "multipart.complete",
    rule: "Complete naming a part with a wrong ETag rejects InvalidPart",
    source: `${KS3_COMPLETE}; ${S3_TESTS_MULTIPART} (test_multipart_upload_incorrect_etag)`,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      await ctx.store.uploadPart("o", uploadId, 1, "x");
      await rejects(ctx.store.completeMultipartUpload("o", uploadId, [{ partNumber: 1, etag: '"ffffffffffffffffffffffffffffffff"' }]), "InvalidPart", "completeMultipartUpload()");
    },
  });
  registry.add({
    id: "multipart.complete.missing-part",
    area: "multipart.complete",
    rule: "Complete naming a part that was never uploaded rejects InvalidPart",
    source: `${KS3_COMPLETE}; ${S3_TESTS_MULTIPART} (test_multipart_upload_missing_part)`,
    run: async (ctx) => {
      const { uploadId, parts } = await uploadWithFullFirstPart(ctx.store, ctx.limits.multipartMinPartBytes, []);
      await rejects(ctx.store.completeMultipartUpload("o", uploadId, [...parts, { partNumber: 2, etag: parts[0]!.etag }]), "InvalidPart", "completeMultipartUpload()");
    },
  });
  registry.add({
    id: "multipart.complete.descending",
    area: "multipart.complete",
    rule: "Complete listing parts in descending order rejects InvalidPartOrder",
    source: KS3_COMPLETE,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      const p1 = await ctx.store.uploadPart("o", uploadId, 1, pattern(ctx.limits.multipartMinPartBytes));
      const p2 = await ctx.store.uploadPart("o", uploadId, 2, "x");
      await rejects(ctx.store.completeMultipartUpload("o", uploadId, [p2, p1]), "InvalidPartOrder", "completeMultipartUpload()");
    },
  });
  registry.add({
    id: "multipart.complete.duplicate-part",
    area: "multipart.complete",
    rule: "Complete listing the same part number twice rejects InvalidPartOrder",
    source: KS3_COMPLETE,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      const p1 = await ctx.store.uploadPart("o", uploadId, 1, "x");
      await rejects(ctx.store.completeMultipartUpload("o", uploadId, [p1, p1]), "InvalidPartOrder", "completeMultipartUpload()");
    },
  });
  registry.add({
    id: "multipart.complete.empty-list",
    area: "multipart.complete",
    rule: "Complete with an empty part list rejects InvalidArgument (S3: MalformedXML)",
    source: `${S3_TESTS_MULTIPART} (test_multipart_upload_empty)`,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      await ctx.store.uploadPart("o", uploadId, 1, "x");
      await rejects(ctx.store.completeMultipartUpload("o", uploadId, []), "InvalidArgument", "completeMultipartUpload()");
    },
  });
  registry.add({
    id: "multipart.complete.gap-rejected",
    area: "multipart.complete",
    rule: "where part numbers must be contiguous, Complete with parts 1 and 3 rejects InvalidPartOrder",
    source: `${KS3_COMPLETE} (KS3: "ascending and contiguous")`,
    requires: [objects.claims("multipartPartNumbersContiguous")],
    run: async (ctx) => {
      const { uploadId, parts } = await uploadWithFullFirstPart(ctx.store, ctx.limits.multipartMinPartBytes, [3]);
      await rejects(ctx.store.completeMultipartUpload("o", uploadId, parts), "InvalidPartOrder", "completeMultipartUpload()");
    },
  });
  registry.add({
    id: "multipart.complete.not-from-first-rejected",
    area: "multipart.complete",
    rule: "where part numbers must be contiguous, Complete with only part 2 rejects InvalidPartOrder",
    source: `${KS3_COMPLETE} (KS3: "ascending and contiguous")`,
    requires: [objects.claims("multipartPartNumbersContiguous")],
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      const p2 = await ctx.store.uploadPart("o", uploadId, 2, "x");
      await rejects(ctx.store.completeMultipartUpload("o", uploadId, [p2]), "InvalidPartOrder", "completeMultipartUpload()");
    },
  });
  registry.add({
    id: "multipart.complete.gap-allowed",
    area: "multipart.complete",
    rule: "where part numbers need only ascend, Complete with parts 1 and 3 assembles them",
    source: `${S3_TESTS_MULTIPART}; docs/providers/ks3.md §7 (S3 allows gaps)`,
    requires: [objects.lacks("multipartPartNumbersContiguous")],
    run: async (ctx) => {
      const { uploadId, parts, bytes } = await uploadWithFullFirstPart(ctx.store, ctx.limits.multipartMinPartBytes, [3]);
      await ctx.store.completeMultipartUpload("o", uploadId, parts);
      checkEqual((await ctx.store.headObject("o")).size, bytes[0]!.byteLength + bytes[1]!.byteLength, "size");
    },
  });
  registry.add({
    id: "multipart.complete.upload-gone-afterwards",
    area: "multipart.complete",
    rule: "after Complete, uploadPart() on the upload rejects UploadNotFound and listMultipartUploads() no longer lists it",
    source: `${KS3_COMPLETE} ("the UploadId becomes invalid"); ${OBJECT_CONTRACT}`,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      const p1 = await ctx.store.uploadPart("o", uploadId, 1, "x");
      await ctx.store.completeMultipartUpload("o", uploadId, [p1]);
      await rejects(ctx.store.uploadPart("o", uploadId, 2, "y"), "UploadNotFound", "uploadPart() after Complete");
      checkEqual((await ctx.store.listMultipartUploads()).uploads, [], "uploads listed");
    },
  });
}
