/** Concurrent calls on one bucket and one upload. */
import type { ObjectRegistry } from "../case-context.js";
import { check, checkBytes } from "../assertions.js";
import { bytesOf, pattern } from "../case-data.js";
import { DESIGN_CONCURRENCY, SEED_UPLOAD_PART_COPY } from "../sources.js";

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/** Registers the object concurrency cases. */
export function register(registry: ObjectRegistry): void {
  registry.add({
    id: "concurrency.objects.distinct-keys",
    area: "concurrency",
    rule: "16 parallel putObject() calls to distinct keys all land, each with its own bytes",
    source: DESIGN_CONCURRENCY,
    run: async (ctx) => {
      const keys = Array.from({ length: 16 }, (_, i) => `p-${i}`);
      await Promise.all(keys.map((k, i) => ctx.store.putObject(k, pattern(200, i))));
      for (const [i, k] of keys.entries()) checkBytes(await bytesOf((await ctx.store.getObject(k)).body), pattern(200, i), `body of ${k}`);
    },
  });
  registry.add({
    id: "concurrency.objects.last-writer-wins",
    area: "concurrency",
    rule: "after 8 parallel putObject() calls to one key the object is exactly one of the written bodies, with that body's ETag",
    source: DESIGN_CONCURRENCY,
    run: async (ctx) => {
      const bodies = Array.from({ length: 8 }, (_, i) => pattern(4096, i));
      const results = await Promise.all(bodies.map((b) => ctx.store.putObject("hot", b)));
      const got = await ctx.store.getObject("hot");
      const body = await bytesOf(got.body);
      const index = bodies.findIndex((b) => same(b, body));
      check(index >= 0, "the object is none of the written bodies (a torn write)");
      check(got.info.etag === results[index]!.etag, `the ETag ${got.info.etag} is not the one returned for the body that won`);
    },
  });
  registry.add({
    id: "concurrency.multipart.parallel-parts",
    area: "concurrency",
    rule: "parts uploaded in parallel to one upload all land and complete in part-number order",
    source: `${DESIGN_CONCURRENCY}; ${SEED_UPLOAD_PART_COPY}`,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      const bodies = [pattern(ctx.limits.multipartMinPartBytes, 1), pattern(ctx.limits.multipartMinPartBytes, 2), pattern(100, 3)];
      const parts = await Promise.all(bodies.map((b, i) => ctx.store.uploadPart("o", uploadId, i + 1, b)));
      await ctx.store.completeMultipartUpload("o", uploadId, parts);
      const body = await bytesOf((await ctx.store.getObject("o")).body);
      let offset = 0;
      for (const [i, b] of bodies.entries()) {
        checkBytes(body.subarray(offset, offset + b.byteLength), b, `part ${i + 1}'s bytes`);
        offset += b.byteLength;
      }
      check(offset === body.byteLength, `object has ${body.byteLength} bytes, expected ${offset}`);
    },
  });
}
