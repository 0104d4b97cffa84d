/** The ETag S3-family providers (and the memory adapter) give an object made by Complete. */
import { createHash } from "node:crypto";
import type { CompletedPart } from "./multipart-object-store.js";

/**
 * The S3-family multipart ETag of an object made of `parts`: the hex MD5 of the concatenated
 * binary MD5s of the parts, then `-N`, quoted. `undefined` when a part ETag is not a quoted or
 * bare 32-digit hex MD5.
 */
export function multipartEtag(parts: readonly CompletedPart[]): string | undefined {
  const digests: Buffer[] = [];
  for (const part of parts) {
    const hex = /^"?([0-9a-fA-F]{32})"?$/.exec(part.etag)?.[1];
    if (hex === undefined) return undefined;
    digests.push(Buffer.from(hex, "hex"));
  }
  return `"${createHash("md5").update(Buffer.concat(digests)).digest("hex")}-${parts.length}"`;
}
