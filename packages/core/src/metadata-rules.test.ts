import { describe, expect, it } from "vitest";
import { lowerCaseMetadataNames, validateObjectAttributes } from "./metadata-rules.js";

function refusal(attributes: Parameters<typeof validateObjectAttributes>[0]): { code: string; message: string } {
  return refusalWithin(attributes, 2048);
}

function refusalWithin(attributes: Parameters<typeof validateObjectAttributes>[0], metadataMaxBytes: number): { code: string; message: string } {
  try {
    validateObjectAttributes(attributes, metadataMaxBytes);
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error(`accepted ${JSON.stringify(attributes)}`);
}

describe("validateObjectAttributes", () => {
  it("accepts absent attributes, token names of any case and printable US-ASCII values", () => {
    expect(() => validateObjectAttributes({}, 2048)).not.toThrow();
    const printable = String.fromCharCode(...Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => 0x21 + i));
    expect(() =>
      validateObjectAttributes({
        contentType: "text/plain; charset=utf-8",
        metadata: { Author: "alice", "x-trace_ID-9": "a  b", all: `${printable} ${printable}`, empty: "" },
      }, 2048),
    ).not.toThrow();
  });

  it("accepts metadata of exactly metadataMaxBytes (names and values) and refuses one byte more", () => {
    expect(() => validateObjectAttributes({ metadata: { ab: "x".repeat(14) } }, 16)).not.toThrow();
    expect(refusalWithin({ metadata: { ab: "x".repeat(15) } }, 16)).toMatchObject({ code: "InvalidArgument", message: expect.stringContaining("17 bytes") });
  });

  it.each([
    ["a space", "bad name"],
    ["CR LF", "bad\r\nname"],
    ["a colon", "a:b"],
    ["a non-ASCII letter", "caf\u00e9"],
  ])("refuses a metadata name with %s, quoting the name", (_what, name) => {
    const err = refusal({ metadata: { [name]: "v" } });
    expect(err.code).toBe("InvalidArgument");
    expect(err.message).toContain(JSON.stringify(name));
  });

  it("refuses an empty metadata name", () => {
    expect(refusal({ metadata: { "": "v" } })).toMatchObject({ code: "InvalidArgument", message: "metadata names must not be empty" });
  });

  it.each(['{"__proto__":"v"}', '{"__PROTO__":"v"}'])("refuses the metadata name __proto__ (%s), which a plain object would drop", (json) => {
    // JSON.parse makes `__proto__` an own entry; an object literal would set the prototype instead.
    const err = refusal({ metadata: JSON.parse(json) as Record<string, string> });
    expect(err.code).toBe("InvalidArgument");
    expect(err.message).toMatch(/__proto__/i);
  });

  it("refuses two metadata names equal ignoring case, naming both", () => {
    const err = refusal({ metadata: { Foo: "a", foo: "b" } });
    expect(err.code).toBe("InvalidArgument");
    expect(err.message).toContain('"Foo" and "foo"');
  });

  it.each([
    ["CR LF", "a\r\nb", "U+000D at position 1"],
    ["a tab", "a\tb", "U+0009"],
    ["NUL", "\0", "U+0000"],
    ["DEL", "a\x7f", "U+007F"],
    ["non-ASCII", "h\u00e9llo \u2713", "U+00E9 at position 1"],
    ["an astral character", "\u{1F600}", "U+1F600"],
  ])("refuses a metadata value with %s, naming the character, not echoing the value", (_what, value, shown) => {
    const err = refusal({ metadata: { note: value } });
    expect(err.code).toBe("InvalidArgument");
    expect(err.message).toContain('metadata "note"');
    expect(err.message).toContain(shown);
    expect(err.message).not.toContain(value);
  });

  it.each([" a", "a "])("refuses a metadata value %j with a space HTTP would strip", (value) => {
    expect(refusal({ metadata: { note: value } }).message).toContain("starts or ends with a space");
  });

  it.each([["text/plain\r\nx-injected: 1"], ["t\u00e9xt/plain"], [" text/plain"], ["text/plain "]])("refuses contentType %j", (contentType) => {
    const err = refusal({ contentType });
    expect(err.code).toBe("InvalidArgument");
    expect(err.message).toMatch(/^contentType /);
  });

  it("truncates a long metadata name in the message", () => {
    const name = `${"n".repeat(10_000)} `;
    const err = refusal({ metadata: { [name]: "v" } });
    expect(err.message.length).toBeLessThan(300);
  });

  it.each([
    [{ metadata: null }, "metadata must be a Record<string, string>"],
    [{ metadata: ["a"] }, "metadata must be a Record<string, string>"],
    [{ metadata: "a=b" }, "metadata must be a Record<string, string>"],
    [{ metadata: { a: 1 } }, 'metadata "a" must be a string'],
    [{ contentType: 5 }, "contentType must be a string"],
  ])("refuses wrong types: %j", (attributes, message) => {
    expect(refusal(attributes)).toMatchObject({ code: "InvalidArgument", message });
  });
});

describe("lowerCaseMetadataNames", () => {
  it("lowerCaseMetadataNames() lower-cases names, keeps values, and returns a record without a prototype", () => {
    const out = lowerCaseMetadataNames({ "Color-Tag": "Blue" });
    expect({ ...out }).toEqual({ "color-tag": "Blue" });
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect({ ...lowerCaseMetadataNames(undefined) }).toEqual({});
  });
});
