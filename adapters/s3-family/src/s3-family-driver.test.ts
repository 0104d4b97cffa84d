import { describe, expect, it } from "vitest";
import { isStorageError } from "@stowage/core";
import { orderParts } from "./s3-family-driver.js";

describe("orderParts", () => {
  it("orderParts() sorts parts listed out of order", () => {
    expect(orderParts([{ partNumber: 2, etag: "b" }, { partNumber: 1, etag: "a" }], true).map((p) => p.partNumber)).toEqual([1, 2]);
  });

  it("orderParts() with contiguity required rejects a gap as InvalidPartOrder before any request", () => {
    try {
      orderParts([{ partNumber: 1, etag: "a" }, { partNumber: 3, etag: "c" }], true);
      expect.unreachable();
    } catch (err) {
      expect(isStorageError(err, "InvalidPartOrder")).toBe(true);
    }
  });

  it("orderParts() without contiguity accepts a gap but rejects a duplicate part number", () => {
    expect(orderParts([{ partNumber: 3, etag: "c" }, { partNumber: 1, etag: "a" }], false).map((p) => p.partNumber)).toEqual([1, 3]);
    expect(() => orderParts([{ partNumber: 1, etag: "a" }, { partNumber: 1, etag: "b" }], false)).toThrow(expect.objectContaining({ code: "InvalidPartOrder" }));
  });

  it("orderParts() with contiguity rejects parts not starting at 1", () => {
    expect(() => orderParts([{ partNumber: 2, etag: "b" }], true)).toThrow(expect.objectContaining({ code: "InvalidPartOrder" }));
  });
});
