/**
 * Conditional requests, the one evaluator (RFC 9110 §13.2.2), used by the adapters, the
 * emulators and the conformance suite's reference model.
 */
import { StorageError } from "./storage-error.js";

/** The four conditions. ETags may be given with or without their double quotes. */
export interface Preconditions {
  /** Proceed only if the current ETag matches one of these (strong comparison); `*` matches any. */
  ifMatch?: string;
  /** Proceed only if the current ETag matches none of these (weak comparison); `*` matches any. */
  ifNoneMatch?: string;
  /** Proceed only if modified after this instant (second precision); ignored when `ifNoneMatch` is given. */
  ifModifiedSince?: Date;
  /** Proceed only if not modified after this instant (second precision); ignored when `ifMatch` is given. */
  ifUnmodifiedSince?: Date;
}

/** What the request does with the target, which decides the status of a failed condition. */
export type PreconditionMode =
  /** GET / HEAD: a matching If-None-Match or a stale If-Modified-Since gives 304. */
  | "read"
  /** Any other method: a matching If-None-Match gives 412; If-Modified-Since is ignored. */
  | "write"
  /**
   * The `x-kss-copy-source-if-*` headers of CopyObject and UploadPartCopy. The seed document
   * gives 412 for if-match and if-unmodified-since, 304 for if-none-match and
   * if-modified-since, which is the read table applied to the source.
   */
  | "copy-source";

/** The result of evaluating the conditions against a current representation. */
export type PreconditionOutcome = "proceed" | "not-modified" | "precondition-failed";

/** What the conditions are checked against. */
export interface PreconditionTarget {
  /** The current ETag, quoted or not. */
  etag: string;
  /** When the target last changed (compared at second precision). */
  lastModified: Date;
}

interface EntityTag {
  weak: boolean;
  opaque: string;
}

/** Adds the double quotes an ETag needs in its HTTP form; `*` and `W/"…"` are left as they are. */
export function quoteEtag(etag: string): string {
  const t = etag.trim();
  if (t === "*" || t.startsWith('"') || t.startsWith("W/")) return t;
  return `"${t}"`;
}

/** Parses an If-Match / If-None-Match list: `*`, or comma-separated (weak or strong) tags. */
function parseEtagList(value: string): "*" | EntityTag[] {
  if (value.trim() === "*") return "*";
  const tags: EntityTag[] = [];
  for (const raw of value.split(",")) {
    if (raw.trim() === "") continue;
    const t = quoteEtag(raw);
    const weak = t.startsWith("W/");
    tags.push({ weak, opaque: weak ? t.slice(2) : t });
  }
  return tags;
}

function toTag(etag: string): EntityTag {
  const t = quoteEtag(etag);
  return t.startsWith("W/") ? { weak: true, opaque: t.slice(2) } : { weak: false, opaque: t };
}

/** RFC 9110 §8.8.3.2: strong comparison needs both tags strong and equal. */
function strongMatch(list: "*" | EntityTag[], current: EntityTag): boolean {
  if (list === "*") return true;
  return !current.weak && list.some((t) => !t.weak && t.opaque === current.opaque);
}

/** Weak comparison: the opaque tags are equal, whatever the weakness. */
function weakMatch(list: "*" | EntityTag[], current: EntityTag): boolean {
  if (list === "*") return true;
  return list.some((t) => t.opaque === current.opaque);
}

/** HTTP dates have one-second resolution, so a stored millisecond timestamp is truncated first. */
function seconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

/**
 * Evaluates the conditions in RFC 9110 §13.2.2 order:
 * 1. If-Match present and false → precondition-failed;
 * 2. else If-Unmodified-Since present and modified since → precondition-failed;
 * 3. If-None-Match present and matching → not-modified (read, copy-source) or precondition-failed (write);
 * 4. else, for read and copy-source, If-Modified-Since present and not modified since → not-modified.
 * An invalid date (`NaN`) is ignored, as the RFC requires for an unparsable HTTP-date.
 */
export function evaluatePreconditions(conditions: Preconditions, target: PreconditionTarget, mode: PreconditionMode): PreconditionOutcome {
  const current = toTag(target.etag);
  const modified = seconds(target.lastModified);

  if (conditions.ifMatch !== undefined) {
    if (!strongMatch(parseEtagList(conditions.ifMatch), current)) return "precondition-failed";
  } else if (conditions.ifUnmodifiedSince !== undefined && !Number.isNaN(conditions.ifUnmodifiedSince.getTime())) {
    if (modified > seconds(conditions.ifUnmodifiedSince)) return "precondition-failed";
  }

  if (conditions.ifNoneMatch !== undefined) {
    if (weakMatch(parseEtagList(conditions.ifNoneMatch), current)) {
      return mode === "write" ? "precondition-failed" : "not-modified";
    }
  } else if (mode !== "write" && conditions.ifModifiedSince !== undefined && !Number.isNaN(conditions.ifModifiedSince.getTime())) {
    if (modified <= seconds(conditions.ifModifiedSince)) return "not-modified";
  }

  return "proceed";
}

