/**
 * Ranged reads: every range form on objects of 0, 1 and N bytes. The expected answer is
 * written out per row (not computed by core's resolver), so the suite checks the resolver too.
 */
import type { ByteRangeSpec } from "@stowage/core";
import type { ObjectCaseContext, ObjectRegistry } from "../case-context.js";
import { checkBytes, checkEqual, rejects } from "../assertions.js";
import { bytesOf, pattern } from "../case-data.js";
import { objects } from "../requirements.js";
import { KS3_RANGE, OBJECT_CONTRACT, RFC_PRECONDITIONS, RFC_RANGE } from "../sources.js";

/** The N of "objects of size N" (s3-tests uses an 11-byte object too). */
const N = 11;

/** Expected answer: the inclusive slice, or InvalidRange. */
type Expected = { start: number; end: number } | "InvalidRange";

interface RangeForm {
  slug: string;
  /** The form in words, with `{spec}` shown as the header value. */
  describe: string;
  /** The spec and the expected answer for an object of `size` bytes (0, 1 or N). */
  at(size: number): { spec: ByteRangeSpec; expected: Expected };
}

const header = (spec: ByteRangeSpec): string => ("suffix" in spec ? `bytes=-${spec.suffix}` : `bytes=${spec.first}-${spec.last ?? ""}`);

const FORMS: readonly RangeForm[] = [
  {
    slug: "first-last",
    describe: "bytes=a-b inside the object",
    at: (size) => (size === 0 ? { spec: { first: 0, last: 0 }, expected: "InvalidRange" } : size === 1 ? { spec: { first: 0, last: 0 }, expected: { start: 0, end: 0 } } : { spec: { first: 2, last: 5 }, expected: { start: 2, end: 5 } }),
  },
  {
    slug: "first-open",
    describe: "bytes=a- (from a to the end)",
    at: (size) => (size === 0 ? { spec: { first: 0 }, expected: "InvalidRange" } : size === 1 ? { spec: { first: 0 }, expected: { start: 0, end: 0 } } : { spec: { first: 4 }, expected: { start: 4, end: size - 1 } }),
  },
  {
    slug: "whole-as-range",
    describe: "bytes=0- (the whole object as a partial answer)",
    at: (size) => ({ spec: { first: 0 }, expected: size === 0 ? "InvalidRange" : { start: 0, end: size - 1 } }),
  },
  {
    slug: "suffix",
    describe: "bytes=-n (the last n bytes)",
    at: (size) => (size === 0 ? { spec: { suffix: 1 }, expected: "InvalidRange" } : size === 1 ? { spec: { suffix: 1 }, expected: { start: 0, end: 0 } } : { spec: { suffix: 3 }, expected: { start: size - 3, end: size - 1 } }),
  },
  {
    slug: "suffix-larger-than-object",
    describe: "bytes=-n with n larger than the object (the whole object)",
    at: (size) => ({ spec: { suffix: size + 5 }, expected: size === 0 ? "InvalidRange" : { start: 0, end: size - 1 } }),
  },
  {
    slug: "last-past-end",
    describe: "bytes=a-b with b past the last byte (clamped to the end)",
    at: (size) => (size <= 1 ? { spec: { first: 0, last: 10 }, expected: size === 0 ? "InvalidRange" : { start: 0, end: 0 } } : { spec: { first: 5, last: size + 10 }, expected: { start: 5, end: size - 1 } }),
  },
  {
    slug: "last-byte",
    describe: "bytes=a-a naming the last byte",
    at: (size) => ({ spec: { first: Math.max(size - 1, 0), last: Math.max(size - 1, 0) }, expected: size === 0 ? "InvalidRange" : { start: size - 1, end: size - 1 } }),
  },
  {
    slug: "start-at-size",
    describe: "bytes=size- (first byte at the object size)",
    at: (size) => ({ spec: { first: size }, expected: "InvalidRange" }),
  },
  {
    slug: "start-past-size",
    describe: "bytes=a-b entirely past the end",
    at: (size) => ({ spec: { first: size + 5, last: size + 10 }, expected: "InvalidRange" }),
  },
  {
    slug: "suffix-zero",
    describe: "bytes=-0",
    at: () => ({ spec: { suffix: 0 }, expected: "InvalidRange" }),
  },
];

const SIZES: ReadonlyArray<{ size: number; suffix: string; words: string }> = [
  { size: N, suffix: "", words: `an ${N}-byte object` },
  { size: 1, suffix: ".one-byte-object", words: "a one-byte object" },
  { size: 0, suffix: ".empty-object", words: "an empty object" },
];

