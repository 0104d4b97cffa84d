import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeKey, utf8ByteLength, validateKey, type KeyRules } from "./key-rules.js";
import { isStorageError, type StorageErrorCode } from "./storage-error.js";

const RULES: KeyRules = { keyMaxBytes: 8, keyForbiddenCharacters: " /", keyForbiddenSubstrings: ["@base@", "@style@"] };

function codeOf(key: unknown, rules: KeyRules = RULES): StorageErrorCode | "ok" {
  try {
    validateKey(key, rules, { operation: "put" });
    return "ok";
  } catch (err) {
    if (!isStorageError(err)) throw err;
    return err.code;
  }
}

describe("validateKey", () => {
  it("validateKey() with a key of exactly keyMaxBytes UTF-8 bytes accepts it, one byte more rejects KeyTooLong", () => {
    expect(codeOf("abcdefgh")).toBe("ok");
    expect(codeOf("abcdefghi")).toBe("KeyTooLong");
  });

  it("validateKey() counts multi-byte characters by their UTF-8 length when they straddle the limit", () => {
    // 6 ASCII bytes + "é" (2 bytes) = 8: fits; + "€" (3 bytes) = 9: too long; + "😀" (4 bytes, 2 UTF-16 units) = 10.
    expect(codeOf("abcdefé")).toBe("ok");
    expect(codeOf("abcdef€")).toBe("KeyTooLong");
    expect(codeOf("abcd😀")).toBe("ok");
    expect(codeOf("abcde😀")).toBe("KeyTooLong");
    // 8 UTF-16 code units but 24 bytes: counted in bytes, not characters.
    expect(codeOf("€€€€€€€€")).toBe("KeyTooLong");
  });

  it("validateKey() agrees with TextEncoder on the byte length of any well-formed string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 12 }), (s) => {
        expect(utf8ByteLength(s)).toBe(new TextEncoder().encode(s).byteLength);
        const rules = { keyMaxBytes: 10, keyForbiddenCharacters: "" };
        const expected = s.length === 0 ? "InvalidKey" : new TextEncoder().encode(s).byteLength > 10 ? "KeyTooLong" : "ok";
        expect(codeOf(s, rules)).toBe(expected);
      }),
    );
  });

  it.each(["\uD800", "a\uDC00", "\uDBFFx", "ab\uD83D"])("validateKey(%j) with a lone surrogate rejects InvalidKey", (key) => {
    expect(codeOf(key)).toBe("InvalidKey");
  });

  it("validateKey() with the empty key rejects InvalidKey", () => {
    expect(codeOf("")).toBe("InvalidKey");
  });

  it.each(["a b", "a/b", "/", "x@base@", "@style@y"])("validateKey(%j) with a forbidden character or substring rejects InvalidKey", (key) => {
    expect(codeOf(key)).toBe("InvalidKey");
  });

  it("validateKey() accepts a key that merely resembles a forbidden substring", () => {
    expect(codeOf("@base")).toBe("ok");
    expect(codeOf("base@")).toBe("ok");
  });

  it.each([undefined, null, 42, {}, ["a"], Symbol("k")])("validateKey(%s) with a non-string rejects InvalidArgument", (key) => {
    expect(codeOf(key)).toBe("InvalidArgument");
  });

  it("validateKey() sets operation and key on the error and truncates a huge key in the message", () => {
    const huge = "k".repeat(100_000);
    try {
      validateKey(huge, RULES, { operation: "putObject" });
      expect.fail("expected KeyTooLong");
    } catch (err) {
      expect(isStorageError(err, "KeyTooLong")).toBe(true);
      const e = err as Error & { operation?: string; key?: string };
      expect(e.operation).toBe("putObject");
      expect(e.key).toBe(huge);
      expect(e.message.length).toBeLessThan(300);
      expect(e.message).toContain("100000 bytes");
    }
  });

  it("describeKey() shows short keys whole and quotes control characters", () => {
    expect(describeKey("a\nb")).toBe('"a\\nb"');
    expect(describeKey("x".repeat(200))).toContain("(200 characters)");
  });
});
