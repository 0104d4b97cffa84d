import { describe, expect, it } from "vitest";
import { ESA_KV_LIMITS, KS3_LIMITS, S3_LIMITS, defineLimits } from "./limits.js";

describe("limits manifests", () => {
  it("defineLimits() returns a frozen manifest whose forbidden substrings are frozen too", () => {
    const limits = defineLimits({ ...KS3_LIMITS, keyForbiddenSubstrings: ["@x@"] });
    expect(Object.isFrozen(limits)).toBe(true);
    expect(Object.isFrozen(limits.keyForbiddenSubstrings)).toBe(true);
    expect(() => {
      (limits as { keyMaxBytes: number }).keyMaxBytes = 1;
    }).toThrow(TypeError);
  });

  it("ESA_KV_LIMITS keeps its documented numbers consistent (ordinary ≤ large value, batch within large)", () => {
    expect(ESA_KV_LIMITS.putMaxValueBytes).toBeLessThanOrEqual(ESA_KV_LIMITS.putLargeMaxValueBytes);
    expect(ESA_KV_LIMITS.keyMaxBytes).toBe(512);
    expect(ESA_KV_LIMITS.listMaxPageSize).toBe(100);
  });

  it.each([
    ["KS3", KS3_LIMITS, true],
    ["S3", S3_LIMITS, false],
  ] as const)("%s_LIMITS: part numbers 1..10000, contiguous = %s, min part ≤ max part", (_name, limits, contiguous) => {
    expect(limits.multipartMinPartNumber).toBe(1);
    expect(limits.multipartMaxPartNumber).toBe(10_000);
    expect(limits.multipartPartNumbersContiguous).toBe(contiguous);
    expect(limits.multipartMinPartBytes).toBeLessThanOrEqual(limits.multipartMaxPartBytes);
    expect(Object.isFrozen(limits)).toBe(true);
  });

  it.each([
    ["a page size of 0", { ...ESA_KV_LIMITS, listMaxPageSize: 0 }, "listMaxPageSize must be at least 1"],
    ["a fractional limit", { ...ESA_KV_LIMITS, keyMaxBytes: 1.5 }, "keyMaxBytes must be a non-negative integer"],
    ["a negative limit", { ...KS3_LIMITS, putObjectMaxBytes: -1 }, "putObjectMaxBytes must be a non-negative integer"],
    ["min part number above max", { ...KS3_LIMITS, multipartMinPartNumber: 5, multipartMaxPartNumber: 2 }, "multipartMinPartNumber (5) exceeds multipartMaxPartNumber (2)"],
    ["min part size above max", { ...KS3_LIMITS, multipartMinPartBytes: 10, multipartMaxPartBytes: 9 }, "multipartMinPartBytes (10) exceeds multipartMaxPartBytes (9)"],
    ["ordinary value above large", { ...ESA_KV_LIMITS, putMaxValueBytes: 10, putLargeMaxValueBytes: 9 }, "putMaxValueBytes (10) exceeds putLargeMaxValueBytes (9)"],
  ] as const)("defineLimits() with %s raises InvalidArgument", (_what, limits, message) => {
    expect(() => defineLimits(limits)).toThrow(expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining(message) }));
  });
});
