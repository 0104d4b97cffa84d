/**
 * The `Range` header of GetObject as each profile reads it. Parsing and resolving are core's
 * (`parseRangeHeader`, `resolveRange`); this file only decides what a header core cannot
 * parse means, which is where KS3 and S3 differ (`ks3-api.md` §4.2, §7 #9–#11).
 */
import { formatUnsatisfiedContentRange, parseRangeHeader, resolveRange, type ByteRangeSpec, type ResolvedRange } from "@stowage/core";
import { Ks3Error, toKs3Error } from "./errors.js";

function unsatisfiable(size: number, message?: string): Ks3Error {
  return new Ks3Error("InvalidRange", message, { "content-range": formatUnsatisfiedContentRange(size) });
}

/**
 * The range to answer with, or `undefined` for the whole object (200).
 *
 * `strict` (KS3, doc 42821): `bytes=` (empty) → whole object; `bytes=-1-300` → bytes 0–300
 * ("lenient"); several ranges, a wrong unit, `first > last` or any other malformed value →
 * 416 InvalidRange. Otherwise (S3, RFC 9110 §14.2) a header that is not one valid range is
 * ignored.
 */
export function resolveGetRange(value: string, size: number, strict: boolean): ResolvedRange | undefined {
  const trimmed = value.trim();
  let specs: ByteRangeSpec[] | undefined = parseRangeHeader(trimmed);
  if (strict) {
    if (trimmed === "bytes=") return undefined;
    if (specs === undefined) {
      const lenient = /^bytes=-\d+-(\d+)$/.exec(trimmed);
      if (!lenient) throw unsatisfiable(size, "KS3 does not support this Range value.");
      specs = [{ first: 0, last: Number(lenient[1]) }];
    }
    if (specs.length > 1) throw unsatisfiable(size, "KS3 does not support multiple ranges.");
  } else if (specs === undefined || specs.length !== 1) {
    return undefined;
  }
  try {
    return resolveRange(specs[0]!, size);
  } catch (err) {
    const ks3 = toKs3Error(err);
    throw ks3.code === "InvalidRange" ? unsatisfiable(size) : ks3;
  }
}
