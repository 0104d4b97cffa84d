/**
 * Masks signatures and secrets in a line of text before it reaches a report. Stores promise
 * never to put them in error messages, but a report's reasons are built from messages of
 * code the suite is checking (a provider adapter, a third-party client, `--config` stores
 * holding real keys), so a report is written as if that promise could be broken.
 */

const MASK = "[redacted]";

/** Each pattern keeps its first group (the name) and masks what follows it. */
const PATTERNS: readonly RegExp[] = [
  // Query and form signatures: V2 presigned `Signature=`, SigV4 `X-Amz-Signature=`, the
  // `Signature=` field of ACS3 and SigV4 Authorization headers, OSS PostObject `Signature`.
  /((?:X-Amz-)?Signature=)[^&,;\s"'<>]+/gi,
  // V2 Authorization headers: `KSS AK:signature`, `AWS AK:signature`.
  /(\b(?:KSS|AWS) [^:\s]+:)[A-Za-z0-9+/=]+/g,
  // SSE-C keys as headers or fields (`…-customer-key: …`), but not their MD5.
  /(server-side-encryption-customer-key(?!-md5)["']?\s*[:=]\s*["']?)[^"',;\s&}]+/gi,
  // Secret fields as configuration spells them (`accessKeySecret`, `secretAccessKey`, …).
  /(\b(?:access[-_]?key[-_]?secret|secret[-_]?access[-_]?key)["']?\s*[:=]\s*["']?)[^"',;\s&}]+/gi,
];

/** `text` with every signature, SSE-C key and secret value replaced by `[redacted]`. */
export function redactCredentials(text: string): string {
  let out = text;
  for (const pattern of PATTERNS) out = out.replace(pattern, `$1${MASK}`);
  return out;
}
