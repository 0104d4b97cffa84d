/** Server-side copy: bytes and metadata, missing sources, other buckets, size limit, copy-source conditions. */
import type { ObjectRegistry } from "../case-context.js";
import { checkBytes, checkEqual, rejects } from "../assertions.js";
import { bytesOf, pattern } from "../case-data.js";
import { CONDITION_SCENARIOS, describeOutcome } from "../condition-scenarios.js";
import { objects } from "../requirements.js";
import { KS3_COPY, OBJECT_CONTRACT, SEED_UPLOAD_PART_COPY } from "../sources.js";

/** Sources this large are allocated by the suite; a manifest beyond it is not probed at its limit. */
const PROBE_CEILING = 64 * 1024 * 1024;

/** Registers the copyObject cases. */
export function register(registry: ObjectRegistry): void {
  registry.add({
    id: "objects.copy.same-bucket",
    area: "objects.copy",
    rule: "copyObject() copies the source's bytes, contentType and metadata, resolves the new object's ETag, and leaves the source",
    source: KS3_COPY,
    run: async (ctx) => {
      const body = pattern(300);
      await ctx.store.putObject("src", body, { contentType: "application/x-test", metadata: { color: "red" } });
      const result = await ctx.store.copyObject("dest", { source: { key: "src" } });
      const dest = await ctx.store.getObject("dest");
      checkBytes(await bytesOf(dest.body), body, "destination body");
      checkEqual(dest.info.contentType, "application/x-test", "destination contentType");
      checkEqual(dest.info.metadata, { color: "red" }, "destination metadata");
      checkEqual(dest.info.etag, result.etag, "destination ETag vs copyObject() result");
      checkBytes(await bytesOf((await ctx.store.getObject("src")).body), body, "source body after the copy");
    },
  });
  registry.add({
    id: "objects.copy.replace-metadata",
    area: "objects.copy",
    rule: "copyObject() with metadata replaces the source's metadata on the copy",
    source: KS3_COPY,
    run: async (ctx) => {
      await ctx.store.putObject("src", "abc", { metadata: { color: "red" } });
      await ctx.store.copyObject("dest", { source: { key: "src" }, metadata: { shape: "round" } });
      checkEqual((await ctx.store.headObject("dest")).metadata, { shape: "round" }, "destination metadata");
    },
  });
  registry.add({
    id: "objects.copy.missing-source",
    area: "objects.copy",
    rule: "copyObject() from a missing source rejects NotFound and creates nothing",
    source: `${KS3_COPY}; ${OBJECT_CONTRACT}`,
    run: async (ctx) => {
      await rejects(ctx.store.copyObject("dest", { source: { key: "missing" } }), "NotFound", "copyObject()");
      await rejects(ctx.store.headObject("dest"), "NotFound", "headObject() of the destination");
    },
  });
  registry.add({
    id: "objects.copy.overwrites-destination",
    area: "objects.copy",
    rule: "copyObject() onto an existing destination replaces it",
    source: KS3_COPY,
    run: async (ctx) => {
      await ctx.store.putObject("src", "new bytes");
      await ctx.store.putObject("dest", "old");
      await ctx.store.copyObject("dest", { source: { key: "src" } });
      checkBytes(await bytesOf((await ctx.store.getObject("dest")).body), new TextEncoder().encode("new bytes"), "destination body");
    },
  });
  registry.add({
    id: "objects.copy.across-buckets",
    area: "objects.copy",
    rule: "copyObject() with a source in another bucket copies its bytes",
    source: KS3_COPY,
    requires: [objects.claims("copyAcrossBuckets"), objects.provides("createOtherBucket")],
    run: async (ctx) => {
      const other = await ctx.subject.createOtherBucket!(ctx.store);
      ctx.adopt(other.store);
      await other.store.putObject("elsewhere", pattern(50, 4));
      await ctx.store.copyObject("dest", { source: { bucket: other.bucket, key: "elsewhere" } });
      checkBytes(await bytesOf((await ctx.store.getObject("dest")).body), pattern(50, 4), "destination body");
    },
  });
  registry.add({
    id: "objects.copy.across-buckets-unsupported",
    area: "objects.copy",
    rule: "copyObject() naming another bucket on a store that does not claim copyAcrossBuckets rejects Unsupported",
    source: OBJECT_CONTRACT,
    requires: [objects.lacks("copyAcrossBuckets")],
    run: async (ctx) => {
      await rejects(ctx.store.copyObject("dest", { source: { bucket: "another-bucket", key: "k" } }), "Unsupported", "copyObject()");
    },
  });
  registry.add({
    id: "objects.copy.source-bucket-invalid",
    area: "objects.copy",
    rule: "copyObject() naming a source bucket that is not a valid bucket name (e.g. 'other/secret') rejects InvalidArgument and writes nothing",
    source: `${KS3_COPY} (bucket naming); ${OBJECT_CONTRACT}`,
    run: async (ctx) => {
      for (const bucket of ["other/secret", "Upper-Case", "ab", "a..b", ""]) {
        await rejects(ctx.store.copyObject("dest", { source: { bucket, key: "k" } }), "InvalidArgument", `copyObject() from bucket ${JSON.stringify(bucket)}`);
      }
      await rejects(ctx.store.headObject("dest"), "NotFound", "headObject() of the destination");
    },
  });
  registry.add({
    id: "objects.copy.source-too-large",
    area: "objects.copy",
    rule: "copyObject() from a source larger than copyObjectMaxSourceBytes rejects EntityTooLarge",
    source: KS3_COPY,
    requires: [objects.manifest(`copyObjectMaxSourceBytes < ${PROBE_CEILING}`, (l) => l.copyObjectMaxSourceBytes < PROBE_CEILING)],
    run: async (ctx) => {
      await ctx.store.putObject("src", new Uint8Array(ctx.limits.copyObjectMaxSourceBytes + 1));
      await rejects(ctx.store.copyObject("dest", { source: { key: "src" } }), "EntityTooLarge", "copyObject()");
    },
  });
  registry.add({
    id: "objects.copy.conditions-unsupported",
    area: "objects.copy",
    rule: "copyObject() with a copy-source condition on a store that does not claim copyWithConditions rejects Unsupported",
    source: OBJECT_CONTRACT,
    requires: [objects.lacks("copyWithConditions")],
    run: async (ctx) => {
      const { etag } = await ctx.store.putObject("src", "abc");
      await rejects(ctx.store.copyObject("dest", { source: { key: "src" }, ifMatch: etag }), "Unsupported", "copyObject()");
    },
  });
  for (const scenario of CONDITION_SCENARIOS) {
    registry.add({
      id: `objects.copy.${scenario.slug}`,
      area: "objects.copy",
      rule: `copyObject() with copy-source ${scenario.given} ${describeOutcome(scenario.expected, "copies the object")}`,
      source: `${SEED_UPLOAD_PART_COPY} (copy-source conditions); ${scenario.source}`,
      requires: [objects.claims("copyWithConditions")],
      run: async (ctx) => {
        const body = pattern(40);
        await ctx.store.putObject("src", body);
        const target = await ctx.store.headObject("src");
        const call = ctx.store.copyObject("dest", { source: { key: "src" }, ...scenario.conditions(target) });
        if (scenario.expected === "proceed") {
          await call;
          checkBytes(await bytesOf((await ctx.store.getObject("dest")).body), body, "destination body");
        } else {
          await rejects(call, scenario.expected, "copyObject()");
          await rejects(ctx.store.headObject("dest"), "NotFound", "headObject() of the destination");
        }
      },
    });
  }
}
