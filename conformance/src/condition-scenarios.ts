/**
 * The four conditions alone and in the RFC 9110 §13.2.2 combinations, as one table. The same
 * table drives conditional GET and HEAD and the copy-source conditions of copyObject and
 * uploadPartCopy: the seed document gives copy sources the read outcomes (412 for if-match and
 * if-unmodified-since, 304 for if-none-match and if-modified-since).
 */
import type { Preconditions } from "@stowage/core";
import { shiftSeconds } from "./case-data.js";
import { RFC_CONDITION, RFC_PRECONDITIONS } from "./sources.js";

/** What the request must do. */
export type ConditionOutcome = "proceed" | "PreconditionFailed" | "NotModified";

/** The target's current validators. */
export interface ConditionTarget {
  etag: string;
  lastModified: Date;
}

/** One row of the table. */
export interface ConditionScenario {
  /** The id suffix, e.g. `if-match-fails`. */
  slug: string;
  /** What the conditions are, in words. */
  given: string;
  conditions(target: ConditionTarget): Preconditions;
  expected: ConditionOutcome;
  source: string;
}

const OTHER_ETAG = '"00000000000000000000000000000bad"';
const DAY = 86_400;
const unquoted = (etag: string): string => etag.replace(/^"|"$/g, "");
const earlier = (t: ConditionTarget): Date => shiftSeconds(t.lastModified, -DAY);
const same = (t: ConditionTarget): Date => shiftSeconds(t.lastModified, 0);
const later = (t: ConditionTarget): Date => shiftSeconds(t.lastModified, DAY);

const IF_MATCH = RFC_CONDITION("13.1.1", "If-Match");
const IF_NONE_MATCH = RFC_CONDITION("13.1.2", "If-None-Match");
const IF_MODIFIED_SINCE = RFC_CONDITION("13.1.3", "If-Modified-Since");
const IF_UNMODIFIED_SINCE = RFC_CONDITION("13.1.4", "If-Unmodified-Since");

