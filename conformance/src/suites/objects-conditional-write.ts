/**
 * Conditional writes: `putObject` with `ifNoneMatch: "*"` (create only if absent) or
 * `ifMatch: etag` (replace only that version), `PreconditionFailed` when they fail, gated by
 * `putObjectWithConditions`; stores without it raise `Unsupported`.
 */
import type { ObjectRegistry } from "../case-context.js";
import { check, checkBytes, checkEqual, rejects } from "../assertions.js";
import { bytesOf, pattern } from "../case-data.js";
import { objects } from "../requirements.js";

const SOURCE = "S3 User Guide, \"Add preconditions to S3 operations with conditional requests\" (conditional writes, 2024)";

/** Registers the conditional write cases. */
export function register(registry: ObjectRegistry): void {
  const conditional = objects.claims("putObjectWithConditions");
  registry.add({
    id: "objects.conditional-write.if-none-match-creates",
    area: "objects.conditional",
    rule: 'putObject() with ifNoneMatch "*" on an absent key creates the object',
    source: SOURCE,
    requires: [conditional],
    run: async (ctx) => {
      const body = pattern(32, 1);
      const put = await ctx.store.putObject("o", body, { ifNoneMatch: "*" });
      const got = await ctx.store.getObject("o");
      checkEqual(got.info.etag, put.etag, "etag");
      checkBytes(await bytesOf(got.body), body, "body");
    },
  });
  registry.add({
    id: "objects.conditional-write.if-none-match-existing-fails",
    area: "objects.conditional",
    rule: 'putObject() with ifNoneMatch "*" on an existing key rejects PreconditionFailed and leaves the object',
    source: SOURCE,
    requires: [conditional],
    run: async (ctx) => {
      const first = pattern(32, 1);
      await ctx.store.putObject("o", first);
      const err = await rejects(ctx.store.putObject("o", pattern(32, 2), { ifNoneMatch: "*" }), "PreconditionFailed", "putObject()");
      checkEqual(err.httpStatus === undefined || err.httpStatus === 412, true, "httpStatus is 412 (or absent on an embedded store)");
      checkBytes(await bytesOf((await ctx.store.getObject("o")).body), first, "body");
    },
  });
  registry.add({
    id: "objects.conditional-write.if-match-current-replaces",
    area: "objects.conditional",
    rule: "putObject() with ifMatch naming the current ETag replaces the object",
    source: SOURCE,
    requires: [conditional],
    run: async (ctx) => {
      const { etag } = await ctx.store.putObject("o", pattern(32, 1));
      const second = pattern(40, 2);
      await ctx.store.putObject("o", second, { ifMatch: etag });
      checkBytes(await bytesOf((await ctx.store.getObject("o")).body), second, "body");
    },
  });
  registry.add({
    id: "objects.conditional-write.if-match-stale-fails",
    area: "objects.conditional",
    rule: "putObject() with ifMatch naming an older ETag rejects PreconditionFailed and leaves the newer object",
    source: SOURCE,
    requires: [conditional],
    run: async (ctx) => {
      const { etag: old } = await ctx.store.putObject("o", pattern(32, 1));
      const newer = pattern(40, 2);
      await ctx.store.putObject("o", newer);
      await rejects(ctx.store.putObject("o", pattern(48, 3), { ifMatch: old }), "PreconditionFailed", "putObject()");
      checkBytes(await bytesOf((await ctx.store.getObject("o")).body), newer, "body");
    },
  });
  registry.add({
    id: "objects.conditional-write.if-match-absent-fails",
    area: "objects.conditional",
    rule: "putObject() with ifMatch on an absent key rejects a failure (PreconditionFailed, or NotFound as S3 answers) and creates nothing",
    source: SOURCE,
    requires: [conditional],
    run: async (ctx) => {
      await rejects(ctx.store.putObject("o", pattern(8), { ifMatch: '"0123456789abcdef0123456789abcdef"' }), ["PreconditionFailed", "NotFound"], "putObject()");
      await rejects(ctx.store.headObject("o"), "NotFound", "headObject()");
    },
  });
  registry.add({
    id: "objects.conditional-write.concurrent-creators-one-wins",
    area: "objects.conditional",
    rule: 'two concurrent putObject() calls with ifNoneMatch "*" on one absent key: exactly one resolves, the other rejects PreconditionFailed, and the object is the winner\'s',
    source: SOURCE,
    requires: [conditional],
    run: async (ctx) => {
      const bodies = [pattern(64, 1), pattern(64, 2)];
      const outcomes = await Promise.allSettled(bodies.map((b) => ctx.store.putObject("o", b, { ifNoneMatch: "*" })));
      const winners = outcomes.flatMap((o, i) => (o.status === "fulfilled" ? [i] : []));
      checkEqual(winners.length, 1, "number of creators that won");
      const loser = outcomes[1 - winners[0]!]!;
      check(loser.status === "rejected" && (loser.reason as { code?: unknown }).code === "PreconditionFailed", "the other creator rejects PreconditionFailed");
      checkBytes(await bytesOf((await ctx.store.getObject("o")).body), bodies[winners[0]!]!, "body");
    },
  });
  registry.add({
    id: "objects.conditional-write.unsupported",
    area: "objects.conditional",
    rule: "putObject() with ifNoneMatch or ifMatch on a store without putObjectWithConditions rejects Unsupported and writes nothing",
    source: "contract: capabilities a manifest lacks raise Unsupported",
    requires: [objects.lacks("putObjectWithConditions")],
    run: async (ctx) => {
      await rejects(ctx.store.putObject("o", pattern(8), { ifNoneMatch: "*" }), "Unsupported", "putObject() with ifNoneMatch");
      await rejects(ctx.store.putObject("o", pattern(8), { ifMatch: '"0123456789abcdef0123456789abcdef"' }), "Unsupported", "putObject() with ifMatch");
      await rejects(ctx.store.headObject("o"), "NotFound", "headObject()");
    },
  });
}
