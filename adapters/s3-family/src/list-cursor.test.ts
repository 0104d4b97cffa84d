import { describe, expect, it } from "vitest";
import { formatListCursor, parseListCursor } from "./list-cursor.js";

describe("list cursors", () => {
  it("parseListCursor() reads back what formatListCursor() wrote, markers with any characters included", () => {
    const markers = ["a/b c\u0001%", ""];
    expect(parseListCursor("uploads", formatListCursor("uploads", markers), 2, "listMultipartUploads")).toEqual(markers);
  });

  it.each([["raw-marker"], ["s3c1.!!!"], [formatListCursor("parts", ["3"])], [formatListCursor("objects", ["a", "b"])]])(
    "parseListCursor() of a cursor not issued for this listing (%j) rejects InvalidArgument",
    (cursor) => {
      expect(() => parseListCursor("objects", cursor, 1, "listObjects")).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
    },
  );
});
