/**
 * The validation layer of object drivers: keys, part numbers, page sizes, body sizes, range
 * shapes, conditions, SSE-C keys, presign requests and capabilities, all checked against the
 * driver's limits manifest before any I/O. The facade always applies it outermost.
 */
import type { NormalizedBody } from "../body.js";
import { withErrorContext } from "../error-context.js";
import { BUCKET_NAME_RULE, isValidBucketName } from "../key-rules.js";
import { validateObjectAttributes, type ObjectAttributes } from "../metadata-rules.js";
import type { ObjectStoreLayer } from "../layer.js";
import type { ObjectStoreLimits } from "../limits.js";
import type { CompletedPart, CopySource, MultipartObjectStoreDriver, PresignOptions, SseCustomerKey } from "../multipart-object-store.js";
import { hasPreconditions, type Preconditions } from "../preconditions.js";
import { assertByteRangeSpec, assertCopySourceRange } from "../range.js";
import { checkKey, checkListRequest, checkUploadId, fail, type Context } from "./validation-checks.js";

/** AES-256, the only SSE-C algorithm S3 and KS3 accept: the key is exactly 32 bytes. */
const SSE_C_KEY_BYTES = 32;

function checkSseC(sseC: SseCustomerKey | undefined, limits: ObjectStoreLimits, context: Context): void {
  if (sseC === undefined) return;
  if (!limits.sseC) fail("Unsupported", "this store does not support customer-provided encryption keys (SSE-C)", context);
  if (typeof sseC !== "object" || sseC === null || !(sseC.key instanceof Uint8Array) || sseC.key.byteLength !== SSE_C_KEY_BYTES) {
    // Never echo the key: its length is all the message may say.
    fail("InvalidArgument", `an SSE-C key must be ${SSE_C_KEY_BYTES} bytes (AES-256)`, context);
  }
}

function checkConditions(conditions: Preconditions, supported: boolean, what: string, context: Context): void {
  for (const name of ["ifMatch", "ifNoneMatch"] as const) {
    const v = conditions[name];
    if (v !== undefined && (typeof v !== "string" || v.trim() === "")) fail("InvalidArgument", `${name} must be a non-empty string`, context);
  }
  for (const name of ["ifModifiedSince", "ifUnmodifiedSince"] as const) {
    const v = conditions[name];
    if (v !== undefined && (!(v instanceof Date) || Number.isNaN(v.getTime()))) fail("InvalidArgument", `${name} must be a valid Date`, context);
  }
  if (!supported && hasPreconditions(conditions)) fail("Unsupported", `this store does not support conditions on ${what}`, context);
}

/** `ifMatch` (a non-empty ETag) and `ifNoneMatch` (only `"*"`) of a write; `Unsupported` unless the manifest claims them. */
function checkWriteConditionArguments(conditions: { ifMatch?: string; ifNoneMatch?: string }, supported: boolean, context: Context): void {
  const { ifMatch, ifNoneMatch } = conditions;
  if (ifMatch !== undefined && (typeof ifMatch !== "string" || ifMatch.trim() === "" || ifMatch === "*")) fail("InvalidArgument", "ifMatch must be an ETag", context);
  if (ifNoneMatch !== undefined && ifNoneMatch !== "*") fail("InvalidArgument", 'ifNoneMatch of a write must be "*"', context);
  if (ifMatch !== undefined && ifNoneMatch !== undefined) fail("InvalidArgument", "ifMatch and ifNoneMatch exclude each other on a write", context);
  if (!supported && (ifMatch !== undefined || ifNoneMatch !== undefined)) fail("Unsupported", "this store does not support conditional writes", context);
}

/** Metadata and `contentType` against core's one rule set and the manifest's `metadataMaxBytes`. */
function checkAttributes(attributes: ObjectAttributes, limits: ObjectStoreLimits, context: Context): void {
  try {
    validateObjectAttributes(attributes, limits.metadataMaxBytes);
  } catch (err) {
    throw withErrorContext(err, context);
  }
}

