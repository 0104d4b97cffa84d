/**
 * Byte ranges, the one implementation: the adapters, the emulators and the conformance
 * suite's reference model all call these functions (RFC 9110 §14).
 */
import { StorageError } from "./storage-error.js";

/**
 * One byte range as a caller asks for it:
 * - `{ first, last }`: `bytes=first-last`, inclusive; a `last` past the end is clamped;
 * - `{ first }`: `bytes=first-`, from `first` to the end;
 * - `{ suffix }`: `bytes=-suffix`, the last `suffix` bytes (all of them if the object is shorter).
 */
export type ByteRangeSpec =
  | {
      /** First byte, 0-based. */
      first: number;
      /** Last byte, inclusive, ≥ `first`; past the end is clamped; absent: to the end. */
      last?: number;
    }
  | {
      /** How many bytes to take from the end; 0 is unsatisfiable. */
      suffix: number;
    };

/** A copy-source range: `bytes=first-last`, both required, 0-based, inclusive, inside the source. */
export interface CopySourceRange {
  /** First byte copied, 0-based. */
  first: number;
  /** Last byte copied, inclusive. */
  last: number;
}

/** A range resolved against an object: `start..end` inclusive, within `size`. */
export interface ResolvedRange {
  /** First byte, 0-based. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
  /** Size of the whole object. */
  size: number;
}

const RANGE_UNIT = "bytes=";
const DIGITS = /^\d+$/;

/**
 * A position from a header. RFC 9110 puts no bound on the digits (clients send e.g.
 * `bytes=0-18446744073709551615` for "to the end"); beyond 2^53 a number loses precision, so
 * it is capped there, which changes no outcome: no object is that large.
 */
function position(digits: string): number {
  return Math.min(Number(digits), Number.MAX_SAFE_INTEGER);
}

function isNonNegativeInteger(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
}

/**
 * Checks a {@link ByteRangeSpec} built by a caller (not parsed from a header).
 * Raises `InvalidArgument` for a negative or fractional bound or `last < first`, which no
 * header could express either.
 */
export function assertByteRangeSpec(spec: unknown): asserts spec is ByteRangeSpec {
  const s = spec as Record<string, unknown> | null;
  const ok =
    typeof s === "object" &&
    s !== null &&
    ("suffix" in s
      ? isNonNegativeInteger(s.suffix) && !("first" in s)
      : isNonNegativeInteger(s.first) && (s.last === undefined || (isNonNegativeInteger(s.last) && s.last >= s.first)));
  if (!ok) {
    throw new StorageError({
      code: "InvalidArgument",
      message: "range must be { first, last? } with 0 ≤ first ≤ last, or { suffix } with suffix ≥ 0",
    });
  }
}

/**
 * Parses a `Range` header value. Returns the ranges in request order (several for a
 * multi-range request), or `undefined` when the value is not a valid `bytes` range set, in
 * which case RFC 9110 §14.2 lets a server ignore the header and answer 200 with the whole object.
 */
export function parseRangeHeader(value: string): ByteRangeSpec[] | undefined {
  const trimmed = value.trim();
  if (!trimmed.toLowerCase().startsWith(RANGE_UNIT)) return undefined;
  const specs: ByteRangeSpec[] = [];
  for (const raw of trimmed.slice(RANGE_UNIT.length).split(",")) {
    const part = raw.trim();
    const dash = part.indexOf("-");
    if (dash < 0) return undefined;
    const a = part.slice(0, dash).trim();
    const b = part.slice(dash + 1).trim();
    if (a === "") {
      if (!DIGITS.test(b)) return undefined;
      specs.push({ suffix: position(b) });
    } else {
      if (!DIGITS.test(a) || (b !== "" && !DIGITS.test(b))) return undefined;
      const first = position(a);
      if (b === "") {
        specs.push({ first });
      } else {
        const last = position(b);
        // RFC 9110 §14.1.1: a range whose last-pos is less than its first-pos is invalid.
        if (last < first) return undefined;
        specs.push({ first, last });
      }
    }
  }
  return specs.length > 0 ? specs : undefined;
}

/** Formats one range as a `Range` header value. */
export function formatRangeHeader(spec: ByteRangeSpec): string {
  if ("suffix" in spec) return `${RANGE_UNIT}-${spec.suffix}`;
  return `${RANGE_UNIT}${spec.first}-${spec.last ?? ""}`;
}

