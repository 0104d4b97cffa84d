import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkPreconditions,
  checkWriteConditions,
  evaluatePreconditions,
  formatHttpDate,
  hasPreconditions,
  parseHttpDate,
  quoteEtag,
  type PreconditionMode,
  type PreconditionOutcome,
  type Preconditions,
} from "./preconditions.js";
import { isStorageError } from "./storage-error.js";

/** An entity tag as the model sees it: structured, never parsed from a string. */
interface Tag {
  weak: boolean;
  opaque: string;
}

/** How a test renders a tag on the wire: weak tags always quoted, strong ones with or without quotes. */
function render(tag: Tag, quoted: boolean): string {
  if (tag.weak) return `W/"${tag.opaque}"`;
  return quoted ? `"${tag.opaque}"` : tag.opaque;
}

/**
 * RFC 9110 §13.2.2 as a reference model, written from the RFC's text:
 * 1. If-Match present: false when no listed tag strongly matches (unless `*`) → 412.
 * 2. Else If-Unmodified-Since (valid date) present: false when modified after it → 412.
 * 3. If-None-Match present: false when some listed tag weakly matches (or `*`) → 304 for GET/HEAD
 *    (and the seed's copy-source table), 412 otherwise.
 * 4. Else If-Modified-Since (valid date) present, GET/HEAD only: false when not modified after it → 304.
 * HTTP dates carry whole seconds (§5.6.7), so both sides compare at second precision.
 */
function model(
  c: { ifMatch?: Tag[] | "*"; ifNoneMatch?: Tag[] | "*"; ims?: Date; ius?: Date },
  current: Tag,
  lastModified: Date,
  mode: PreconditionMode,
): PreconditionOutcome {
  const sec = (d: Date) => Math.floor(d.getTime() / 1000);
  const valid = (d: Date | undefined): d is Date => d !== undefined && !Number.isNaN(d.getTime());
  const strongEq = (a: Tag) => !a.weak && !current.weak && a.opaque === current.opaque;
  const weakEq = (a: Tag) => a.opaque === current.opaque;
  if (c.ifMatch !== undefined) {
    const holds = c.ifMatch === "*" || c.ifMatch.some(strongEq);
    if (!holds) return "precondition-failed";
  } else if (valid(c.ius)) {
    if (sec(lastModified) > sec(c.ius)) return "precondition-failed";
  }
  if (c.ifNoneMatch !== undefined) {
    const matched = c.ifNoneMatch === "*" || c.ifNoneMatch.some(weakEq);
    if (matched) return mode === "write" ? "precondition-failed" : "not-modified";
  } else if (mode !== "write" && valid(c.ims)) {
    if (sec(lastModified) <= sec(c.ims)) return "not-modified";
  }
  return "proceed";
}

const opaqueArb = fc.constantFrom("a", "b", "abc-2", "0f3d");
const tagArb: fc.Arbitrary<Tag> = fc.record({ weak: fc.boolean(), opaque: opaqueArb });
const listArb: fc.Arbitrary<Tag[] | "*"> = fc.oneof(fc.constant("*" as const), fc.array(tagArb, { minLength: 1, maxLength: 3 }));
const BASE = Date.UTC(2026, 0, 1, 12, 0, 0);
/** Instants within a few seconds of each other, with millisecond parts, so second truncation matters. */
const instantArb = fc.integer({ min: -4000, max: 4000 }).map((ms) => new Date(BASE + ms));
const conditionDateArb = fc.oneof({ weight: 6, arbitrary: instantArb }, { weight: 1, arbitrary: fc.constant(new Date(NaN)) });
const modeArb = fc.constantFrom<PreconditionMode>("read", "write", "copy-source");

function renderList(list: Tag[] | "*", quoted: boolean[]): string {
  if (list === "*") return "*";
  return list.map((t, i) => render(t, quoted[i % quoted.length] ?? true)).join(", ");
}

