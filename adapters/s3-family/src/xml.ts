import { XMLParser } from "fast-xml-parser";
import { StorageError } from "@stowage/core";

/** A parsed element: child elements by name (strings for leaves, nodes or arrays of them otherwise). */
export type XmlNode = { readonly [name: string]: unknown };

/**
 * The largest response document we parse. A ListObjects page of 1000 keys of 1024 bytes each,
 * with its per-object fields, stays well under 4 MiB; anything bigger is not an S3 answer.
 */
export const XML_MAX_BYTES = 4 * 1024 * 1024;

/** Elements that may repeat, so they always parse as arrays (one element must not become a scalar). */
const REPEATED: ReadonlySet<string> = new Set(["Contents", "CommonPrefixes", "Part", "Upload"]);

const parser = new XMLParser({
  // No entity expansion of any kind: a DTD-declared entity is a decompression bomb waiting to
  // happen ("billion laughs"). The five predefined entities and character references are
  // decoded by `decodeXmlText` below, which cannot expand.
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  removeNSPrefix: true,
  // Keys, ETags and markers are strings, even when they look like numbers ("007", "1e3").
  parseTagValue: false,
  // Keys may begin or end with spaces; trimming would change them.
  trimValues: false,
  isArray: (name) => REPEATED.has(name),
});

const PREDEFINED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/**
 * Decodes the XML 1.0 predefined entities and numeric character references (§4.6, §4.1).
 * Anything else that looks like an entity is left as it is, never looked up.
 */
export function decodeXmlText(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g, (whole, name: string) => {
    if (name[0] !== "#") return PREDEFINED[name] ?? whole;
    const cp = name[1] === "x" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
  });
}

/** Escapes text for an XML element body. */
export function escapeXmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[c]};`);
}

function malformed(message: string, cause?: unknown): StorageError {
  return new StorageError({ code: "Internal", message: `Malformed XML response: ${message}`, cause });
}

/**
 * Parses a response document and returns its root element's name and content. Refuses a
 * document over `maxBytes` (UTF-8) or one with a DOCTYPE (no S3 answer has one, and a DTD is
 * the only way to declare an entity), raising `Internal` — a malformed answer is the server's
 * fault, not the caller's.
 */
export function parseXml(
  text: string,
  maxBytes = XML_MAX_BYTES,
): {
  /** Root element name without a namespace prefix, e.g. `ListBucketResult`. */
  name: string;
  /** The root's children; empty for a root holding only text. */
  root: XmlNode;
} {
  if (Buffer.byteLength(text, "utf8") > maxBytes) throw malformed(`document exceeds ${maxBytes} bytes`);
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) throw malformed("DOCTYPE and entity declarations are refused");
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text, true) as Record<string, unknown>;
  } catch (cause) {
    throw malformed("not well-formed", cause);
  }
  const names = Object.keys(doc).filter((n) => !n.startsWith("?") && n !== "#text");
  if (names.length !== 1) throw malformed("expected exactly one root element");
  const name = names[0]!;
  const root = doc[name];
  return { name, root: typeof root === "object" && root !== null ? (root as XmlNode) : {} };
}

/** The text of child `name` (entities decoded), or `undefined` when absent. */
export function xmlText(node: XmlNode, name: string): string | undefined {
  const v = node[name];
  if (v === undefined) return undefined;
  if (typeof v === "string") return decodeXmlText(v);
  if (Array.isArray(v)) return typeof v[0] === "string" ? decodeXmlText(v[0]) : undefined;
  // An element holding only whitespace around children parses as an object; its text is "".
  return "";
}

/** The child elements named `name`, as nodes (absent → empty). */
export function xmlChildren(node: XmlNode, name: string): XmlNode[] {
  const v = node[name];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((item) => (typeof item === "object" && item !== null ? (item as XmlNode) : { "#text": item }));
}
