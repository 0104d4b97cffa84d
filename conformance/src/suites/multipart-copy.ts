/**
 * uploadPartCopy, as KS3's UploadPartCopy page specifies it (docs/providers/ks3.md §4.3): whole
 * source or `bytes=first-last` (0-based, inclusive, inside the source), malformed forms,
 * missing sources, the four copy-source conditions and their combinations, other buckets.
 */
import type { MultipartObjectStore } from "@stowage/core";
import type { ObjectCaseContext, ObjectRegistry } from "../case-context.js";
import { check, checkBytes, checkEqual, rejects } from "../assertions.js";
import { bytesOf, pattern } from "../case-data.js";
import { CONDITION_SCENARIOS, describeOutcome } from "../condition-scenarios.js";
import { objects } from "../requirements.js";
import { OBJECT_CONTRACT, S3_TESTS_MULTIPART, SEED_UPLOAD_PART_COPY } from "../sources.js";

/** Source size; the seed's example `bytes=0-9` copies its first 10 bytes. */
const SIZE = 20;
const SOURCE = pattern(SIZE, 8);

async function withSource(store: MultipartObjectStore): Promise<string> {
  await store.putObject("src", SOURCE);
  return (await store.createMultipartUpload("dest")).uploadId;
}

/** Completes `dest` with its single part 1 and returns the object's bytes. */
async function completeSingle(ctx: ObjectCaseContext, uploadId: string, etag: string): Promise<Uint8Array> {
  await ctx.store.completeMultipartUpload("dest", uploadId, [{ partNumber: 1, etag }]);
  return bytesOf((await ctx.store.getObject("dest")).body);
}

const copies = objects.claims("uploadPartCopy");

