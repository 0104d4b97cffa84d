import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFormUrlEncoded } from "./request-params.js";

describe("parseFormUrlEncoded", () => {
  it("parseFormUrlEncoded() agrees with URLSearchParams on any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "b", "=", "&", "+", "%", "2", "F", "C", "3", "é", " ", "%2B", "%zz", "%E9") }), (text) => {
        expect(parseFormUrlEncoded(text)).toEqual([...new URLSearchParams(text)]);
      }),
      { numRuns: 2000 },
    );
  });

  it("parseFormUrlEncoded() decodes a Base64 value with escaped +, / and =", () => {
    expect(parseFormUrlEncoded("Value=ab%2Bc%2Fd%3D%3D&Key=k")).toEqual([
      ["Value", "ab+c/d=="],
      ["Key", "k"],
    ]);
  });
});