/** Whether any of the four conditions is set. */
export function hasPreconditions(conditions: Preconditions): boolean {
  return (
    conditions.ifMatch !== undefined ||
    conditions.ifNoneMatch !== undefined ||
    conditions.ifModifiedSince !== undefined ||
    conditions.ifUnmodifiedSince !== undefined
  );
}

/**
 * Evaluates and raises on failure: `PreconditionFailed` (412) or `NotModified` (304).
 */
export function checkPreconditions(conditions: Preconditions, target: PreconditionTarget, mode: PreconditionMode, context: { operation?: string; key?: string } = {}): void {
  const outcome = evaluatePreconditions(conditions, target, mode);
  if (outcome === "proceed") return;
  const subject = mode === "copy-source" ? "copy source" : "object";
  throw outcome === "not-modified"
    ? new StorageError({ code: "NotModified", httpStatus: 304, message: `The ${subject} was not modified`, ...context })
    : new StorageError({
        code: "PreconditionFailed",
        httpStatus: 412,
        providerCode: "PreconditionFailed",
        message: `At least one of the pre-conditions you specified did not hold for the ${subject}`,
        ...context,
      });
}

/** The conditions of a write (S3 conditional writes, 2024): create only if absent, or replace only one version. */
export interface WriteConditions {
  /** Write only if the current ETag is this one. */
  ifMatch?: string;
  /** `"*"`: write only if the key is absent. */
  ifNoneMatch?: "*";
}

/**
 * Judges a conditional write against what the key holds now (`undefined`: nothing), for the
 * stores that keep their own objects (memory, fs, the emulators' reference model). The caller
 * runs it in the same atomic step as the write it guards, so of two concurrent creators exactly
 * one wins. `ifNoneMatch: "*"` on an existing object and `ifMatch` naming another ETag raise
 * `PreconditionFailed` (412, RFC 9110 §13.1: a write's failed If-Match or matching
 * If-None-Match); `ifMatch` on an absent key raises `NotFound`, as S3 answers 404 NoSuchKey
 * there (User Guide, "Conditional writes": error responses).
 */
export function checkWriteConditions(conditions: WriteConditions, current: PreconditionTarget | undefined, context: { operation?: string; key?: string } = {}): void {
  if (conditions.ifMatch === undefined && conditions.ifNoneMatch === undefined) return;
  if (current === undefined) {
    if (conditions.ifMatch === undefined) return;
    throw new StorageError({ code: "NotFound", httpStatus: 404, providerCode: "NoSuchKey", message: "The object to replace does not exist", ...context });
  }
  checkPreconditions({ ifMatch: conditions.ifMatch, ifNoneMatch: conditions.ifNoneMatch }, current, "write", context);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * Parses an HTTP-date (IMF-fixdate, RFC 850 or asctime, RFC 9110 §5.6.7). Returns `undefined`
 * for anything else, which callers must then ignore. The fields are checked, not handed to
 * `Date.parse`, which would roll `30 Feb` over into March.
 *
 * @param now - the reference for an RFC 850 two-digit year; default: the current time.
 */
export function parseHttpDate(value: string, now: Date = new Date()): Date | undefined {
  const v = value.trim();
  let m = IMF_FIXDATE.exec(v);
  if (m) return utcDate(Number(m[3]), m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = RFC850_DATE.exec(v);
  if (m) {
    // RFC 9110 §5.6.7: a two-digit year "that appears to be more than 50 years in the future"
    // is "the most recent year in the past that had the same last two digits".
    const nowYear = now.getUTCFullYear();
    let year = Math.floor(nowYear / 100) * 100 + Number(m[3]);
    if (year > nowYear + 50) year -= 100;
    return utcDate(year, m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME_DATE.exec(v);
  if (m) return utcDate(Number(m[6]), m[1]!, Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  return undefined;
}

/** A UTC date from checked fields; a leap second (`:60`, allowed by RFC 9110) reads as `:59`. */
function utcDate(year: number, monthName: string, day: number, hour: number, minute: number, second: number): Date | undefined {
  const month = MONTHS.indexOf(monthName);
  if (month < 0 || hour > 23 || minute > 59 || second > 60 || day < 1) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 1 ? (leap ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month]!;
  if (day > daysInMonth) return undefined;
  const date = new Date(Date.UTC(year, month, day, hour, minute, Math.min(second, 59)));
  // Date.UTC maps years 0..99 to 1900..1999; a four-digit HTTP year is meant literally.
  date.setUTCFullYear(year);
  return date;
}

/** Formats a date as an IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. */
export function formatHttpDate(date: Date): string {
  return date.toUTCString();
}
