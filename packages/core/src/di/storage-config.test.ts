import { describe, expect, it } from "vitest";
import { normalizeStorageConfig, providerFields } from "./storage-config.js";

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toMatchObject({ name: "StorageError", code: "InvalidArgument" });
    return (err as Error).message;
  }
  throw new Error("expected InvalidArgument");
}

describe("normalizeStorageConfig", () => {
  it("the single-store shorthand becomes one store named default", () => {
    expect(normalizeStorageConfig({ provider: "memory", namespace: "n" })).toEqual({
      stores: { default: { provider: "memory", namespace: "n", retry: {} } },
      default: "default",
    });
  });

  it("the full form keeps every store and its provider fields, and is idempotent", () => {
    const input = {
      stores: {
        cache: { provider: "esa-kv", kind: "kv", namespace: "x", timeoutMs: 2000, retry: { maxAttempts: 5 } },
        files: { provider: "ks3", retry: false, bucket: "b" },
      },
      default: "cache",
    };
    const once = normalizeStorageConfig(input);
    expect(once).toEqual({
      stores: {
        cache: { provider: "esa-kv", kind: "kv", namespace: "x", timeoutMs: 2000, retry: { maxAttempts: 5 } },
        files: { provider: "ks3", retry: false, bucket: "b" },
      },
      default: "cache",
    });
    expect(normalizeStorageConfig(once)).toEqual(once);
  });

  it("decimal strings for timeoutMs and retry fields, and retry \"false\", are accepted (environment values)", () => {
    const config = normalizeStorageConfig({ provider: "memory", timeoutMs: "1500", retry: { maxAttempts: "4", baseDelayMs: "0" } });
    expect(config.stores.default).toMatchObject({ timeoutMs: 1500, retry: { maxAttempts: 4, baseDelayMs: 0 } });
    expect(normalizeStorageConfig({ provider: "memory", retry: "false" }).stores.default?.retry).toBe(false);
  });

  it("providerFields() drops the container's fields and keeps the provider's", () => {
    const store = normalizeStorageConfig({ provider: "ks3", kind: "objects", timeoutMs: 10, bucket: "b", endpoint: "http://127.0.0.1:1" }).stores.default!;
    expect(providerFields(store)).toEqual({ bucket: "b", endpoint: "http://127.0.0.1:1" });
  });

  it("a bad timeoutMs raises InvalidArgument naming stores.<name>.timeoutMs without echoing the value", () => {
    const message = messageOf(() => normalizeStorageConfig({ stores: { cache: { provider: "memory", timeoutMs: "s3cr3t-token" } } }));
    expect(message).toContain("stores.cache.timeoutMs");
    expect(message).not.toContain("s3cr3t");
  });

  it("bad fields each raise InvalidArgument naming their path", () => {
    const cases: Array<[unknown, string]> = [
      [null, "config"],
      [{ stores: { a: { provider: "" } } }, "stores.a.provider"],
      [{ stores: { a: { provider: "m", kind: "blob" } } }, "stores.a.kind"],
      [{ stores: { a: { provider: "m", retry: { maxAttempts: 0 } } } }, "stores.a.retry.maxAttempts"],
      [{ stores: { a: { provider: "m", retry: { attempts: 2 } } } }, "stores.a.retry.attempts"],
      [{ stores: { a: { provider: "m", retry: "sometimes" } } }, "stores.a.retry"],
      [{ stores: {} }, "stores"],
      [{ stores: { "bad name": { provider: "m" } } }, "stores"],
      [{ stores: { a: { provider: "m" } }, default: "b" }, "default"],
      [{ stores: { a: { provider: "m" } }, default: "constructor" }, "default"],
      [{ stores: { a: { provider: "m" } }, extra: 1 }, "extra"],
      [{ stores: { a: { provider: "m" } }, provider: "m" }, "config"],
      [{ kind: "kv" }, "provider"],
    ];
    for (const [input, path] of cases) {
      expect(messageOf(() => normalizeStorageConfig(input))).toContain(`${path} must be`);
    }
  });
});
