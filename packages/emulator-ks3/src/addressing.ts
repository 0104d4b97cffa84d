/**
 * Which bucket and key a request names: virtual-host style (`Host: {bucket}.{endpoint}`, the
 * form every KS3 doc page uses) or path style (`/{bucket}/{key}`), `ks3-api.md` §1.1.
 */
import { Ks3Error } from "./errors.js";

/** The target of a request. */
export interface Address {
  /** Absent for the service (ListBuckets). */
  bucket?: string;
  /** Absent for a bucket-level request. */
  key?: string;
  /**
   * The V2 canonical resource: `/bucket/key` with the key exactly as encoded on the request
   * line (`ks3-api.md` §2.1), `/bucket/` for a bucket, `/` for the service.
   */
  resource: string;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new Ks3Error("InvalidArgument", "The request path is not valid percent-encoded UTF-8.");
  }
}

/**
 * Resolves a request's bucket and key. `host` is the Host header; a host that ends in
 * `.{base}` for one of `virtualHostBases` (e.g. `127.0.0.1`, `localhost`) names the bucket;
 * anything else is path style. `rawPath` is the request-line path, still encoded.
 */
export function resolveAddress(host: string | undefined, rawPath: string, virtualHostBases: readonly string[]): Address {
  const hostname = (host ?? "").replace(/:\d+$/, "").toLowerCase();
  const base = virtualHostBases.find((b) => hostname.endsWith(`.${b}`));
  if (base !== undefined) {
    const bucket = hostname.slice(0, hostname.length - base.length - 1);
    const rawKey = rawPath.slice(1);
    return rawKey === ""
      ? { bucket, resource: `/${bucket}/` }
      : { bucket, key: decode(rawKey), resource: `/${bucket}/${rawKey}` };
  }
  const rest = rawPath.slice(1);
  if (rest === "") return { resource: "/" };
  const slash = rest.indexOf("/");
  const rawBucket = slash < 0 ? rest : rest.slice(0, slash);
  const rawKey = slash < 0 ? "" : rest.slice(slash + 1);
  const bucket = decode(rawBucket);
  return rawKey === ""
    ? { bucket, resource: `/${rawBucket}/` }
    : { bucket, key: decode(rawKey), resource: `/${rawBucket}/${rawKey}` };
}