function checkSource(source: CopySource, limits: ObjectStoreLimits, operation: string, context: Context): void {
  if (typeof source !== "object" || source === null) fail("InvalidArgument", "source must be { key, bucket? }", context);
  checkKey(source.key, limits, operation);
  if (source.bucket !== undefined) {
    if (!isValidBucketName(source.bucket)) fail("InvalidArgument", `source.bucket must be a bucket name: ${BUCKET_NAME_RULE}`, context);
    if (!limits.copyAcrossBuckets) fail("Unsupported", "this store cannot copy from another bucket", context);
  }
  checkSseC(source.sseC, limits, context);
}

function checkPartNumber(partNumber: unknown, limits: ObjectStoreLimits, context: Context): void {
  if (
    typeof partNumber !== "number" ||
    !Number.isInteger(partNumber) ||
    partNumber < limits.multipartMinPartNumber ||
    partNumber > limits.multipartMaxPartNumber
  ) {
    fail(
      "InvalidPartNumber",
      `part number must be an integer from ${limits.multipartMinPartNumber} to ${limits.multipartMaxPartNumber}, got ${String(partNumber)}`,
      context,
    );
  }
}

/**
 * Bounds a body: a known length over `max` fails at once; a stream of unknown length fails as
 * soon as it passes `max`; a stream that yields more or fewer bytes than its declared length
 * raises `InvalidArgument` (the contract of `contentLength`).
 */
function boundBody(body: NormalizedBody, max: number, context: Context): NormalizedBody {
  if (body.length !== undefined && body.length > max) fail("EntityTooLarge", `body is ${body.length} bytes; the limit is ${max}`, context);
  if (body.bytes !== undefined) return body;
  const declared = body.length;
  const source = body.chunks;
  async function* counted(): AsyncIterable<Uint8Array> {
    let total = 0;
    for await (const chunk of source) {
      total += chunk.byteLength;
      if (declared !== undefined && total > declared) fail("InvalidArgument", `body is longer than its declared contentLength ${declared}`, context);
      if (total > max) fail("EntityTooLarge", `body exceeds ${max} bytes`, context);
      yield chunk;
    }
    if (declared !== undefined && total !== declared) {
      fail("InvalidArgument", `body is ${total} bytes, shorter than its declared contentLength ${declared}`, context);
    }
  }
  return { length: declared, bytes: undefined, chunks: counted(), cancel: body.cancel };
}

/**
 * Checks a Complete part list before any call: non-empty (`InvalidArgument`: S3 answers an
 * empty list with 400 MalformedXML, which is a malformed argument, not a bad part), each
 * number in range (`InvalidPartNumber`), strictly ascending (`InvalidPartOrder`: a duplicate
 * or a descent), contiguous from the first part number where the manifest says so
 * (`InvalidPartOrder`, KS3 doc 5431: "块号不连续，有缺失块", part numbers not contiguous), and
 * an ETag on each part (`InvalidPart`: an empty ETag cannot match an uploaded part).
 */
function checkCompletedParts(parts: unknown, limits: ObjectStoreLimits, context: Context): void {
  if (!Array.isArray(parts)) fail("InvalidArgument", "parts must be an array of { partNumber, etag }", context);
  if (parts.length === 0) fail("InvalidArgument", "the part list is empty; complete needs at least one part", context);
  let previous: number | undefined;
  for (const part of parts as CompletedPart[]) {
    if (typeof part !== "object" || part === null) fail("InvalidArgument", "each part must be { partNumber, etag }", context);
    checkPartNumber(part.partNumber, limits, context);
    if (typeof part.etag !== "string" || part.etag.trim() === "") fail("InvalidPart", `part ${part.partNumber} has no ETag`, context);
    if (previous !== undefined && part.partNumber <= previous) {
      fail("InvalidPartOrder", `part numbers must be strictly ascending: ${part.partNumber} follows ${previous}`, context);
    }
    if (limits.multipartPartNumbersContiguous) {
      const expected = previous === undefined ? limits.multipartMinPartNumber : previous + 1;
      if (part.partNumber !== expected) {
        fail("InvalidPartOrder", `part numbers must be contiguous from ${limits.multipartMinPartNumber}: expected ${expected}, got ${part.partNumber}`, context);
      }
    }
    previous = part.partNumber;
  }
}