/** The error for an unsatisfiable range: 416 with `Content-Range: bytes *\/size`. */
export function unsatisfiableRange(size: number, detail: string): StorageError {
  return new StorageError({
    code: "InvalidRange",
    httpStatus: 416,
    providerCode: "InvalidRange",
    message: `The requested range is not satisfiable (${detail}; object size ${size})`,
    objectSize: size,
  });
}

/**
 * Resolves a range against an object of `size` bytes (RFC 9110 §14.1.2):
 * `last` past the end is clamped; a suffix longer than the object selects all of it.
 * Raises `InvalidRange` when `first ≥ size`, for a suffix of 0, and for any range of an
 * empty object.
 */
export function resolveRange(spec: ByteRangeSpec, size: number): ResolvedRange {
  if (size === 0) throw unsatisfiableRange(size, "the object is empty");
  if ("suffix" in spec) {
    if (spec.suffix === 0) throw unsatisfiableRange(size, "suffix length 0");
    return { start: Math.max(0, size - spec.suffix), end: size - 1, size };
  }
  if (spec.first >= size) throw unsatisfiableRange(size, `first byte ${spec.first}`);
  const end = spec.last === undefined ? size - 1 : Math.min(spec.last, size - 1);
  return { start: spec.first, end, size };
}

/** Bytes in a resolved range. */
export function rangeLength(range: ResolvedRange): number {
  return range.end - range.start + 1;
}

/** `Content-Range` of a 206 answer: `bytes start-end/size`. */
export function formatContentRange(range: ResolvedRange): string {
  return `bytes ${range.start}-${range.end}/${range.size}`;
}

/** `Content-Range` of a 416 answer: `bytes *\/size`. */
export function formatUnsatisfiedContentRange(size: number): string {
  return `bytes */${size}`;
}

/**
 * Parses a `Content-Range` header: a {@link ResolvedRange}, `{ unsatisfied: true, size }` for
 * `bytes *\/size`, or `undefined` when malformed (including an unknown size `*`).
 */
export function parseContentRange(
  value: string,
): ResolvedRange | {
  /** Marks the `bytes *\/size` form of a 416 answer. */
  unsatisfied: true;
  /** Size of the whole object. */
  size: number;
} | undefined {
  const m = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+)$/i.exec(value.trim());
  if (!m) return undefined;
  const size = Number(m[3]);
  if (m[1] === undefined || m[2] === undefined) return { unsatisfied: true, size };
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start || end >= size) return undefined;
  return { start, end, size };
}

/**
 * Parses `x-kss-copy-source-range` / `x-amz-copy-source-range`. Only `bytes=first-last` is
 * allowed (seed UploadPartCopy: "Range setting must use bytes=first-last"); `bytes=5-`,
 * `bytes=-5`, `bytes=9-3` and anything else raise `InvalidArgument`.
 */
export function parseCopySourceRange(value: string): CopySourceRange {
  const m = /^bytes=(\d+)-(\d+)$/.exec(value.trim());
  const first = m ? Number(m[1]) : NaN;
  const last = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(first) || !Number.isSafeInteger(last) || last < first) {
    throw new StorageError({
      code: "InvalidArgument",
      httpStatus: 400,
      providerCode: "InvalidArgument",
      message: "The copy-source range must be of the form bytes=first-last, with first ≤ last",
    });
  }
  return { first, last };
}

/** Formats a copy-source range header value. */
export function formatCopySourceRange(range: CopySourceRange): string {
  return `${RANGE_UNIT}${range.first}-${range.last}`;
}

/**
 * Checks a copy-source range built by a caller: integers with `0 ≤ first ≤ last`, else
 * `InvalidArgument`.
 */
export function assertCopySourceRange(range: unknown): asserts range is CopySourceRange {
  const r = range as Record<string, unknown> | null;
  if (typeof r !== "object" || r === null || !isNonNegativeInteger(r.first) || !isNonNegativeInteger(r.last) || r.last < r.first) {
    throw new StorageError({
      code: "InvalidArgument",
      message: "copy-source range must be { first, last } with 0 ≤ first ≤ last",
    });
  }
}

/**
 * Resolves a copy-source range against the source's size: the range must lie inside the
 * source (`last < size`), else `InvalidRange` (416). No clamping: unlike a read, a copy that
 * silently copied fewer bytes than asked would corrupt the assembled object.
 */
export function resolveCopySourceRange(range: CopySourceRange, size: number): ResolvedRange {
  if (range.last >= size) throw unsatisfiableRange(size, `copy-source range ${range.first}-${range.last}`);
  return { start: range.first, end: range.last, size };
}
