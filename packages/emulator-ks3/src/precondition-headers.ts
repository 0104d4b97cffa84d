/**
 * The four conditional headers as core's {@link Preconditions}: `If-Match`, `If-None-Match`,
 * `If-Modified-Since`, `If-Unmodified-Since` on GetObject/HeadObject, and the same four behind
 * `x-kss-copy-source-` on CopyObject and UploadPartCopy. A date that does not parse is ignored,
 * as RFC 9110 §13.1.3/§13.1.4 require ("A recipient MUST ignore the If-Modified-Since header
 * field if the received field value is not a valid HTTP-date").
 */
import { parseHttpDate, type Preconditions } from "@stowage/core";

/** Reads the conditions through `read`, which maps a base name such as `if-match` to its header value. */
export function readPreconditionHeaders(read: (name: string) => string | undefined): Preconditions {
  const conditions: Preconditions = {};
  const ifMatch = read("if-match");
  if (ifMatch !== undefined) conditions.ifMatch = ifMatch;
  const ifNoneMatch = read("if-none-match");
  if (ifNoneMatch !== undefined) conditions.ifNoneMatch = ifNoneMatch;
  const ims = read("if-modified-since");
  const imsDate = ims === undefined ? undefined : parseHttpDate(ims);
  if (imsDate !== undefined) conditions.ifModifiedSince = imsDate;
  const ius = read("if-unmodified-since");
  const iusDate = ius === undefined ? undefined : parseHttpDate(ius);
  if (iusDate !== undefined) conditions.ifUnmodifiedSince = iusDate;
  return conditions;
}
