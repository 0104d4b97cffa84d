/**
 * Reading request headers with KS3's two prefixes: `x-amz-X` is accepted as an alias of
 * `x-kss-X` (`ks3-api.md` §1.2: the official aws-sdk-go fork sends `x-amz-*` to KS3).
 */
import type { IncomingHttpHeaders } from "node:http";

/** Request headers with lower-case names and single values. */
export class RequestHeaders {
  /** Every header, lower-case name → value (repeated headers joined as Node joins them). */
  readonly all: Readonly<Record<string, string>>;

  constructor(raw: IncomingHttpHeaders) {
    const all: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw)) {
      if (value === undefined) continue;
      all[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
    }
    this.all = all;
  }

  /** A plain header such as `content-type` or `range`. */
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
