/**
 * Reading request headers with KS3's two prefixes: `x-amz-X` is accepted as an alias of
 * `x-kss-X` (`ks3-api.md` §1.2: the official aws-sdk-go fork sends `x-amz-*` to KS3) — but
 * only under a prefix the request's signature covers, so a header added after signing has no
 * effect (see {@link RequestHeaders.coveredBy}).
 */
import type { IncomingHttpHeaders } from "node:http";
import type { V2HeaderPrefix } from "@stowage/adapter-s3-family";

/** The two vendor header prefixes: the s3-family's V2 header prefixes. */
export type HeaderPrefix = V2HeaderPrefix;

const VENDOR_PREFIXES: readonly HeaderPrefix[] = ["x-kss-", "x-amz-"];

/** The vendor prefix a lower-case header name starts with, if any. */
export function vendorPrefixOf(name: string): HeaderPrefix | undefined {
  return VENDOR_PREFIXES.find((prefix) => name.startsWith(prefix));
}

/** Request headers with lower-case names and single values. */
export class RequestHeaders {
  /** Every readable header, lower-case name → value (repeated headers joined as Node joins them). */
  readonly all: Readonly<Record<string, string>>;

  private constructor(all: Record<string, string>) {
    this.all = all;
  }

  /** Every header of a request as received, before anything is known about its signature. */
  static fromRequest(raw: IncomingHttpHeaders): RequestHeaders {
    const all: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw)) {
      if (value === undefined) continue;
      all[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
    }
    return new RequestHeaders(all);
  }

  /**
   * The headers a signature covering `prefixes` vouches for: vendor headers under any other
   * prefix are dropped, plain headers (`content-type`, `range`, …) stay. A V2 signature
   * canonicalizes one prefix only (`ks3-api.md` §2.1), so under `KSS AK:sig` an `x-amz-*`
   * header could have been added by anyone; the operations must not see it.
   */
  coveredBy(prefixes: readonly HeaderPrefix[]): RequestHeaders {
    const all: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.all)) {
      const prefix = vendorPrefixOf(name);
      if (prefix === undefined || prefixes.includes(prefix)) all[name] = value;
    }
    return new RequestHeaders(all);
  }

  /** A header by its lower-case name, such as `content-type` or `range`. */
  get(name: string): string | undefined {
    return this.all[name];
  }

  /** `x-kss-<suffix>`, else `x-amz-<suffix>`. */
  prefixed(suffix: string): string | undefined {
    return this.all[`x-kss-${suffix}`] ?? this.all[`x-amz-${suffix}`];
  }

  /** User metadata from `x-kss-meta-*` and `x-amz-meta-*`: lower-case names without the prefix. */
  userMetadata(): Record<string, string> {
    const meta: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.all)) {
      const m = /^x-(?:kss|amz)-meta-(.+)$/.exec(name);
      if (m) meta[m[1]!] = value;
    }
    return meta;
  }
}