const PRESIGN_METHODS: ReadonlySet<string> = new Set(["GET", "PUT", "HEAD", "DELETE"]);

/**
 * A presign request against the manifest: the capability first (`Unsupported`, whatever the
 * rest), then the method, an integer expiry from 1 to `presignMaxExpiresInSeconds`, and the
 * options each method can carry (`InvalidArgument`): a range for GET only (well-formed, and
 * only where ranged reads are supported), content type and metadata for PUT only (core's
 * attribute rules).
 */
function checkPresign(method: unknown, options: Omit<PresignOptions, "signal">, limits: ObjectStoreLimits, context: Context): void {
  if (!limits.presign) fail("Unsupported", "this store cannot presign requests", context);
  if (typeof method !== "string" || !PRESIGN_METHODS.has(method)) fail("InvalidArgument", `method must be GET, PUT, HEAD or DELETE, got ${String(method)}`, context);
  const { expiresInSeconds } = options;
  if (typeof expiresInSeconds !== "number" || !Number.isSafeInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > limits.presignMaxExpiresInSeconds) {
    fail("InvalidArgument", `expiresInSeconds must be an integer from 1 to ${limits.presignMaxExpiresInSeconds}, got ${String(expiresInSeconds)}`, context);
  }
  if (options.range !== undefined) {
    if (method !== "GET") fail("InvalidArgument", "range applies to a presigned GET only", context);
    if (!limits.getObjectWithRange) fail("Unsupported", "this store does not support ranged reads", context);
    try {
      assertByteRangeSpec(options.range);
    } catch (err) {
      throw withErrorContext(err, context);
    }
  }
  if ((options.contentType !== undefined || options.metadata !== undefined) && method !== "PUT") {
    fail("InvalidArgument", "contentType and metadata apply to a presigned PUT only", context);
  }
  checkAttributes(options, limits, context);
}

/**
 * The validation layer for object drivers: keys, part numbers, page sizes, body sizes,
 * range shapes, conditions, SSE-C keys and capabilities, all against the driver's manifest.
 */
