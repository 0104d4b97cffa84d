import { describe, expect, it } from "vitest";
import { StorageError, STORAGE_ERROR_CODES, isStorageError } from "./storage-error.js";

describe("StorageError", () => {
  it("new StorageError() marks RateLimited, ServiceUnavailable, Timeout and Network retryable and nothing else", () => {
    const retryable = STORAGE_ERROR_CODES.filter((code) => new StorageError({ code, message: "m" }).retryable);
    expect(retryable.sort()).toEqual(["Network", "RateLimited", "ServiceUnavailable", "Timeout"]);
  });

  it("new StorageError() with an explicit retryable overrides the default", () => {
    expect(new StorageError({ code: "Internal", message: "m", retryable: true }).retryable).toBe(true);
    expect(new StorageError({ code: "Timeout", message: "m", retryable: false }).retryable).toBe(false);
  });

  it("toJSON() carries every field but the cause", () => {
    const err = new StorageError({
      code: "NotFound",
      message: "gone",
      providerCode: "NoSuchKey",
      httpStatus: 404,
      requestId: "r1",
      operation: "getObject",
      key: "k",
      cause: new Error("secret-bearing detail"),
    });
    const json = err.toJSON();
    expect(json).toMatchObject({ name: "StorageError", code: "NotFound", providerCode: "NoSuchKey", httpStatus: 404, requestId: "r1", operation: "getObject", key: "k" });
    expect(JSON.stringify(json)).not.toContain("secret-bearing");
    expect(err.cause).toBeInstanceOf(Error);
  });

  it("isStorageError() recognises the shape across package copies and filters by code", () => {
    const foreign = Object.assign(new Error("x"), { name: "StorageError", code: "Aborted" });
    expect(isStorageError(foreign)).toBe(true);
    expect(isStorageError(foreign, "Aborted")).toBe(true);
    expect(isStorageError(foreign, "NotFound")).toBe(false);
    expect(isStorageError(new Error("x"))).toBe(false);
    expect(isStorageError({ name: "StorageError", code: "Aborted" })).toBe(false);
  });
});
