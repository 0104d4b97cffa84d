/** Upload lifecycle: unknown and aborted uploads, independent uploads of one key. */
import type { MultipartObjectStore } from "@stowage/core";
import type { ObjectRegistry, ObjectRequirement } from "../case-context.js";
import { checkBytes, checkEqual, rejects } from "../assertions.js";
import { bytesOf, utf8 } from "../case-data.js";
import { objects } from "../requirements.js";
import { KS3_ABORT, KS3_COMPLETE, OBJECT_CONTRACT, S3_TESTS_MULTIPART, SEED_UPLOAD_PART_COPY } from "../sources.js";

interface UploadOperation {
  name: string;
  requires: readonly ObjectRequirement[];
  call(store: MultipartObjectStore, key: string, uploadId: string): Promise<unknown>;
}

const ON_UPLOAD: readonly UploadOperation[] = [
  { name: "uploadPart", requires: [], call: (s, k, id) => s.uploadPart(k, id, 1, "x") },
  { name: "uploadPartCopy", requires: [objects.claims("uploadPartCopy")], call: (s, k, id) => s.uploadPartCopy(k, id, 1, { source: { key: "src" } }) },
  { name: "completeMultipartUpload", requires: [], call: (s, k, id) => s.completeMultipartUpload(k, id, [{ partNumber: 1, etag: '"00"' }]) },
  { name: "listParts", requires: [], call: (s, k, id) => s.listParts(k, id) },
];

/** An upload id no store issued. */
const BOGUS_UPLOAD_ID = "conformance-no-such-upload-0001";

/** Registers the upload lifecycle cases. */
export function register(registry: ObjectRegistry): void {
  for (const op of [...ON_UPLOAD, { name: "abortMultipartUpload", requires: [], call: (s: MultipartObjectStore, k: string, id: string) => s.abortMultipartUpload(k, id) }]) {
    registry.add({
      id: `multipart.${op.name}.unknown-upload`,
      area: "multipart.upload",
      rule: `${op.name}() with an upload id the store never issued rejects UploadNotFound`,
      source: `${SEED_UPLOAD_PART_COPY} (NoSuchUpload 404); ${KS3_ABORT}`,
      requires: op.requires,
      run: async (ctx) => {
        await ctx.store.putObject("src", "source");
        await rejects(op.call(ctx.store, "o", BOGUS_UPLOAD_ID), "UploadNotFound", `${op.name}()`);
      },
    });
  }
  for (const op of ON_UPLOAD) {
    registry.add({
      id: `multipart.abort.then-${op.name}`,
      area: "multipart.upload",
      rule: `${op.name}() on an aborted upload rejects UploadNotFound`,
      source: `${SEED_UPLOAD_PART_COPY} ("the block upload task has been completed or abandoned"); ${OBJECT_CONTRACT}`,
      requires: op.requires,
      run: async (ctx) => {
        await ctx.store.putObject("src", "source");
        const { uploadId } = await ctx.store.createMultipartUpload("o");
        await ctx.store.uploadPart("o", uploadId, 1, "x");
        await ctx.store.abortMultipartUpload("o", uploadId);
        await rejects(op.call(ctx.store, "o", uploadId), "UploadNotFound", `${op.name}() after abort`);
      },
    });
  }
  registry.add({
    id: "multipart.abort.leaves-nothing",
    area: "multipart.upload",
    rule: "after abortMultipartUpload() no object exists and listMultipartUploads() does not list the upload",
    source: `${KS3_ABORT}; ${S3_TESTS_MULTIPART} (test_abort_multipart_upload)`,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      await ctx.store.uploadPart("o", uploadId, 1, "x");
      await ctx.store.abortMultipartUpload("o", uploadId);
      await rejects(ctx.store.headObject("o"), "NotFound", "headObject()");
      checkEqual((await ctx.store.listObjects()).objects, [], "objects listed");
      checkEqual((await ctx.store.listMultipartUploads()).uploads, [], "uploads listed");
    },
  });
  registry.add({
    id: "multipart.upload.other-key",
    area: "multipart.upload",
    rule: "uploadPart() naming an existing upload id with a different key rejects UploadNotFound",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      await rejects(ctx.store.uploadPart("not-o", uploadId, 1, "x"), "UploadNotFound", "uploadPart()");
    },
  });
  registry.add({
    id: "multipart.upload.independent-uploads-of-one-key",
    area: "multipart.upload",
    rule: "two uploads of one key get distinct ids; completing one leaves the other open and usable",
    source: `${KS3_COMPLETE} ("several UploadIds per key are independent")`,
    run: async (ctx) => {
      const a = await ctx.store.createMultipartUpload("o");
      const b = await ctx.store.createMultipartUpload("o");
      checkEqual(a.uploadId === b.uploadId, false, "the two upload ids are equal");
      const pa = await ctx.store.uploadPart("o", a.uploadId, 1, "from a");
      const pb = await ctx.store.uploadPart("o", b.uploadId, 1, "from b");
      await ctx.store.completeMultipartUpload("o", a.uploadId, [pa]);
      checkEqual((await ctx.store.listMultipartUploads()).uploads.map((u) => u.uploadId), [b.uploadId], "uploads still listed");
      await ctx.store.completeMultipartUpload("o", b.uploadId, [pb]);
      checkBytes(await bytesOf((await ctx.store.getObject("o")).body), utf8("from b"), "body after the second Complete");
    },
  });
}
