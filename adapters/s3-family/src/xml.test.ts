import { describe, expect, it } from "vitest";
import { isStorageError } from "@stowage/core";
import { decodeXmlText, escapeXmlText, parseXml, xmlChildren, xmlText } from "./xml.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isStorageError(err) ? err.code : "not a StorageError";
  }
  return undefined;
}

describe("parseXml", () => {
  it("parseXml() of a billion-laughs document rejects Internal without expanding anything", () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
      "<Error><Code>&lol2;</Code></Error>";
    expect(codeOf(() => parseXml(bomb))).toBe("Internal");
  });

  it("parseXml() of an external-entity (XXE) document rejects Internal", () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><R><K>&x;</K></R>';
    expect(codeOf(() => parseXml(xxe))).toBe("Internal");
  });

  it("parseXml() of a document over the size cap rejects Internal", () => {
    const doc = `<R><K>${"a".repeat(2000)}</K></R>`;
    expect(codeOf(() => parseXml(doc, 1000))).toBe("Internal");
    expect(parseXml(doc, 4000).name).toBe("R");
  });

  it("parseXml() of a malformed document rejects Internal", () => {
    expect(codeOf(() => parseXml("<R><K>x</R>"))).toBe("Internal");
  });

  it("parseXml() keeps leaf values as exact strings: spaces, leading zeros, predefined entities decoded", () => {
    const { name, root } = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\n' +
        "  <Contents><Key> a&amp;b&lt;&#x41;&#66; </Key><Size>007</Size></Contents>\n</ListBucketResult>",
    );
    expect(name).toBe("ListBucketResult");
    const contents = xmlChildren(root, "Contents");
    expect(contents).toHaveLength(1);
    expect(xmlText(contents[0]!, "Key")).toBe(" a&b<AB ");
    expect(xmlText(contents[0]!, "Size")).toBe("007");
  });

  it("parseXml() leaves an undeclared entity reference as literal text", () => {
    expect(decodeXmlText("&foo;&amp;")).toBe("&foo;&");
  });

  it("escapeXmlText() round-trips through decodeXmlText()", () => {
    const s = `"etag" <a> & 'b'`;
    expect(escapeXmlText(s)).not.toMatch(/[<>"']/);
    expect(decodeXmlText(escapeXmlText(s))).toBe(s);
  });
});
