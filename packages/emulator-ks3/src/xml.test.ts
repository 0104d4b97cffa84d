import { expect, test } from "vitest";
import { parseXmlBody, renderXmlDocument } from "./xml.js";

const encode = (s: string) => new TextEncoder().encode(s);

test("parseXmlBody() leaves DTD-declared entities unexpanded (no entity bomb)", () => {
  const bomb = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&b;</ETag></Part></CompleteMultipartUpload>`;
  const doc = parseXmlBody(encode(bomb), 10_000) as { CompleteMultipartUpload: { Part: Array<{ ETag: string }> } };
  expect(doc.CompleteMultipartUpload.Part[0]!.ETag).toBe("&b;");
});

test("parseXmlBody() decodes the predefined entities clients use for ETag quotes", () => {
  const doc = parseXmlBody(encode("<A><ETag>&quot;abc&quot; &amp; &#x41;</ETag></A>"), 1000) as { A: { ETag: string } };
  expect(doc.A.ETag).toBe('"abc" & A');
});

test("parseXmlBody() rejects a body over the cap with MalformedXML", () => {
  expect(() => parseXmlBody(encode(`<A>${"x".repeat(100)}</A>`), 50)).toThrow(expect.objectContaining({ code: "MalformedXML" }));
});

test("renderXmlDocument() escapes &, < and > in text and leaves undefined children out", () => {
  expect(renderXmlDocument("R", [["Key", "a&b<c>"], ["Gone", undefined], ["N", 3]], { namespace: false })).toBe(
    '<?xml version="1.0" encoding="UTF-8"?>\n<R><Key>a&amp;b&lt;c&gt;</Key><N>3</N></R>',
  );
});
