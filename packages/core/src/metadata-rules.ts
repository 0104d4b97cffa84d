/**
 * Object attribute rules, the one implementation: user metadata and `contentType` are checked
 * here, by the object facade, before any I/O, so every adapter accepts and refuses the same
 * attributes and none of them silently stores something else.
 *
 * Why these rules: on the S3-family providers these attributes travel as HTTP header fields
 * (`x-kss-meta-<name>` / `x-amz-meta-<name>`, `Content-Type`), and a store without headers
 * (memory) must refuse what they refuse rather than accept it:
 * - a metadata name becomes part of a header name. KS3's Java SDK checks it against
 *   `^[-0-9A-Z_a-z]+$` before sending (reference ks3-api.md §5, `Constants.java:44`); an
 *   empty name would leave the bare prefix, and a space, colon, CR or LF would break the header.
 * - header names are case-insensitive, so two names equal ignoring case would reach the
 *   provider as one header and one value would be dropped without a word.
 * - a value, and the content type, become header values: AWS says "user-defined metadata must
 *   be US-ASCII when using REST", and CR, LF or any other control character would end or
 *   corrupt the header (undici refuses it outright). Only printable US-ASCII (0x20–0x7E) is safe.
 * - HTTP removes whitespace around a field value (RFC 9110 §5.5), so a value starting or
 *   ending with a space would come back without it (and KS3's signature covers the untrimmed
 *   content type, so such a request is refused as a bad signature).
 * - the name `__proto__` is a valid header token, but in a plain JavaScript object it is the
 *   prototype accessor: `record["__proto__"] = v` stores nothing, so every record built by
 *   assignment (an adapter's copy, a caller's own code) would drop it without a word. It is
 *   refused, like every other name some store could not keep.
 */
import { describeKey } from "./key-rules.js";
import { StorageError } from "./storage-error.js";

/**
 * The content type every adapter stores for an object written without one: what S3-family
 * providers assume, so a store without headers (memory) reports the same.
 */
export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

/** The attributes of an object a write may set: the option bags of put, copy and multipart create. */
export interface ObjectAttributes {
  /** `Content-Type` of the object. */
  contentType?: unknown;
  /** User metadata, name → value. */
  metadata?: unknown;
}

/** KS3's metadata name rule (Java SDK `Constants.java:44`), which S3 header names also satisfy. */
const METADATA_NAME = /^[-0-9A-Za-z_]+$/;
/** The first character that is not printable US-ASCII. */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/u;

function invalid(message: string): StorageError {
  return new StorageError({ code: "InvalidArgument", message });
}

/**
 * Why `value` cannot be a header value (named `what` in the message), or `undefined` when it
 * can. The value itself is never echoed (it may be large); the offending character is.
 */
function headerValueProblem(value: string, what: string): string | undefined {
  const bad = value.search(NOT_PRINTABLE_ASCII);
  if (bad >= 0) {
    const codePoint = value.codePointAt(bad)!.toString(16).toUpperCase().padStart(4, "0");
    return `${what} must be printable US-ASCII (0x20–0x7E): it holds U+${codePoint} at position ${bad}`;
  }
  if (value.startsWith(" ") || value.endsWith(" ")) {
    return `${what} starts or ends with a space, which HTTP removes from header values`;
  }
  return undefined;
}

function checkMetadata(metadata: unknown, maxBytes: number): void {
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    throw invalid("metadata must be a Record<string, string>");
  }
  const seen = new Map<string, string>();
  let total = 0;
  for (const [name, value] of Object.entries(metadata)) {
    if (name === "") throw invalid("metadata names must not be empty");
    // Header names are case-insensitive and S3-family providers report them lower-case, so
    // `__PROTO__` would come back as `__proto__` too.
    if (name.toLowerCase() === "__proto__") throw invalid(`metadata name ${describeKey(name)} is refused: a JavaScript object cannot hold it as an ordinary entry`);
    if (!METADATA_NAME.test(name)) {
      throw invalid(`metadata name ${describeKey(name)} may contain only ASCII letters, digits, '-' and '_'`);
    }
    const folded = name.toLowerCase();
    const earlier = seen.get(folded);
    if (earlier !== undefined) {
      throw invalid(`metadata names ${describeKey(earlier)} and ${describeKey(name)} differ only in case; header names ignore case, so one would replace the other`);
    }
    seen.set(folded, name);
    if (typeof value !== "string") throw invalid(`metadata ${describeKey(name)} must be a string`);
    const problem = headerValueProblem(value, `metadata ${describeKey(name)}`);
    if (problem !== undefined) throw invalid(problem);
    // All ASCII by now, so length is bytes.
    total += name.length + value.length;
  }
  if (total > maxBytes) throw invalid(`metadata is ${total} bytes (names and values); the limit is ${maxBytes} (metadataMaxBytes)`);
}

/**
 * Checks the attributes a write sets on an object, before any I/O, and raises
 * `InvalidArgument` naming the field when:
 * - `metadata` is not a `Record<string, string>`;
 * - a metadata name is empty or holds anything but ASCII letters, digits, `-` and `_`;
 * - two metadata names are equal ignoring case (`{ Foo, foo }`);
 * - a metadata name is `__proto__` in any case (see the module comment);
 * - a metadata value or `contentType` holds anything but printable US-ASCII (no CR, LF, tab
 *   or other control character, no non-ASCII), or starts or ends with a space;
 * - `contentType` is not a string;
 * - the metadata's names and values together exceed `metadataMaxBytes` bytes (the manifest's
 *   `metadataMaxBytes`; S3 allows 2 KB).
 *
 * Absent fields are fine. See the module comment for why each rule exists.
 */
export function validateObjectAttributes(attributes: ObjectAttributes, metadataMaxBytes: number): void {
  const { contentType, metadata } = attributes;
  if (contentType !== undefined) {
    if (typeof contentType !== "string") throw invalid("contentType must be a string");
    const problem = headerValueProblem(contentType, "contentType");
    if (problem !== undefined) throw invalid(problem);
  }
  if (metadata !== undefined) checkMetadata(metadata, metadataMaxBytes);
}

/**
 * User metadata as a store keeps it: names lower-cased, since they are case-insensitive HTTP
 * header suffixes (the facade has already refused two names equal ignoring case). The record
 * has no prototype, so no name is swallowed by an accessor such as `__proto__`.
 */
export function lowerCaseMetadataNames(metadata: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(metadata ?? {})) out[name.toLowerCase()] = value;
  return out;
}
