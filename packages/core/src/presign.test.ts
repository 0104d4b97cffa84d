import { describe, expect, it } from "vitest";
import { createMultipartObjectStore } from "./create-multipart-object-store.js";
import { S3_LIMITS, defineLimits, type ObjectStoreLimits } from "./limits.js";
import type { MultipartObjectStoreDriver, PresignMethod, PresignOptions } from "./multipart-object-store.js";
import { withObjectRetry } from "./layers/with-retry.js";
import { withObjectTimeout } from "./layers/with-timeout.js";
import { isStorageError } from "./storage-error.js";

// The facade's side of presign: every rule is checked before the driver's hook runs, and the
// layers pass the hook through. A recording hook stands in for a signer (signing itself is
// tested with the providers' vectors in adapters/s3-family and on the wire by the suite).
const SIGNING_LIMITS = defineLimits({ ...S3_LIMITS, presign: true, presignMaxExpiresInSeconds: 3600 });

function recordingDriver(limits: ObjectStoreLimits = SIGNING_LIMITS): { driver: MultipartObjectStoreDriver; calls: Array<[PresignMethod, string, Omit<PresignOptions, "signal">]> } {
  const calls: Array<[PresignMethod, string, Omit<PresignOptions, "signal">]> = [];
  const driver = {
    limits,
    presign: async (method: PresignMethod, key: string, options: Omit<PresignOptions, "signal">) => {
      calls.push([method, key, options]);
      return { method, url: `http://example.test/${key}`, headers: {} };
    },
  } as unknown as MultipartObjectStoreDriver;
  return { driver, calls };
}

async function codeOf(call: Promise<unknown>): Promise<string | undefined> {
  const err = await call.then(() => undefined, (e: unknown) => e);
  return isStorageError(err) ? err.code : err === undefined ? undefined : `not a StorageError: ${String(err)}`;
}

describe("presign() at the facade", () => {
  it("presign() hands the driver the method, key and options without the signal", async () => {
    const { driver, calls } = recordingDriver();
    const store = createMultipartObjectStore(driver);
    const signal = new AbortController().signal;
    await store.presign("PUT", "a.txt", { expiresInSeconds: 60, contentType: "text/plain", metadata: { owner: "ann" }, signal });
    expect(calls).toEqual([["PUT", "a.txt", { expiresInSeconds: 60, contentType: "text/plain", metadata: { owner: "ann" } }]]);
  });

  it("presign() on a manifest without presign rejects Unsupported before anything else is checked", async () => {
    const { driver, calls } = recordingDriver(S3_LIMITS);
    const store = createMultipartObjectStore(driver);
    expect(await codeOf(store.presign("GET", "a", { expiresInSeconds: 60 }))).toBe("Unsupported");
    expect(await codeOf(store.presign("GET", "a", { expiresInSeconds: 0 }))).toBe("Unsupported");
    expect(calls).toEqual([]);
  });

  it.each([
    ["expiresInSeconds 0", "GET", { expiresInSeconds: 0 }],
    ["expiresInSeconds past presignMaxExpiresInSeconds", "GET", { expiresInSeconds: 3601 }],
    ["a fractional expiresInSeconds", "GET", { expiresInSeconds: 1.5 }],
    ["a string expiresInSeconds", "GET", { expiresInSeconds: "60" }],
    ["method POST", "POST", { expiresInSeconds: 60 }],
    ["a range on PUT", "PUT", { expiresInSeconds: 60, range: { first: 0, last: 1 } }],
    ["a malformed range", "GET", { expiresInSeconds: 60, range: { first: 5, last: 1 } }],
    ["contentType on GET", "GET", { expiresInSeconds: 60, contentType: "text/plain" }],
    ["metadata on DELETE", "DELETE", { expiresInSeconds: 60, metadata: { a: "b" } }],
    ["a metadata name with a space", "PUT", { expiresInSeconds: 60, metadata: { "a b": "c" } }],
  ])("presign() with %s rejects InvalidArgument and never reaches the driver", async (_what, method, options) => {
    const { driver, calls } = recordingDriver();
    const store = createMultipartObjectStore(driver);
    expect(await codeOf(store.presign(method as PresignMethod, "a", options as unknown as PresignOptions))).toBe("InvalidArgument");
    expect(calls).toEqual([]);
  });

  it("presign() with an invalid key rejects InvalidKey", async () => {
    const { driver } = recordingDriver();
    expect(await codeOf(createMultipartObjectStore(driver).presign("GET", "", { expiresInSeconds: 60 }))).toBe("InvalidKey");
  });

  it("presign() through the retry and timeout layers reaches the driver's hook", async () => {
    const { driver, calls } = recordingDriver();
    const store = createMultipartObjectStore(driver, { layers: [withObjectTimeout({ ms: 1000 }), withObjectRetry()] });
    const presigned = await store.presign("GET", "k", { expiresInSeconds: 3600, range: { first: 0, last: 9 } });
    expect(presigned).toEqual({ method: "GET", url: "http://example.test/k", headers: {} });
    expect(calls.length).toBe(1);
  });

  it("presign() on a manifest claiming presign over a driver without the hook rejects Unsupported", async () => {
    const driver = { limits: SIGNING_LIMITS } as unknown as MultipartObjectStoreDriver;
    expect(await codeOf(createMultipartObjectStore(driver, { layers: [withObjectRetry()] }).presign("GET", "k", { expiresInSeconds: 60 }))).toBe("Unsupported");
  });

  it("defineLimits() refuses presign without a positive presignMaxExpiresInSeconds", () => {
    expect(() => defineLimits({ ...S3_LIMITS, presign: true, presignMaxExpiresInSeconds: 0 })).toThrow(/presignMaxExpiresInSeconds/);
  });
});