/** Every scenario, single conditions first. */
export const CONDITION_SCENARIOS: readonly ConditionScenario[] = [
  { slug: "if-match-passes", given: "If-Match with the current ETag", conditions: (t) => ({ ifMatch: t.etag }), expected: "proceed", source: IF_MATCH },
  { slug: "if-match-fails", given: "If-Match with another ETag", conditions: () => ({ ifMatch: OTHER_ETAG }), expected: "PreconditionFailed", source: IF_MATCH },
  { slug: "if-match-star-passes", given: "If-Match: *", conditions: () => ({ ifMatch: "*" }), expected: "proceed", source: IF_MATCH },
  { slug: "if-match-unquoted-passes", given: "If-Match with the current ETag without its quotes", conditions: (t) => ({ ifMatch: unquoted(t.etag) }), expected: "proceed", source: IF_MATCH },
  { slug: "if-none-match-passes", given: "If-None-Match with another ETag", conditions: () => ({ ifNoneMatch: OTHER_ETAG }), expected: "proceed", source: IF_NONE_MATCH },
  { slug: "if-none-match-fails", given: "If-None-Match with the current ETag", conditions: (t) => ({ ifNoneMatch: t.etag }), expected: "NotModified", source: IF_NONE_MATCH },
  { slug: "if-none-match-star-fails", given: "If-None-Match: *", conditions: () => ({ ifNoneMatch: "*" }), expected: "NotModified", source: IF_NONE_MATCH },
  { slug: "if-modified-since-passes", given: "If-Modified-Since a day before Last-Modified", conditions: (t) => ({ ifModifiedSince: earlier(t) }), expected: "proceed", source: IF_MODIFIED_SINCE },
  { slug: "if-modified-since-fails", given: "If-Modified-Since equal to Last-Modified", conditions: (t) => ({ ifModifiedSince: same(t) }), expected: "NotModified", source: IF_MODIFIED_SINCE },
  { slug: "if-modified-since-future-fails", given: "If-Modified-Since a day after Last-Modified", conditions: (t) => ({ ifModifiedSince: later(t) }), expected: "NotModified", source: IF_MODIFIED_SINCE },
  { slug: "if-unmodified-since-passes", given: "If-Unmodified-Since equal to Last-Modified", conditions: (t) => ({ ifUnmodifiedSince: same(t) }), expected: "proceed", source: IF_UNMODIFIED_SINCE },
  { slug: "if-unmodified-since-fails", given: "If-Unmodified-Since a day before Last-Modified", conditions: (t) => ({ ifUnmodifiedSince: earlier(t) }), expected: "PreconditionFailed", source: IF_UNMODIFIED_SINCE },
  {
    slug: "if-match-passes-overrides-if-unmodified-since",
    given: "If-Match passing and If-Unmodified-Since failing (If-Unmodified-Since is ignored when If-Match is present)",
    conditions: (t) => ({ ifMatch: t.etag, ifUnmodifiedSince: earlier(t) }),
    expected: "proceed",
    source: RFC_PRECONDITIONS,
  },
  {
    slug: "if-match-fails-with-if-unmodified-since-passing",
    given: "If-Match failing and If-Unmodified-Since passing",
    conditions: (t) => ({ ifMatch: OTHER_ETAG, ifUnmodifiedSince: later(t) }),
    expected: "PreconditionFailed",
    source: RFC_PRECONDITIONS,
  },
  {
    slug: "if-none-match-passes-overrides-if-modified-since",
    given: "If-None-Match passing and If-Modified-Since failing (If-Modified-Since is ignored when If-None-Match is present)",
    conditions: (t) => ({ ifNoneMatch: OTHER_ETAG, ifModifiedSince: same(t) }),
    expected: "proceed",
    source: RFC_PRECONDITIONS,
  },
  {
    slug: "if-none-match-fails-with-if-modified-since-passing",
    given: "If-None-Match failing and If-Modified-Since passing",
    conditions: (t) => ({ ifNoneMatch: t.etag, ifModifiedSince: earlier(t) }),
    expected: "NotModified",
    source: RFC_PRECONDITIONS,
  },
  {
    slug: "if-match-passes-and-if-none-match-fails",
    given: "If-Match passing and If-None-Match failing",
    conditions: (t) => ({ ifMatch: t.etag, ifNoneMatch: t.etag }),
    expected: "NotModified",
    source: RFC_PRECONDITIONS,
  },
  {
    slug: "if-match-fails-and-if-none-match-fails",
    given: "If-Match failing and If-None-Match failing (412 is evaluated first)",
    conditions: (t) => ({ ifMatch: OTHER_ETAG, ifNoneMatch: t.etag }),
    expected: "PreconditionFailed",
    source: RFC_PRECONDITIONS,
  },
  {
    slug: "if-unmodified-since-fails-and-if-modified-since-fails",
    given: "If-Unmodified-Since failing and If-Modified-Since failing (412 is evaluated first)",
    conditions: (t) => ({ ifUnmodifiedSince: earlier(t), ifModifiedSince: same(t) }),
    expected: "PreconditionFailed",
    source: RFC_PRECONDITIONS,
  },
  {
    slug: "if-unmodified-since-passes-and-if-modified-since-fails",
    given: "If-Unmodified-Since passing and If-Modified-Since failing",
    conditions: (t) => ({ ifUnmodifiedSince: same(t), ifModifiedSince: same(t) }),
    expected: "NotModified",
    source: RFC_PRECONDITIONS,
  },
  {
    slug: "all-four-pass",
    given: "all four conditions passing",
    conditions: (t) => ({ ifMatch: t.etag, ifUnmodifiedSince: later(t), ifNoneMatch: OTHER_ETAG, ifModifiedSince: earlier(t) }),
    expected: "proceed",
    source: RFC_PRECONDITIONS,
  },
];

/** How an outcome reads in a rule. */
export function describeOutcome(outcome: ConditionOutcome, proceedsTo: string): string {
  return outcome === "proceed" ? proceedsTo : `rejects ${outcome}`;
}