describe("evaluatePreconditions", () => {
  it("evaluatePreconditions() agrees with the RFC 9110 §13.2.2 model for every combination of the four conditions in the three modes", () => {
    fc.assert(
      fc.property(
        fc.record(
          { ifMatch: listArb, ifNoneMatch: listArb, ims: conditionDateArb, ius: conditionDateArb },
          { requiredKeys: [] },
        ),
        tagArb,
        instantArb,
        modeArb,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (c, current, lastModified, mode, quoted, currentQuoted) => {
          const conditions: Preconditions = {};
          if (c.ifMatch !== undefined) conditions.ifMatch = renderList(c.ifMatch, quoted);
          if (c.ifNoneMatch !== undefined) conditions.ifNoneMatch = renderList(c.ifNoneMatch, quoted);
          if (c.ims !== undefined) conditions.ifModifiedSince = c.ims;
          if (c.ius !== undefined) conditions.ifUnmodifiedSince = c.ius;
          const target = { etag: render(current, currentQuoted), lastModified };
          expect(evaluatePreconditions(conditions, target, mode)).toBe(model(c, current, lastModified, mode));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("evaluatePreconditions() with If-Match uses strong comparison: a weak tag never matches", () => {
    const lastModified = new Date(BASE);
    expect(evaluatePreconditions({ ifMatch: 'W/"a"' }, { etag: '"a"', lastModified }, "read")).toBe("precondition-failed");
    expect(evaluatePreconditions({ ifMatch: '"a"' }, { etag: 'W/"a"', lastModified }, "read")).toBe("precondition-failed");
    expect(evaluatePreconditions({ ifMatch: '"a"' }, { etag: "a", lastModified }, "read")).toBe("proceed");
  });

  it("evaluatePreconditions() with If-None-Match uses weak comparison: a weak tag matches its strong twin", () => {
    const lastModified = new Date(BASE);
    expect(evaluatePreconditions({ ifNoneMatch: 'W/"a"' }, { etag: '"a"', lastModified }, "read")).toBe("not-modified");
    expect(evaluatePreconditions({ ifNoneMatch: 'W/"a"' }, { etag: '"a"', lastModified }, "write")).toBe("precondition-failed");
    expect(evaluatePreconditions({ ifNoneMatch: '"b"' }, { etag: '"a"', lastModified }, "read")).toBe("proceed");
  });

  it("evaluatePreconditions() with * matches any current ETag", () => {
    const target = { etag: '"x"', lastModified: new Date(BASE) };
    expect(evaluatePreconditions({ ifMatch: "*" }, target, "write")).toBe("proceed");
    expect(evaluatePreconditions({ ifNoneMatch: "*" }, target, "write")).toBe("precondition-failed");
  });

  it("evaluatePreconditions() compares dates at second precision (a write 500 ms after the date is not a modification)", () => {
    const since = new Date(BASE);
    const target = { etag: '"a"', lastModified: new Date(BASE + 500) };
    expect(evaluatePreconditions({ ifModifiedSince: since }, target, "read")).toBe("not-modified");
    expect(evaluatePreconditions({ ifUnmodifiedSince: since }, target, "write")).toBe("proceed");
    expect(evaluatePreconditions({ ifModifiedSince: since }, { ...target, lastModified: new Date(BASE + 1000) }, "read")).toBe("proceed");
  });

  it("evaluatePreconditions() in write mode ignores If-Modified-Since", () => {
    const target = { etag: '"a"', lastModified: new Date(BASE) };
    expect(evaluatePreconditions({ ifModifiedSince: new Date(BASE + 10_000) }, target, "write")).toBe("proceed");
  });
});

describe("checkPreconditions", () => {
  it("checkPreconditions() raises PreconditionFailed (412) and NotModified (304) with the given operation and key", () => {
    const target = { etag: '"a"', lastModified: new Date(BASE) };
    try {
      checkPreconditions({ ifMatch: '"b"' }, target, "copy-source", { operation: "uploadPartCopy", key: "k" });
      expect.fail("expected PreconditionFailed");
    } catch (err) {
      expect(isStorageError(err, "PreconditionFailed")).toBe(true);
      expect(err).toMatchObject({ httpStatus: 412, operation: "uploadPartCopy", key: "k" });
    }
    try {
      checkPreconditions({ ifNoneMatch: '"a"' }, target, "copy-source");
      expect.fail("expected NotModified");
    } catch (err) {
      expect(isStorageError(err, "NotModified")).toBe(true);
      expect(err).toMatchObject({ httpStatus: 304 });
    }
    expect(() => checkPreconditions({ ifMatch: '"a"' }, target, "read")).not.toThrow();
  });

  it("hasPreconditions() is true exactly when one of the four conditions is set", () => {
    expect(hasPreconditions({})).toBe(false);
    expect(hasPreconditions({ ifMatch: "*" })).toBe(true);
    expect(hasPreconditions({ ifUnmodifiedSince: new Date(0) })).toBe(true);
  });

  it("quoteEtag() quotes a bare ETag and leaves quoted, weak and * ones alone", () => {
    expect(quoteEtag("abc")).toBe('"abc"');
    expect(quoteEtag('"abc"')).toBe('"abc"');
    expect(quoteEtag('W/"abc"')).toBe('W/"abc"');
    expect(quoteEtag("*")).toBe("*");
  });
});

describe("HTTP dates", () => {
  const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (n: number) => String(n).padStart(2, "0");
  const time = (d: Date) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const rfc850 = (d: Date) =>
    `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${pad(d.getUTCFullYear() % 100)} ${time(d)} GMT`;
  const asctime = (d: Date) =>
    `${DAYS[d.getUTCDay()]!.slice(0, 3)} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${time(d)} ${d.getUTCFullYear()}`;
  const truncated = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);
  const NOW = new Date(Date.UTC(2026, 5, 15));
  const dateArb = fc.date({ min: new Date(Date.UTC(1977, 0, 1)), max: new Date(Date.UTC(2075, 11, 31)), noInvalidDate: true });

  it("parseHttpDate() reads all three formats back to the instant truncated to the second", () => {
    fc.assert(
      fc.property(dateArb, (d) => {
        expect(parseHttpDate(formatHttpDate(d), NOW)).toEqual(truncated(d));
        expect(parseHttpDate(rfc850(d), NOW)).toEqual(truncated(d));
        expect(parseHttpDate(asctime(d), NOW)).toEqual(truncated(d));
      }),
    );
  });

  it("parseHttpDate() reads the RFC 9110 examples as the same instant", () => {
    const expected = new Date(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT")).toEqual(expected);
    expect(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).toEqual(expected);
    expect(parseHttpDate("Sun Nov  6 08:49:37 1994")).toEqual(expected);
  });

  it("parseHttpDate() puts a two-digit year more than 50 years ahead in the previous century", () => {
    expect(parseHttpDate("Thursday, 01-Jan-76 00:00:00 GMT", NOW)?.getUTCFullYear()).toBe(2076);
    expect(parseHttpDate("Friday, 01-Jan-77 00:00:00 GMT", NOW)?.getUTCFullYear()).toBe(1977);
  });

  it.each([
    "Mon, 30 Feb 2026 00:00:00 GMT",
    "Sun, 06 Nov 1994 24:00:00 GMT",
    "Sun, 06 Nov 1994 08:60:00 GMT",
    "Sun, 06 Nov 1994 08:49:37 UTC",
    "Sun, 6 Nov 1994 08:49:37 GMT",
    "06 Nov 1994 08:49:37 GMT",
    "2026-01-01T00:00:00Z",
    "",
  ])("parseHttpDate(%j) returns undefined", (value) => {
    expect(parseHttpDate(value, NOW)).toBeUndefined();
  });

  it("parseHttpDate() reads a leap second :60 as :59 of the same minute", () => {
    expect(parseHttpDate("Wed, 31 Dec 2016 23:59:60 GMT")).toEqual(new Date(Date.UTC(2016, 11, 31, 23, 59, 59)));
  });
});

describe("checkWriteConditions()", () => {
  const current = { etag: '"abc"', lastModified: new Date(0) };
  const codeOf = (fn: () => void): string | undefined => {
    try {
      fn();
      return undefined;
    } catch (err) {
      return (err as { code?: string }).code;
    }
  };

  it.each([
    ['ifNoneMatch "*" on an absent key proceeds', { ifNoneMatch: "*" as const }, undefined, undefined],
    ['ifNoneMatch "*" on an existing key rejects PreconditionFailed', { ifNoneMatch: "*" as const }, current, "PreconditionFailed"],
    ["ifMatch with the current ETag proceeds (quotes optional)", { ifMatch: "abc" }, current, undefined],
    ["ifMatch with another ETag rejects PreconditionFailed", { ifMatch: '"other"' }, current, "PreconditionFailed"],
    ["ifMatch on an absent key rejects NotFound (S3: 404 NoSuchKey)", { ifMatch: '"abc"' }, undefined, "NotFound"],
    ["no condition proceeds whatever the key holds", {}, current, undefined],
  ])("%s", (_what, conditions, target, code) => {
    expect(codeOf(() => checkWriteConditions(conditions, target, { operation: "putObject", key: "k" }))).toBe(code);
  });
});