/** Registers the uploadPartCopy cases. */
export function register(registry: ObjectRegistry): void {
  const ranges: ReadonlyArray<{ slug: string; words: string; first: number; last: number; source?: string }> = [
    { slug: "first-last-inclusive", words: "bytes=2-5 copies the four bytes 2..5 (both ends inclusive)", first: 2, last: 5 },
    { slug: "seed-example-first-ten", words: "bytes=0-9 copies the first 10 bytes (the seed's example)", first: 0, last: 9 },
    { slug: "range-to-last-byte", words: "a range ending at the source's last byte copies to the end", first: 3, last: SIZE - 1 },
    { slug: "single-byte", words: "bytes=0-0 copies one byte", first: 0, last: 0, source: `${S3_TESTS_MULTIPART} (test_multipart_copy_small)` },
  ];
  registry.add({
    id: "multipart.copy.whole-source",
    area: "multipart.copy",
    rule: "uploadPartCopy() without a range copies the whole source into the part",
    source: `${SEED_UPLOAD_PART_COPY} ("not required when copying the entire object"); ${S3_TESTS_MULTIPART} (test_multipart_copy_without_range)`,
    requires: [copies],
    run: async (ctx) => {
      const uploadId = await withSource(ctx.store);
      const part = await ctx.store.uploadPartCopy("dest", uploadId, 1, { source: { key: "src" } });
      checkBytes(await completeSingle(ctx, uploadId, part.etag), SOURCE, "destination body");
    },
  });
  for (const r of ranges) {
    registry.add({
      id: `multipart.copy.${r.slug}`,
      area: "multipart.copy",
      rule: `uploadPartCopy() with ${r.words}`,
      source: r.source ?? `${SEED_UPLOAD_PART_COPY} ("must use bytes=first-last … based on 0")`,
      requires: [copies],
      run: async (ctx) => {
        const uploadId = await withSource(ctx.store);
        const part = await ctx.store.uploadPartCopy("dest", uploadId, 1, { source: { key: "src" }, range: { first: r.first, last: r.last } });
        checkBytes(await completeSingle(ctx, uploadId, part.etag), SOURCE.subarray(r.first, r.last + 1), "destination body");
      },
    });
  }
  registry.add({
    id: "multipart.copy.result-form",
    area: "multipart.copy",
    rule: "uploadPartCopy() resolves the part number, a quoted ETag and lastModified, and listParts() lists the part with the copied size",
    source: `${SEED_UPLOAD_PART_COPY} (CopyPartResult: ETag, LastModified)`,
    requires: [copies],
    run: async (ctx) => {
      const uploadId = await withSource(ctx.store);
      const part = await ctx.store.uploadPartCopy("dest", uploadId, 1, { source: { key: "src" }, range: { first: 0, last: 4 } });
      checkEqual(part.partNumber, 1, "partNumber");
      check(/^"[^"]+"$/.test(part.etag), `ETag ${part.etag} is not a quoted entity tag`);
      check(part.lastModified instanceof Date && !Number.isNaN(part.lastModified.getTime()), "lastModified is not a valid Date");
      const [listed] = (await ctx.store.listParts("dest", uploadId)).parts;
      checkEqual([listed?.partNumber, listed?.etag, listed?.size], [1, part.etag, 5], "listed part (number, ETag, size)");
    },
  });
  const invalid: ReadonlyArray<{ slug: string; words: string; range: unknown; code: "InvalidRange" | "InvalidArgument"; source: string }> = [
    { slug: "range-past-end", words: `a range whose last byte is past the source end (bytes=5-${SIZE}) rejects InvalidRange`, range: { first: 5, last: SIZE }, code: "InvalidRange", source: `${S3_TESTS_MULTIPART} (test_multipart_copy_invalid_range)` },
    { slug: "range-start-past-end", words: `a range starting past the source end (bytes=${SIZE}-${SIZE + 3}) rejects InvalidRange`, range: { first: SIZE, last: SIZE + 3 }, code: "InvalidRange", source: S3_TESTS_MULTIPART },
    { slug: "malformed-open-ended", words: "an open-ended range (bytes=5-) rejects InvalidArgument", range: { first: 5 }, code: "InvalidArgument", source: `${SEED_UPLOAD_PART_COPY} ("must use bytes=first-last")` },
    { slug: "malformed-suffix", words: "a suffix range (bytes=-5) rejects InvalidArgument", range: { suffix: 5 }, code: "InvalidArgument", source: `${SEED_UPLOAD_PART_COPY} ("must use bytes=first-last")` },
    { slug: "malformed-reversed", words: "a reversed range (bytes=9-3) rejects InvalidArgument", range: { first: 9, last: 3 }, code: "InvalidArgument", source: `${SEED_UPLOAD_PART_COPY}; ${S3_TESTS_MULTIPART} (test_multipart_copy_improper_range)` },
  ];
  for (const r of invalid) {
    registry.add({
      id: `multipart.copy.${r.slug}`,
      area: "multipart.copy",
      rule: `uploadPartCopy() with ${r.words} and adds no part`,
      source: r.source,
      requires: [copies],
      run: async (ctx) => {
        const uploadId = await withSource(ctx.store);
        const range = r.range as { first: number; last: number };
        await rejects(ctx.store.uploadPartCopy("dest", uploadId, 1, { source: { key: "src" }, range }), r.code, "uploadPartCopy()");
        checkEqual((await ctx.store.listParts("dest", uploadId)).parts, [], "listed parts");
      },
    });
  }
  registry.add({
    id: "multipart.copy.missing-source",
    area: "multipart.copy",
    rule: "uploadPartCopy() from a missing source rejects NotFound",
    source: OBJECT_CONTRACT,
    requires: [copies],
    run: async (ctx) => {
      const uploadId = await withSource(ctx.store);
      await rejects(ctx.store.uploadPartCopy("dest", uploadId, 1, { source: { key: "missing" } }), "NotFound", "uploadPartCopy()");
    },
  });
  registry.add({
    id: "multipart.copy.part-number-below-min",
    area: "multipart.copy",
    rule: "uploadPartCopy() with part number 0 rejects InvalidPartNumber",
    source: `${SEED_UPLOAD_PART_COPY} ("any one of 1 to 10000 inclusive")`,
    requires: [copies],
    run: async (ctx) => {
      const uploadId = await withSource(ctx.store);
      await rejects(ctx.store.uploadPartCopy("dest", uploadId, ctx.limits.multipartMinPartNumber - 1, { source: { key: "src" } }), "InvalidPartNumber", "uploadPartCopy()");
    },
  });
  registry.add({
    id: "multipart.copy.part-number-max-plus-one",
    area: "multipart.copy",
    rule: "uploadPartCopy() with part number multipartMaxPartNumber + 1 (10001) rejects InvalidPartNumber",
    source: `${SEED_UPLOAD_PART_COPY} ("any one of 1 to 10000 inclusive")`,
    requires: [copies],
    run: async (ctx) => {
      const uploadId = await withSource(ctx.store);
      await rejects(ctx.store.uploadPartCopy("dest", uploadId, ctx.limits.multipartMaxPartNumber + 1, { source: { key: "src" } }), "InvalidPartNumber", "uploadPartCopy()");
    },
  });
  registry.add({
    id: "multipart.copy.overwrites-uploaded-part",
    area: "multipart.copy",
    rule: "uploadPartCopy() onto a part number already uploaded replaces that part",
    source: `${SEED_UPLOAD_PART_COPY} ("the previous block will be overwritten")`,
    requires: [copies],
    run: async (ctx) => {
      const uploadId = await withSource(ctx.store);
      await ctx.store.uploadPart("dest", uploadId, 1, "uploaded");
      const part = await ctx.store.uploadPartCopy("dest", uploadId, 1, { source: { key: "src" }, range: { first: 0, last: 3 } });
      checkBytes(await completeSingle(ctx, uploadId, part.etag), SOURCE.subarray(0, 4), "destination body");
    },
  });
  registry.add({
    id: "multipart.copy.mixed-with-uploaded-parts",
    area: "multipart.copy",
    rule: "an object completed from an uploaded part of multipartMinPartBytes and a copied range holds both, in order",
    source: `${SEED_UPLOAD_PART_COPY}; ${S3_TESTS_MULTIPART} (test_multipart_copy_multiple_sizes)`,
    requires: [copies],
    run: async (ctx) => {
      const uploadId = await withSource(ctx.store);
      const first = pattern(ctx.limits.multipartMinPartBytes, 2);
      const p1 = await ctx.store.uploadPart("dest", uploadId, 1, first);
      const p2 = await ctx.store.uploadPartCopy("dest", uploadId, 2, { source: { key: "src" }, range: { first: 10, last: 19 } });
      await ctx.store.completeMultipartUpload("dest", uploadId, [p1, { partNumber: 2, etag: p2.etag }]);
      const body = await bytesOf((await ctx.store.getObject("dest")).body);
      checkBytes(body.subarray(0, first.byteLength), first, "uploaded part's bytes");
      checkBytes(body.subarray(first.byteLength), SOURCE.subarray(10, 20), "copied part's bytes");
    },
  });
  registry.add({
    id: "multipart.copy.source-special-names",
    area: "multipart.copy",
    rule: "uploadPartCopy() copies from sources named ' ', '_', '__', '?versionId' and 'a%25b' (the copy source is encoded, not interpreted)",
    source: `${S3_TESTS_MULTIPART} (test_multipart_copy_special_names, test_upload_part_copy_percent_encoded_key)`,
    requires: [copies],
    run: async (ctx) => {
      const names = [" ", "_", "__", "?versionId", "a%25b"].filter((k) => ![...ctx.limits.keyForbiddenCharacters].some((c) => k.includes(c)));
      for (const [i, name] of names.entries()) {
        await ctx.store.putObject(name, pattern(5, i));
        const { uploadId } = await ctx.store.createMultipartUpload(`dest-${i}`);
        const part = await ctx.store.uploadPartCopy(`dest-${i}`, uploadId, 1, { source: { key: name } });
        await ctx.store.completeMultipartUpload(`dest-${i}`, uploadId, [{ partNumber: 1, etag: part.etag }]);
        checkBytes(await bytesOf((await ctx.store.getObject(`dest-${i}`)).body), pattern(5, i), `copy of ${JSON.stringify(name)}`);
      }
    },
  });
  registry.add({
    id: "multipart.copy.across-buckets",
    area: "multipart.copy",
    rule: "uploadPartCopy() with a source in another bucket copies its bytes",
    source: `${SEED_UPLOAD_PART_COPY} (x-kss-copy-source: /source_bucket/sourceObject)`,
    requires: [copies, objects.claims("copyAcrossBuckets"), objects.provides("createOtherBucket")],
    run: async (ctx) => {
      const other = await ctx.subject.createOtherBucket!(ctx.store);
      ctx.adopt(other.store);
      await other.store.putObject("elsewhere", pattern(30, 6));
      const { uploadId } = await ctx.store.createMultipartUpload("dest");
      const part = await ctx.store.uploadPartCopy("dest", uploadId, 1, { source: { bucket: other.bucket, key: "elsewhere" }, range: { first: 0, last: 14 } });
      checkBytes(await completeSingle(ctx, uploadId, part.etag), pattern(30, 6).subarray(0, 15), "destination body");
    },
  });
  registry.add({
    id: "multipart.copy.across-buckets-unsupported",
    area: "multipart.copy",
    rule: "uploadPartCopy() naming another bucket on a store that does not claim copyAcrossBuckets rejects Unsupported",
    source: OBJECT_CONTRACT,
    requires: [copies, objects.lacks("copyAcrossBuckets")],
    run: async (ctx) => {
      const uploadId = await withSource(ctx.store);
      await rejects(ctx.store.uploadPartCopy("dest", uploadId, 1, { source: { bucket: "another-bucket", key: "src" } }), "Unsupported", "uploadPartCopy()");
    },
  });
  registry.add({
    id: "multipart.copy.unsupported",
    area: "multipart.copy",
    rule: "uploadPartCopy() on a store that does not claim uploadPartCopy rejects Unsupported",
    source: OBJECT_CONTRACT,
    requires: [objects.lacks("uploadPartCopy")],
    run: async (ctx) => {
      const uploadId = await withSource(ctx.store);
      await rejects(ctx.store.uploadPartCopy("dest", uploadId, 1, { source: { key: "src" } }), "Unsupported", "uploadPartCopy()");
    },
  });
  registry.add({
    id: "multipart.copy.conditions-unsupported",
    area: "multipart.copy",
    rule: "uploadPartCopy() with a copy-source condition on a store that does not claim copyWithConditions rejects Unsupported",
    source: OBJECT_CONTRACT,
    requires: [copies, objects.lacks("copyWithConditions")],
    run: async (ctx) => {
      const uploadId = await withSource(ctx.store);
      await rejects(ctx.store.uploadPartCopy("dest", uploadId, 1, { source: { key: "src" }, ifNoneMatch: "*" }), "Unsupported", "uploadPartCopy()");
    },
  });
  for (const scenario of CONDITION_SCENARIOS) {
    registry.add({
      id: `multipart.copy.${scenario.slug}`,
      area: "multipart.copy",
      rule: `uploadPartCopy() with copy-source ${scenario.given} ${describeOutcome(scenario.expected, "copies the part")}`,
      source: `${SEED_UPLOAD_PART_COPY} (x-kss-copy-source-if-*: 412 / 304); ${scenario.source}`,
      requires: [copies, objects.claims("copyWithConditions")],
      run: async (ctx) => {
        const uploadId = await withSource(ctx.store);
        const target = await ctx.store.headObject("src");
        const call = ctx.store.uploadPartCopy("dest", uploadId, 1, { source: { key: "src" }, ...scenario.conditions(target) });
        if (scenario.expected === "proceed") {
          const part = await call;
          checkBytes(await completeSingle(ctx, uploadId, part.etag), SOURCE, "destination body");
        } else {
          await rejects(call, scenario.expected, "uploadPartCopy()");
          checkEqual((await ctx.store.listParts("dest", uploadId)).parts, [], "listed parts");
        }
      },
    });
  }
}
