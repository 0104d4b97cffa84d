import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeListCursor, encodeListCursor, listPageSize, type ListCursorField } from "./list-cursor.js";

describe("list cursors", () => {
  it("decodeListCursor() reads back what encodeListCursor() wrote, for any strings, numbers and booleans", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer(), fc.boolean(), (prefix, key, n, flag) => {
        const position: ListCursorField[] = [prefix, key, n, flag];
        const cursor = encodeListCursor("fs", "objects", position);
        expect(decodeListCursor("fs", "objects", cursor, ["string", "string", "number", "boolean"], "listObjects")).toEqual(position);
      }),
    );
  });

  it.each([
    ["not base64 JSON", "not-a-cursor"],
    ["another issuer's", encodeListCursor("memory", "kv", ["p", "k"])],
    ["another listing's", encodeListCursor("fs", "objects", ["p", "k"])],
    ["one with a field of the wrong type", encodeListCursor("fs", "kv", ["p", 1])],
    ["one with too few fields", encodeListCursor("fs", "kv", ["p"])],
  ])("decodeListCursor() of %s cursor rejects InvalidArgument naming the operation", (_what, cursor) => {
    expect(() => decodeListCursor("fs", "kv", cursor, ["string", "string"], "list")).toThrow(
      expect.objectContaining({ code: "InvalidArgument", httpStatus: 400, operation: "list" }),
    );
  });

  it("listPageSize() takes the request, else the fallback, clamped to 1..max", () => {
    expect(listPageSize(undefined, 100, 1000)).toBe(100);
    expect(listPageSize(5, 100, 1000)).toBe(5);
    expect(listPageSize(0, 100, 1000)).toBe(1);
    expect(listPageSize(5000, 100, 1000)).toBe(1000);
  });
});
