import { describe, expect, it } from "vitest";
import { callWithErrorContext, formatStorageErrorMessage, withStoreContext } from "./error-context.js";
import { StorageError } from "./storage-error.js";

describe("formatStorageErrorMessage", () => {
  it("puts provider, operation, key, code and HTTP status in one line", () => {
    expect(formatStorageErrorMessage({ provider: "ks3", operation: "headObject", key: "reports/q3.csv", code: "NotFound", httpStatus: 404 })).toBe(
      "ks3 headObject reports/q3.csv: NotFound (HTTP 404)",
    );
  });

  it("adds the object size to InvalidRange and the bucket or namespace when it is what is missing", () => {
    expect(formatStorageErrorMessage({ provider: "memory", operation: "getObject", key: "a", code: "InvalidRange", httpStatus: 416, objectSize: 8 })).toBe(
      "memory getObject a: InvalidRange (HTTP 416), object size 8",
    );
    expect(formatStorageErrorMessage({ provider: "esa-kv", operation: "get", key: "k", namespace: "sessions", code: "NamespaceNotFound", httpStatus: 404 })).toBe(
      'esa-kv get k: NamespaceNotFound (HTTP 404), namespace "sessions"',
    );
    expect(formatStorageErrorMessage({ provider: "ks3", operation: "listObjects", bucket: "reports", code: "BucketNotFound", httpStatus: 404 })).toBe(
      'ks3 listObjects bucket "reports": BucketNotFound (HTTP 404)',
    );
  });

  it("quotes and truncates a key with spaces, control characters or great length", () => {
    expect(formatStorageErrorMessage({ operation: "put", key: "a b\n", code: "InvalidKey" })).toBe('put "a b\\n": InvalidKey');
    expect(formatStorageErrorMessage({ operation: "put", key: "x".repeat(300), code: "KeyTooLong" })).toContain("(300 characters)");
  });
});

describe("withStoreContext", () => {
  it("keeps a provider's words in detail and out of the message; a check's reason stays in the message", () => {
    const answered = new StorageError({ code: "NotFound", message: "The specified key does not exist.", httpStatus: 404, providerCode: "NoSuchKey" });
    const described = withStoreContext(answered, { operation: "getObject", key: "k" }, { provider: "ks3", bucket: "b" });
    expect(described).toMatchObject({ message: "ks3 getObject k: NotFound (HTTP 404)", detail: "The specified key does not exist.", providerCode: "NoSuchKey" });
    const refused = new StorageError({ code: "InvalidArgument", message: "ttlSeconds must be a whole number ≥ 1, got 0" });
    expect(withStoreContext(refused, { operation: "put", key: "k" }, { provider: "memory", namespace: "n" }).message).toBe(
      "memory put k: InvalidArgument: ttlSeconds must be a whole number ≥ 1, got 0",
    );
  });

  it("formats an error once: a store over another store keeps the inner store's message", () => {
    const inner = withStoreContext(new StorageError({ code: "Timeout", message: "timed out" }), { operation: "get", key: "k" }, { provider: "redis" });
    expect(withStoreContext(inner, { operation: "get", key: "k" }, { provider: "wrapper" })).toBe(inner);
  });
});

describe("callWithErrorContext", () => {
  it("callWithErrorContext() of a helper raising a StorageError without operation and key adds them", () => {
    const helper = (): never => {
      throw new StorageError({ code: "InvalidRange", message: "out of range" });
    };
    expect(() => callWithErrorContext(helper, { operation: "getObject", key: "a" })).toThrow(
      expect.objectContaining({ code: "InvalidRange", operation: "getObject", key: "a" }),
    );
    expect(callWithErrorContext(() => 7, { operation: "getObject" })).toBe(7);
  });
});
