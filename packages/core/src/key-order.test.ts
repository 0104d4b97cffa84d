import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareUtf8 } from "./key-order.js";

const byteOrder = (a: string, b: string): number => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe("compareUtf8", () => {
  it("orders a supplementary code point after U+FF01, as UTF-8 does and JavaScript's < does not", () => {
    expect(compareUtf8("\u{1f600}", "\uff01")).toBeGreaterThan(0);
    expect("\u{1f600}" < "\uff01").toBe(true);
  });

  it("agrees with the order of the UTF-8 bytes on any two strings of code points", () => {
    // Strings biased towards the ranges where code-unit and byte order part ways.
    const char = fc.oneof(fc.constantFrom("a", "\u00e9", "\ue000", "\uff01", "\uffff", "\u{10000}", "\u{1f600}", "\u{10ffff}"), fc.string({ unit: "grapheme", maxLength: 1 }));
    const key = fc.array(char, { maxLength: 6 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(key, key, (a, b) => {
        expect(Math.sign(compareUtf8(a, b))).toBe(byteOrder(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it("sorts like the UTF-8 bytes", () => {
    const keys = ["b", "\u{1f600}", "a", "\uff01", "\u00e9", "", "aa"];
    expect([...keys].sort(compareUtf8)).toEqual([...keys].sort(byteOrder));
  });
});