async function checkRange(ctx: ObjectCaseContext, size: number, spec: ByteRangeSpec, expected: Expected): Promise<void> {
  const body = pattern(size);
  await ctx.store.putObject("o", body);
  const what = `getObject() with ${header(spec)} on ${size} bytes`;
  if (expected === "InvalidRange") {
    const error = await rejects(ctx.store.getObject("o", { range: spec }), "InvalidRange", what);
    checkEqual([error.httpStatus, error.objectSize], [416, size], `${what}: httpStatus and objectSize (Content-Range bytes */${size})`);
    return;
  }
  const got = await ctx.store.getObject("o", { range: spec });
  const length = expected.end - expected.start + 1;
  checkEqual(got.range, { start: expected.start, end: expected.end, size }, `${what}: range (Content-Range bytes ${expected.start}-${expected.end}/${size})`);
  checkEqual(got.contentLength, length, `${what}: contentLength`);
  checkEqual(got.info.size, size, `${what}: info.size`);
  checkBytes(await bytesOf(got.body), body.subarray(expected.start, expected.end + 1), `${what}: body`);
}

/** Registers the range cases. */
export function register(registry: ObjectRegistry): void {
  const ranged = objects.claims("getObjectWithRange");
  for (const form of FORMS) {
    for (const { size, suffix, words } of SIZES) {
      const { spec, expected } = form.at(size);
      const outcome = expected === "InvalidRange" ? "rejects InvalidRange (416, Content-Range bytes */size)" : `returns bytes ${expected.start}-${expected.end} with Content-Range bytes ${expected.start}-${expected.end}/${size}`;
      registry.add({
        id: `objects.range.${form.slug}${suffix}`,
        area: "objects.range",
        rule: `getObject() with ${form.describe} (${header(spec)}) on ${words} ${outcome}`,
        source: `${RFC_RANGE}; ${KS3_RANGE}`,
        requires: [ranged],
        run: (ctx) => checkRange(ctx, size, spec, expected),
      });
    }
  }
  registry.add({
    id: "objects.range.reversed-spec",
    area: "objects.range",
    rule: "getObject() with a range whose last byte precedes its first (bytes=5-2) rejects InvalidArgument",
    source: `${RFC_RANGE}; ${OBJECT_CONTRACT}`,
    requires: [ranged],
    run: async (ctx) => {
      await ctx.store.putObject("o", pattern(N));
      await rejects(ctx.store.getObject("o", { range: { first: 5, last: 2 } }), "InvalidArgument", "getObject()");
    },
  });
  registry.add({
    id: "objects.range.conditions-before-range",
    area: "objects.range",
    rule: "getObject() with a failing If-Match and an unsatisfiable range rejects PreconditionFailed (conditions are evaluated before the range)",
    source: `${RFC_PRECONDITIONS}; ${KS3_RANGE}`,
    requires: [ranged, objects.claims("getObjectWithConditions")],
    run: async (ctx) => {
      await ctx.store.putObject("o", pattern(N));
      await rejects(ctx.store.getObject("o", { range: { first: N + 5 }, ifMatch: '"0000"' }), "PreconditionFailed", "getObject()");
    },
  });
  registry.add({
    id: "objects.range.with-passing-condition",
    area: "objects.range",
    rule: "getObject() with a range and a passing If-Match returns the partial answer",
    source: RFC_PRECONDITIONS,
    requires: [ranged, objects.claims("getObjectWithConditions")],
    run: async (ctx) => {
      const { etag } = await ctx.store.putObject("o", pattern(N));
      const got = await ctx.store.getObject("o", { range: { first: 1, last: 2 }, ifMatch: etag });
      checkEqual(got.range, { start: 1, end: 2, size: N }, "range");
      checkBytes(await bytesOf(got.body), pattern(N).subarray(1, 3), "body");
    },
  });
  registry.add({
    id: "objects.range.unsupported",
    area: "objects.range",
    rule: "getObject() with a range on a store that does not claim getObjectWithRange rejects Unsupported",
    source: OBJECT_CONTRACT,
    requires: [objects.lacks("getObjectWithRange")],
    run: async (ctx) => {
      await ctx.store.putObject("o", pattern(N));
      await rejects(ctx.store.getObject("o", { range: { first: 0, last: 1 } }), "Unsupported", "getObject()");
    },
  });
}
