import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assertByteRangeSpec,
  assertCopySourceRange,
  formatContentRange,
  formatCopySourceRange,
  formatRangeHeader,
  formatUnsatisfiedContentRange,
  parseContentRange,
  parseCopySourceRange,
  parseRangeHeader,
  rangeLength,
  resolveCopySourceRange,
  resolveRange,
  type ByteRangeSpec,
} from "./range.js";
import { isStorageError } from "./storage-error.js";

/**
 * The reference model, written from RFC 9110 §14.1.2 independently of range.ts: the bytes a
 * range selects from `body`, or "unsatisfiable". It indexes positions one by one instead of
 * computing bounds.
 */
function modelSelect(spec: ByteRangeSpec, body: Uint8Array): number[] | "unsatisfiable" {
  const positions: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const selected = "suffix" in spec ? i >= body.length - spec.suffix : i >= spec.first && (spec.last === undefined || i <= spec.last);
    if (selected) positions.push(i);
  }
  // §14.1.1: a range set is satisfiable when some range overlaps the representation.
  return positions.length === 0 ? "unsatisfiable" : positions.map((i) => body[i]!);
}

const specArb: fc.Arbitrary<ByteRangeSpec> = fc.oneof(
  fc.record({ first: fc.nat(40) }),
  fc.nat(40).chain((first) => fc.nat(40).map((extra) => ({ first, last: first + extra }))),
  fc.record({ suffix: fc.nat(40) }),
);

function expectCode(fn: () => unknown, code: "InvalidRange" | "InvalidArgument"): void {
  try {
    fn();
  } catch (err) {
    expect(isStorageError(err, code), String(err)).toBe(true);
    return;
  }
  expect.fail(`expected ${code}`);
}

describe("resolveRange", () => {
  it("resolveRange() selects exactly the bytes the brute-force model selects, for every form and size", () => {
    fc.assert(
      fc.property(specArb, fc.uint8Array({ maxLength: 32 }), (spec, body) => {
        const expected = modelSelect(spec, body);
        if (expected === "unsatisfiable") {
          expectCode(() => resolveRange(spec, body.length), "InvalidRange");
          return;
        }
        const r = resolveRange(spec, body.length);
        expect(r.size).toBe(body.length);
        expect(rangeLength(r)).toBe(expected.length);
        expect([...body.subarray(r.start, r.end + 1)]).toEqual(expected);
      }),
    );
  });

  it.each([0, 1, 10])("resolveRange() on an object of %i bytes follows the RFC table for every form", (size) => {
    const cases: Array<[ByteRangeSpec, [number, number] | "416"]> = [
      [{ first: 0 }, size === 0 ? "416" : [0, size - 1]],
      [{ first: 0, last: 0 }, size === 0 ? "416" : [0, 0]],
      [{ first: 0, last: 1000 }, size === 0 ? "416" : [0, size - 1]],
      [{ first: size }, "416"],
      [{ first: size, last: size + 5 }, "416"],
      [{ suffix: 0 }, "416"],
      [{ suffix: 1 }, size === 0 ? "416" : [size - 1, size - 1]],
      [{ suffix: size + 5 }, size === 0 ? "416" : [0, size - 1]],
    ];
    for (const [spec, want] of cases) {
      if (want === "416") expectCode(() => resolveRange(spec, size), "InvalidRange");
      else expect(resolveRange(spec, size)).toEqual({ start: want[0], end: want[1], size });
    }
  });

  it("resolveRange() on an unsatisfiable range rejects InvalidRange with HTTP status 416", () => {
    try {
      resolveRange({ first: 5 }, 5);
      expect.fail("expected InvalidRange");
    } catch (err) {
      expect(isStorageError(err, "InvalidRange")).toBe(true);
      expect((err as { httpStatus?: number }).httpStatus).toBe(416);
    }
  });
});

