import { describe, expect, it } from "vitest";
import { lookupError } from "@stowage/adapter-s3-family";
import { s3Errors } from "./errors.js";

describe("the S3 error table, conditional writes", () => {
  it.each([
    [412, "PreconditionFailed", "PreconditionFailed"],
    // "If a conflicting operation occurs during the upload S3 returns a 409 ConditionalRequestConflict":
    // the condition could not hold, so the same code as a 412 (409 alone would read AlreadyExists).
    [409, "ConditionalRequestConflict", "PreconditionFailed"],
    [404, "NoSuchKey", "NotFound"],
  ])("%i %s maps to %s", (status, providerCode, code) => {
    expect(lookupError(s3Errors, status, providerCode)).toEqual({ code, retryable: false });
  });
});
