import { describe, expect, it } from "vitest";
import { classifyEsaError, ESA_CODE_TABLE, esaBatchKeyError, esaResponseError, esaTransportError, parseRetryAfter } from "./errors.js";

// Written from the reference (esa-kv-api.md §1.4 and the gateway's common errors), not from the
// table, so a misspelt or misclassified row fails here.
const DOCUMENTED_CODES = [
  [404, "InvalidNameSpace.NotFound", "NamespaceNotFound", false],
  [400, "InvalidNameSpace.Malformed", "InvalidArgument", false],
  [404, "InvalidKey.NotFound", "NotFound", false],
  [400, "InvalidKey.ExceedsMaximum", "KeyTooLong", false],
  [400, "InvalidKey.Malformed", "InvalidKey", false],
  [400, "InvalidValue.ExceedsMaximum", "ValueTooLarge", false],
  [403, "InvalidKey.ExceedsCapacity", "QuotaExceeded", false],
  [406, "InvalidNameSpace.Duplicate", "AlreadyExists", false],
  [406, "InvalidNameSpace.QuotaFull", "QuotaExceeded", false],
  [400, "InvalidAccount.Malformed", "Unauthorized", false],
  [404, "InvalidAccount.NotFound", "Unauthorized", false],
  [400, "TooManyRequests", "RateLimited", true],
  [429, "TooManyRequests", "RateLimited", true],
  [429, "TooQuickRequests", "RateLimited", true],
  [400, "Throttling", "RateLimited", true],
  [400, "Throttling.User", "RateLimited", true],
  [400, "Throttling.Api", "RateLimited", true],
  [400, "SignatureDoesNotMatch", "Unauthorized", false],
  [400, "IncompleteSignature", "Unauthorized", false],
  [400, "InvalidSignatureMethod", "Unauthorized", false],
  [400, "SignatureNonceUsed", "Unauthorized", true],
  [404, "InvalidAccessKeyId.NotFound", "Unauthorized", false],
  [400, "InvalidAccessKeyId.Inactive", "Unauthorized", false],
  [400, "InvalidAccessKeyId", "Unauthorized", false],
  [400, "InvalidTimeStamp.Expired", "Unauthorized", false],
  [400, "InvalidTimeStamp.Format", "InvalidArgument", false],
  [403, "Unauthorized.InvalidToken", "Unauthorized", false],
  [403, "Unauthorized.InvalidParameters", "Unauthorized", false],
  [403, "Unauthorized.InvalidTime", "Unauthorized", false],
  [403, "Forbidden.RAM", "Forbidden", false],
  [404, "InvalidApi.NotFound", "Unsupported", false],
  [400, "InvalidParameter", "InvalidArgument", false],
  [400, "InvalidParameters", "InvalidArgument", false],
  [400, "InvalidKey.TooManyKeys", "InvalidArgument", false],
  [503, "ServiceUnavailable", "ServiceUnavailable", true],
  [500, "InternalError", "Internal", true],
  [400, "InvalidCredentials", "Unauthorized", false],
  // OSS PostObject, the high-capacity upload.
  [400, "EntityTooLarge", "ValueTooLarge", false],
  [403, "AccessDenied", "Forbidden", false],
  [403, "InvalidPolicyDocument", "Forbidden", false],
  [400, "RequestTimeout", "Timeout", true],
  [503, "SlowDown", "RateLimited", true],
  // `Missing{Param}` (e.g. MissingNamespace) has no row: its 400 is a bad request.
  [400, "MissingNamespace", "InvalidArgument", false],
] as const;

describe("ESA error table", () => {
  it.each(DOCUMENTED_CODES)("classifyEsaError(%i, %s) is %s (retryable %s)", (status, providerCode, code, retryable) => {
    expect(classifyEsaError(status, providerCode)).toEqual({ code, retryable });
  });

  it("has a row for no code the list above does not check", () => {
    const checked = new Set<string>(DOCUMENTED_CODES.map(([, providerCode]) => providerCode));
    expect(Object.keys(ESA_CODE_TABLE).filter((providerCode) => !checked.has(providerCode))).toEqual([]);
  });

  it.each([
    [429, "RateLimited", true],
    [500, "Internal", true],
    [502, "ServiceUnavailable", true],
    [503, "ServiceUnavailable", true],
    [599, "ServiceUnavailable", true],
    [404, "NotFound", false],
    [403, "Forbidden", false],
    [418, "InvalidArgument", false],
  ] as const)("classifyEsaError(%i) with an unknown provider code falls back to the status: %s", (status, code, retryable) => {
    expect(classifyEsaError(status, "Some.UnknownCode")).toEqual({ code, retryable });
  });

  it("parseRetryAfter() reads x-acs-retry-after as milliseconds, Retry-After as seconds, and ignores anything else", () => {
    expect(parseRetryAfter({ retryAfterMs: "3000" })).toBe(3);
    expect(parseRetryAfter({ retryAfterMs: " 1500 " })).toBe(1.5);
    expect(parseRetryAfter({ retryAfter: "12" })).toBe(12);
    expect(parseRetryAfter({ retryAfterMs: "250", retryAfter: "12" })).toBe(0.25);
    expect(parseRetryAfter({ retryAfterMs: "0" })).toBeUndefined();
    expect(parseRetryAfter({ retryAfterMs: "-1" })).toBeUndefined();
    expect(parseRetryAfter({ retryAfterMs: "1.5" })).toBeUndefined();
    expect(parseRetryAfter({ retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT" })).toBeUndefined();
    expect(parseRetryAfter({})).toBeUndefined();
  });

  it("esaResponseError() carries status, provider code, request id, retryAfterSeconds, operation and key", () => {
    const err = esaResponseError(
      { status: 429, providerCode: "TooQuickRequests", message: "slow down", requestId: "RID-1", retryAfterMs: "2000" },
      { operation: "put", key: "k1" },
    );
    expect(err).toMatchObject({
      name: "StorageError",
      code: "RateLimited",
      providerCode: "TooQuickRequests",
      httpStatus: 429,
      requestId: "RID-1",
      retryable: true,
      retryAfterSeconds: 2,
      operation: "put",
      key: "k1",
    });
    // Core's one message format; the provider's words stay in detail.
    expect(err.message).toBe("esa-kv put k1: RateLimited (HTTP 429)");
    expect(err.detail).toBe("slow down");
  });

  it("esaResponseError() with x-acs-retry-after on a non-retryable row makes it retryable", () => {
    const err = esaResponseError({ status: 400, providerCode: "Throttling.Custom", retryAfterMs: "1000" }, { operation: "get" });
    expect(err.retryable).toBe(true);
    expect(err.retryAfterSeconds).toBe(1);
  });

  it("esaBatchKeyError() is Internal with providerCode FailKeys and the key", () => {
    expect(esaBatchKeyError("k", "putMany")).toMatchObject({ code: "Internal", providerCode: "FailKeys", key: "k", operation: "putMany" });
  });

  it("esaTransportError() maps a fired signal to Aborted, undici timeouts to Timeout, the rest to Network", () => {
    const controller = new AbortController();
    controller.abort();
    expect(esaTransportError(new Error("x"), { operation: "get" }, controller.signal).code).toBe("Aborted");
    const timeout = Object.assign(new Error("headers"), { code: "UND_ERR_HEADERS_TIMEOUT" });
    expect(esaTransportError(timeout, { operation: "get" }, undefined)).toMatchObject({ code: "Timeout", retryable: true });
    const refused = Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
    expect(esaTransportError(refused, { operation: "get", key: "k" }, undefined)).toMatchObject({ code: "Network", retryable: true, key: "k" });
  });
});
