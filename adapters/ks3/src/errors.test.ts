import { describe, expect, it } from "vitest";
import { lookupError, toStorageError } from "@stowage/adapter-s3-family";
import { ks3Errors } from "./errors.js";

describe("ks3Errors", () => {
  it.each([
    [404, "NoSuchKey", "NotFound", false],
    [404, "NoSuchBucket", "BucketNotFound", false],
    [404, "NoSuchUpload", "UploadNotFound", false],
    [400, "InvalidPartNum", "InvalidPartNumber", false],
    [400, "InvalidPart", "InvalidPart", false],
    [400, "InvalidPartOrder", "InvalidPartOrder", false],
    [400, "EntityTooSmall", "EntityTooSmall", false],
    [413, "EntityTooSmall", "EntityTooSmall", false],
    [400, "EntityTooLarge", "EntityTooLarge", false],
    [416, "InvalidRange", "InvalidRange", false],
    [412, "PreconditionFailed", "PreconditionFailed", false],
    [400, "InvalidRequest", "InvalidArgument", false],
    [403, "SignatureDoesNotMatch", "Unauthorized", false],
    [403, "InvalidAccessKeyId", "Unauthorized", false],
    [403, "RequestTimeTooSkewed", "Unauthorized", false],
    [403, "AccessDenied", "Forbidden", false],
    [400, "KeyTooLong", "KeyTooLong", false],
    [503, "SlowDown", "RateLimited", true],
    [500, "InternalError", "Internal", true],
    [503, "ServiceUnavailable", "ServiceUnavailable", true],
  ])("a %i %s answer maps to %s (retryable %s)", (status, providerCode, code, retryable) => {
    expect(lookupError(ks3Errors, status, providerCode)).toEqual({ code, retryable });
  });

  it.each([
    [304, "NotModified", false],
    [404, "NotFound", false],
    [412, "PreconditionFailed", false],
    [413, "EntityTooLarge", false],
    [416, "InvalidRange", false],
    [429, "RateLimited", true],
    [502, "ServiceUnavailable", true],
    [599, "ServiceUnavailable", true],
    [418, "InvalidArgument", false],
  ])("a bodyless %i answer (HEAD) maps by status to %s (retryable %s)", (status, code, retryable) => {
    expect(lookupError(ks3Errors, status, undefined)).toEqual({ code, retryable });
  });

  it("an unknown provider code falls back to its status", () => {
    expect(lookupError(ks3Errors, 404, "SomethingNew").code).toBe("NotFound");
  });

  it("toStorageError() keeps providerCode, status, request id and Retry-After", () => {
    const err = toStorageError(ks3Errors, { status: 503, providerCode: "SlowDown", message: "Reduce your request rate.", requestId: "r1", retryAfterSeconds: 2 }, { operation: "uploadPart", key: "k" });
    expect(err).toMatchObject({ code: "RateLimited", providerCode: "SlowDown", httpStatus: 503, requestId: "r1", retryAfterSeconds: 2, retryable: true, operation: "uploadPart", key: "k" });
  });
});