export function withObjectValidation(): ObjectStoreLayer {
  return (driver: MultipartObjectStoreDriver): MultipartObjectStoreDriver => {
    const limits = driver.limits;
    const validated: MultipartObjectStoreDriver = {
      limits,
      async putObject(key, body, options, ctx) {
        checkKey(key, limits, "putObject");
        const context = { operation: "putObject", key };
        checkAttributes(options, limits, context);
        checkSseC(options.sseC, limits, context);
        checkWriteConditionArguments(options, limits.putObjectWithConditions, context);
        return driver.putObject(key, boundBody(body, limits.putObjectMaxBytes, context), options, ctx);
      },
      async getObject(key, options, ctx) {
        checkKey(key, limits, "getObject");
        const context = { operation: "getObject", key };
        if (options.range !== undefined) {
          if (!limits.getObjectWithRange) fail("Unsupported", "this store does not support ranged reads", context);
          try {
            assertByteRangeSpec(options.range);
          } catch (err) {
            throw withErrorContext(err, context);
          }
        }
        checkConditions(options, limits.getObjectWithConditions, "reads", context);
        checkSseC(options.sseC, limits, context);
        return driver.getObject(key, options, ctx);
      },
      async headObject(key, options, ctx) {
        checkKey(key, limits, "headObject");
        const context = { operation: "headObject", key };
        checkConditions(options, limits.getObjectWithConditions, "reads", context);
        checkSseC(options.sseC, limits, context);
        return driver.headObject(key, options, ctx);
      },
      async deleteObject(key, ctx) {
        checkKey(key, limits, "deleteObject");
        return driver.deleteObject(key, ctx);
      },
      async copyObject(key, options, ctx) {
        checkKey(key, limits, "copyObject");
        const context = { operation: "copyObject", key };
        checkSource(options.source, limits, "copyObject", context);
        checkConditions(options, limits.copyWithConditions, "copy sources", context);
        checkAttributes(options, limits, context);
        checkSseC(options.sseC, limits, context);
        return driver.copyObject(key, options, ctx);
      },
      async listObjects(request, ctx) {
        const max = request.delimiter ? limits.listObjectsWithDelimiterMaxPageSize : limits.listObjectsMaxPageSize;
        checkListRequest(request, max, { operation: "listObjects" });
        return driver.listObjects(request, ctx);
      },
      async createMultipartUpload(key, options, ctx) {
        checkKey(key, limits, "createMultipartUpload");
        const context = { operation: "createMultipartUpload", key };
        checkAttributes(options, limits, context);
        checkSseC(options.sseC, limits, context);
        return driver.createMultipartUpload(key, options, ctx);
      },
      async uploadPart(key, uploadId, partNumber, body, options, ctx) {
        checkKey(key, limits, "uploadPart");
        const context = { operation: "uploadPart", key };
        checkUploadId(uploadId, context);
        checkPartNumber(partNumber, limits, context);
        checkSseC(options.sseC, limits, context);
        return driver.uploadPart(key, uploadId, partNumber, boundBody(body, limits.multipartMaxPartBytes, context), options, ctx);
      },
      async uploadPartCopy(key, uploadId, partNumber, options, ctx) {
        checkKey(key, limits, "uploadPartCopy");
        const context = { operation: "uploadPartCopy", key };
        if (!limits.uploadPartCopy) fail("Unsupported", "this store does not support uploadPartCopy", context);
        checkUploadId(uploadId, context);
        checkPartNumber(partNumber, limits, context);
        checkSource(options.source, limits, "uploadPartCopy", context);
        if (options.range !== undefined) {
          try {
            assertCopySourceRange(options.range);
          } catch (err) {
            throw withErrorContext(err, context);
          }
          const length = options.range.last - options.range.first + 1;
          if (length > limits.multipartMaxPartBytes) {
            fail("EntityTooLarge", `a copied part of ${length} bytes exceeds the part limit ${limits.multipartMaxPartBytes}`, context);
          }
        }
        checkConditions(options, limits.copyWithConditions, "copy sources", context);
        checkSseC(options.sseC, limits, context);
        return driver.uploadPartCopy(key, uploadId, partNumber, options, ctx);
      },
      async completeMultipartUpload(key, uploadId, parts, options, ctx) {
        checkKey(key, limits, "completeMultipartUpload");
        const context = { operation: "completeMultipartUpload", key };
        checkUploadId(uploadId, context);
        checkCompletedParts(parts, limits, context);
        checkWriteConditionArguments(options, limits.completeMultipartUploadWithConditions, context);
        return driver.completeMultipartUpload(key, uploadId, parts, options, ctx);
      },
      async abortMultipartUpload(key, uploadId, ctx) {
        checkKey(key, limits, "abortMultipartUpload");
        checkUploadId(uploadId, { operation: "abortMultipartUpload", key });
        return driver.abortMultipartUpload(key, uploadId, ctx);
      },
      async listParts(key, uploadId, request, ctx) {
        checkKey(key, limits, "listParts");
        const context = { operation: "listParts", key };
        checkUploadId(uploadId, context);
        checkListRequest(request, limits.listPartsMaxPageSize, context);
        return driver.listParts(key, uploadId, request, ctx);
      },
      async listMultipartUploads(request, ctx) {
        checkListRequest(request, limits.listMultipartUploadsMaxPageSize, { operation: "listMultipartUploads" });
        return driver.listMultipartUploads(request, ctx);
      },
      async presign(method, key, options, ctx) {
        checkKey(key, limits, "presign");
        const context = { operation: "presign", key };
        checkPresign(method, options, limits, context);
        // A manifest claiming presign over a driver without the hook is the adapter's bug;
        // the caller still gets the contract's answer for a store that cannot presign.
        if (!driver.presign) fail("Unsupported", "this store's driver cannot presign although its manifest claims presign", context);
        return driver.presign(method, key, options, ctx);
      },
    };
    if (driver.close) validated.close = () => driver.close!();
    return validated;
  };
}
