import { describe, expect, it } from "vitest";
import { S3_LIMITS, createMultipartObjectStore, isStorageError, type MultipartObjectStoreDriver, type PresignMethod } from "@stowage/core";
import { MemoryObjectStoreDriver, MemoryObjectWorld } from "@stowage/adapter-memory";
import { objectKeyPrefixDriver } from "./object-key-prefix-driver.js";

// presign is the one operation whose key leaves the process (inside a URL), so a view must
// sign the prefixed key, or the URL would reach outside the view. The inner driver records
// what it was asked to sign: the wire itself is covered by the objects-presign suite.
describe("objectKeyPrefixDriver presign", () => {
  it("presign() through a key-prefix view signs the prefixed key", async () => {
    const signed: Array<[PresignMethod, string]> = [];
    const inner = {
      limits: { ...S3_LIMITS, presign: true, presignMaxExpiresInSeconds: 60 },
      presign: async (method: PresignMethod, key: string) => {
        signed.push([method, key]);
        return { method, url: `http://example.test/b/${key}`, headers: {} };
      },
    } as unknown as MultipartObjectStoreDriver;
    const view = createMultipartObjectStore(objectKeyPrefixDriver(inner, "tenant-1/"));
    const presigned = await view.presign("PUT", "a.txt", { expiresInSeconds: 60 });
    expect(signed).toEqual([["PUT", "tenant-1/a.txt"]]);
    expect(presigned.url).toBe("http://example.test/b/tenant-1/a.txt");
  });

  it("presign() through a key-prefix view of a store without presign rejects Unsupported", async () => {
    const view = createMultipartObjectStore(objectKeyPrefixDriver(new MemoryObjectStoreDriver({ world: new MemoryObjectWorld(), bucket: "b" }), "t/"));
    const err = await view.presign("GET", "a.txt", { expiresInSeconds: 60 }).catch((e: unknown) => e);
    expect(isStorageError(err, "Unsupported")).toBe(true);
  });
});
