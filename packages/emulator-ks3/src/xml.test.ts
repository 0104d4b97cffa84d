import { expect, test } from "vitest";
import { parseXmlBody, renderXmlDocument } from "./xml.js";

const encode = (s: string) => new TextEncoder().encode(s);

test.each([
  ["a one-level entity", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "EXPANDED">]><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&e;</ETag></Part></CompleteMultipartUpload>`],
  ["an entity bomb", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&b;</ETag></Part></CompleteMultipartUpload>`],
  ["a DOCTYPE without entities", `<!DOCTYPE CompleteMultipartUpload><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>`],
])("parseXmlBody() refuses a document with %s as MalformedXML, never expanding it", (_what, xml) => {
  expect(() => parseXmlBody(encode(xml), 10_000)).toThrow(expect.objectContaining({ code: "MalformedXML" }));
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
