import { describe, expect, it } from "vitest";
import { EMULATED_OBJECT_ERROR_CODES, emulatedErrors, type EmulatedErrorTable } from "./emulated-errors.js";
import { checkEmulatedPartNumber, chooseCompletedParts, type EmulatedMultipartLimits } from "./emulated-multipart.js";

// KS3's code for a bad part number, so the test sees the table's row is used.
const ERRORS = emulatedErrors(Object.fromEntries(EMULATED_OBJECT_ERROR_CODES.map((code) => [code, { httpStatus: 400, providerCode: code === "InvalidPartNumber" ? "InvalidPartNum" : code }])) as EmulatedErrorTable);
const LIMITS: EmulatedMultipartLimits = { multipartMinPartNumber: 1, multipartMaxPartNumber: 10_000, multipartPartNumbersContiguous: true, multipartMinPartBytes: 5 };
const CONTEXT = { operation: "completeMultipartUpload", key: "k" };
const uploaded = new Map([1, 2, 3].map((n) => [n, { etag: `"e${n}"`, size: n === 3 ? 1 : 5 }]));
const choose = (parts: { partNumber: number; etag: string }[], limits = LIMITS) => chooseCompletedParts(parts, uploaded, (p) => p.size, limits, ERRORS, CONTEXT);

describe("emulated multipart checks", () => {
  it("checkEmulatedPartNumber() outside the range raises the table's InvalidPartNumber row", () => {
    expect(() => checkEmulatedPartNumber(10_001, LIMITS, ERRORS, CONTEXT)).toThrow(expect.objectContaining({ code: "InvalidPartNumber", providerCode: "InvalidPartNum" }));
    expect(() => checkEmulatedPartNumber(1.5, LIMITS, ERRORS, CONTEXT)).toThrow(expect.objectContaining({ code: "InvalidPartNumber" }));
    expect(() => checkEmulatedPartNumber(10_000, LIMITS, ERRORS, CONTEXT)).not.toThrow();
  });

  it("chooseCompletedParts() returns the uploaded parts in order, ETags compared quoted", () => {
    expect(choose([{ partNumber: 1, etag: "e1" }, { partNumber: 2, etag: '"e2"' }, { partNumber: 3, etag: "e3" }])).toEqual([...uploaded.values()]);
  });

  it.each([
    ["an empty list", "InvalidPartOrder", []],
    ["a descending list", "InvalidPartOrder", [{ partNumber: 2, etag: "e2" }, { partNumber: 1, etag: "e1" }]],
    ["a gap where parts must be contiguous", "InvalidPartOrder", [{ partNumber: 1, etag: "e1" }, { partNumber: 3, etag: "e3" }]],
    ["a stale ETag", "InvalidPart", [{ partNumber: 1, etag: "old" }]],
    ["a part never uploaded", "InvalidPart", [1, 2, 3, 4].map((n) => ({ partNumber: n, etag: `e${n}` }))],
  ])("chooseCompletedParts() with %s rejects %s", (_what, code, parts) => {
    expect(() => choose(parts)).toThrow(expect.objectContaining({ code }));
  });

  it("chooseCompletedParts() accepts a last part under multipartMinPartBytes where gaps are allowed", () => {
    expect(choose([{ partNumber: 3, etag: "e3" }], { ...LIMITS, multipartPartNumbersContiguous: false })).toEqual([uploaded.get(3)]);
  });

  it("chooseCompletedParts() with a non-last part under multipartMinPartBytes rejects EntityTooSmall", () => {
    const small = new Map([1, 2].map((n) => [n, { etag: `"e${n}"`, size: 1 }]));
    expect(() => chooseCompletedParts([{ partNumber: 1, etag: "e1" }, { partNumber: 2, etag: "e2" }], small, (p) => p.size, LIMITS, ERRORS, CONTEXT)).toThrow(
      expect.objectContaining({ code: "EntityTooSmall" }),
    );
  });
});