describe("Range header", () => {
  it("formatRangeHeader() then parseRangeHeader() returns the same spec", () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        expect(parseRangeHeader(formatRangeHeader(spec))).toEqual([spec]);
      }),
    );
  });

  it("parseRangeHeader() caps a position beyond 2^53 so bytes=0-18446744073709551615 still reads to the end", () => {
    const specs = parseRangeHeader("bytes=0-18446744073709551615");
    expect(specs).toEqual([{ first: 0, last: Number.MAX_SAFE_INTEGER }]);
    expect(resolveRange(specs![0]!, 10)).toEqual({ start: 0, end: 9, size: 10 });
    expectCode(() => resolveRange(parseRangeHeader("bytes=99999999999999999999-")![0]!, 10), "InvalidRange");
  });

  it("parseRangeHeader() reads several ranges in request order", () => {
    expect(parseRangeHeader("bytes=0-1, 5-, -3")).toEqual([{ first: 0, last: 1 }, { first: 5 }, { suffix: 3 }]);
  });

  it.each(["bytes=9-3", "bytes=", "bytes=-", "items=0-1", "bytes=a-b", "bytes=1-2-3", "bytes=--1", "0-1"])(
    "parseRangeHeader(%j) returns undefined (the header is ignored)",
    (value) => {
      expect(parseRangeHeader(value)).toBeUndefined();
    },
  );

  it("assertByteRangeSpec() accepts every well-formed spec and rejects negative, fractional and inverted ones with InvalidArgument", () => {
    fc.assert(fc.property(specArb, (spec) => assertByteRangeSpec(spec)));
    for (const bad of [{ first: -1 }, { first: 1.5 }, { first: 5, last: 4 }, { suffix: -1 }, { suffix: 1, first: 0 }, null, "bytes=0-1", {}]) {
      expectCode(() => assertByteRangeSpec(bad), "InvalidArgument");
    }
  });
});

describe("Content-Range", () => {
  it("formatContentRange() then parseContentRange() returns the same resolved range", () => {
    fc.assert(
      fc.property(specArb, fc.integer({ min: 1, max: 64 }), (spec, size) => {
        const expected = modelSelect(spec, new Uint8Array(size));
        fc.pre(expected !== "unsatisfiable");
        const r = resolveRange(spec, size);
        expect(parseContentRange(formatContentRange(r))).toEqual(r);
      }),
    );
  });

  it("formatUnsatisfiedContentRange() then parseContentRange() gives the size back as unsatisfied", () => {
    fc.assert(
      fc.property(fc.nat(), (size) => {
        expect(parseContentRange(formatUnsatisfiedContentRange(size))).toEqual({ unsatisfied: true, size });
      }),
    );
  });

  it.each(["bytes 5-3/10", "bytes 0-10/10", "bytes 0-1/*", "bytes */*", "0-1/10", "bytes 0-1"])("parseContentRange(%j) returns undefined", (value) => {
    expect(parseContentRange(value)).toBeUndefined();
  });
});

describe("copy-source ranges", () => {
  it("formatCopySourceRange() then parseCopySourceRange() returns the same range", () => {
    fc.assert(
      fc.property(fc.nat(1e9), fc.nat(1e9), (first, extra) => {
        const range = { first, last: first + extra };
        expect(parseCopySourceRange(formatCopySourceRange(range))).toEqual(range);
      }),
    );
  });

  it.each(["bytes=5-", "bytes=-5", "bytes=9-3", "bytes=a-b", "bytes=0-1,2-3", "5-9", ""])(
    "parseCopySourceRange(%j) rejects InvalidArgument (seed: bytes=first-last only)",
    (value) => {
      expectCode(() => parseCopySourceRange(value), "InvalidArgument");
    },
  );

  it("resolveCopySourceRange() accepts exactly the ranges inside the source and never clamps", () => {
    fc.assert(
      fc.property(fc.nat(40), fc.nat(40), fc.nat(40), (first, extra, size) => {
        const range = { first, last: first + extra };
        if (range.last < size) expect(resolveCopySourceRange(range, size)).toEqual({ start: first, end: range.last, size });
        else expectCode(() => resolveCopySourceRange(range, size), "InvalidRange");
      }),
    );
  });

  it("assertCopySourceRange() rejects open, suffix and inverted ranges with InvalidArgument", () => {
    for (const bad of [{ first: 5 }, { suffix: 5 }, { first: 9, last: 3 }, { first: -1, last: 2 }, { first: 0.5, last: 2 }, null]) {
      expectCode(() => assertCopySourceRange(bad), "InvalidArgument");
    }
    expect(() => assertCopySourceRange({ first: 3, last: 3 })).not.toThrow();
  });
});
