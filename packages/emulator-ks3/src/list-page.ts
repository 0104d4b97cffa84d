/**
 * One page of a sorted listing with S3 semantics: only names under `prefix`, strictly after
 * the marker, names sharing a segment up to `delimiter` rolled up into one common prefix, and
 * at most `maxKeys` entries (names and prefixes together).
 */

import { compareUtf8 } from "@stowage/core";
import { Ks3Error } from "./errors.js";

/** What to list. */
export interface ListPageOptions<T> {
  prefix: string;
  delimiter: string | undefined;
  /** The marker as a name: a common prefix not after it was already returned. */
  marker: string | undefined;
  /** Whether an entry comes after the marker (uploads compare key and upload id). */
  isAfterMarker: (entry: T) => boolean;
  maxKeys: number;
}

/** One page. */
export interface ListPage<T> {
  entries: T[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last name or common prefix returned: where the next page starts. */
  nextMarker: string | undefined;
  /** The last entry returned, when the page ended on one. */
  lastEntry: T | undefined;
}

/** Pages through `sorted` (ascending by `nameOf` in UTF-8 byte order, as S3 lists). */
export function listPage<T>(sorted: Iterable<T>, nameOf: (entry: T) => string, options: ListPageOptions<T>): ListPage<T> {
  const page: ListPage<T> = { entries: [], commonPrefixes: [], truncated: false, nextMarker: undefined, lastEntry: undefined };
  let count = 0;
  for (const entry of sorted) {
    const name = nameOf(entry);
    if (!name.startsWith(options.prefix) || !options.isAfterMarker(entry)) continue;
    const cut = options.delimiter ? name.indexOf(options.delimiter, options.prefix.length) : -1;
    const common = cut >= 0 ? name.slice(0, cut + options.delimiter!.length) : undefined;
    if (common !== undefined && ((options.marker !== undefined && compareUtf8(common, options.marker) <= 0) || common === page.commonPrefixes.at(-1))) continue;
    if (count >= options.maxKeys) {
      page.truncated = options.maxKeys > 0;
      break;
    }
    if (common !== undefined) {
      page.commonPrefixes.push(common);
      page.nextMarker = common;
      page.lastEntry = undefined;
    } else {
      page.entries.push(entry);
      page.nextMarker = name;
      page.lastEntry = entry;
    }
    count++;
  }
  return page;
}

/**
 * The `name` parameter (`max-keys`, `max-parts` or `max-uploads`) of `query`: clamped to
 * `max`, and `max` when absent (doc 42288: "Values above 1000 are clamped to 1000"). KS3
 * documents the range as [1,1000] (doc 42288; the Java SDK validates `max-parts` and
 * `max-uploads` the same way), so there 0 is `InvalidArgument`; S3 answers 0 with an empty,
 * untruncated page (s3-tests `test_bucket_list_maxkeys_zero`), hence `zeroAllowed`.
 */
export function readMaxKeys(query: URLSearchParams, name: string, max: number, zeroAllowed: boolean): number {
  const value = query.get(name);
  if (value === null) return max;
  const min = zeroAllowed ? 0 : 1;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new Ks3Error("InvalidArgument", `${name} must be an integer of at least ${min}.`);
  return Math.min(Number(value), max);
}
