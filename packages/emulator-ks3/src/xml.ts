/**
 * XML in and out: answers are built with every text escaped, and request bodies are parsed
 * with fast-xml-parser with entity expansion off, after a size check and after refusing any
 * document type declaration (no billion-laughs, no external entities).
 */
import { XMLParser } from "fast-xml-parser";
import { Ks3Error } from "./errors.js";

/** `ks3-api.md` §1.4: the Java SDK's `KS3_XML_NAMESPACE`, S3's namespace. */
const NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

/** An element's content: text, or child elements in order (`undefined` children are left out). */
export type XmlContent = string | number | boolean | XmlChildren;
/** Child elements in document order; a name may repeat (`Contents`, `Part`, …). */
export type XmlChildren = ReadonlyArray<readonly [name: string, content: XmlContent | undefined]>;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Escapes text for an element body. Quotes need no escaping there, and ETags keep their
 * literal quotes as in the seed's sample response (`<ETag>"9b2c…"</ETag>`).
 */
function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c]!);
}

function renderContent(content: XmlContent): string {
  if (typeof content !== "object") return escapeXml(String(content));
  let out = "";
  for (const [name, child] of content) {
    if (child === undefined) continue;
    out += `<${name}>${renderContent(child)}</${name}>`;
  }
  return out;
}

/** A whole document: declaration, then `root` (in the S3 namespace unless told otherwise). */
export function renderXmlDocument(root: string, content: XmlContent, options: { namespace?: boolean } = {}): string {
  const ns = options.namespace === false ? "" : ` xmlns="${NAMESPACE}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${renderContent(content)}</${root}>`;
}

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/**
 * Decodes the five predefined XML entities and character references (clients escape the
 * quotes of ETags as `&quot;`). DTD-declared entities are never expanded: they stay as text.
 */
function decodePredefinedEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, name: string) => {
    if (name.startsWith("#x")) return safeCodePoint(parseInt(name.slice(2), 16), whole);
    if (name.startsWith("#")) return safeCodePoint(Number(name.slice(1)), whole);
    return PREDEFINED[name]!;
  });
}

function safeCodePoint(n: number, fallback: string): string {
  return n <= 0x10ffff ? String.fromCodePoint(n) : fallback;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  // Entities stay as written: nothing expands, so an entity bomb is inert text.
  processEntities: false,
  htmlEntities: false,
  // Values stay strings ("0001" part numbers, ETags): the handlers validate them.
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  removeNSPrefix: true,
  isArray: (name) => name === "Part" || name === "Object",
  tagValueProcessor: (_name, value) => decodePredefinedEntities(value),
});

/**
 * A DTD is the only way to declare an entity, and no S3 or KS3 request document has one.
 * Refusing it outright, rather than relying on the parser not to expand what it declares,
 * keeps entity expansion impossible whatever the parser's settings or version.
 */
const DOCUMENT_TYPE_DECLARATION = /<!(?:DOCTYPE|ENTITY)/i;

/**
 * Parses a request body of at most `maxBytes`; anything malformed (or larger), and any
 * document with a `<!DOCTYPE` or `<!ENTITY`, is `MalformedXML`, as S3 answers it.
 */
export function parseXmlBody(bytes: Uint8Array, maxBytes: number): Record<string, unknown> {
  if (bytes.byteLength > maxBytes) throw new Ks3Error("MalformedXML");
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (DOCUMENT_TYPE_DECLARATION.test(text)) throw new Ks3Error("MalformedXML", "Document type and entity declarations are not allowed.");
  try {
    const parsed: unknown = parser.parse(text, true);
    if (typeof parsed !== "object" || parsed === null) throw new Ks3Error("MalformedXML");
    return parsed as Record<string, unknown>;
  } catch {
    throw new Ks3Error("MalformedXML");
  }
}
