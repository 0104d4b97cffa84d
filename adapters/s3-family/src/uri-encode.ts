/**
 * Percent-encodes `value` per RFC 3986 §2.3: every byte of its UTF-8 form except the
 * unreserved set `A-Z a-z 0-9 - _ . ~` becomes `%XX` (upper-case hex). This is the encoding
 * SigV4 prescribes for query names and values ("URI-encode each parameter name and value",
 * AWS SigV4 docs) and, with `/` kept, the encoding KS3's Go and Java SDKs apply to object keys.
 */
export function encodeRfc3986(value: string): string {
  // encodeURIComponent leaves `! ' ( ) *` alone; RFC 3986 reserves them.
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Encodes an object key for the request path, the way KS3's maintained SDKs do (ks3-api.md
 * §2.1, Go `encodeKS3Str`, Java `HttpUtils.urlEncode(key, true)`): RFC 3986 encoding with `/`
 * kept, then `//` → `/%2F` and a leading `/` → `%2F`, so that no proxy or server collapses
 * empty path segments. The result is also a valid SigV4 canonical URI for S3, which must not
 * be normalized or double-encoded.
 */
export function encodeObjectKey(key: string): string {
  let out = key.split("/").map(encodeRfc3986).join("/");
  if (out.startsWith("/")) out = `%2F${out.slice(1)}`;
  return out.replace(/\/\//g, "/%2F");
}
