import { isStorageError } from "@stowage/core";
import { describe, expect, it } from "vitest";
import { copy } from "./copy.js";
import { bytesAt, hooked, memoryStore, openUploads, pattern, SMALL } from "./test-stores.js";

describe("copy", () => {
  it("uses one copyObject up to the threshold", async () => {
    const { store, calls } = hooked(memoryStore(), () => undefined);
    await store.putObject("src", pattern(1000));
    const result = await copy(store, "src", "dst");
    expect(result).toMatchObject({ size: 1000, parts: 1 });
    expect(calls.get("copyObject")).toBe(1);
    expect(await bytesAt(store, "dst")).toEqual(pattern(1000));
  });

  it("copies a larger source with parallel uploadPartCopy ranges, byte-exact, keeping its attributes", async () => {
    const { store, calls } = hooked(memoryStore(), () => undefined);
    const body = pattern(SMALL.copyObjectMaxSourceBytes * 3 + 11);
    await store.putObject("src", body, { contentType: "video/x-a", metadata: { owner: "me" } });
    const result = await copy(store, "src", "dst", { partSize: 8 * 1024 });
    expect(result.parts).toBe(Math.ceil(body.byteLength / (8 * 1024)));
    expect(calls.get("uploadPartCopy")).toBe(result.parts);
    expect(await bytesAt(store, "dst")).toEqual(body);
    const info = await store.headObject("dst");
    expect([info.contentType, info.metadata]).toEqual(["video/x-a", { owner: "me" }]);
    const replaced = await copy(store, "src", "dst2", { partSize: 8 * 1024, metadata: { x: "y" } });
    expect(replaced.parts).toBeGreaterThan(1);
    const info2 = await store.headObject("dst2");
    expect([info2.contentType, info2.metadata]).toEqual(["application/octet-stream", { x: "y" }]);
  });

  it("fails with PreconditionFailed and leaves no upload when the source changes mid-copy", async () => {
    const base = memoryStore();
    await base.putObject("src", pattern(64 * 1024));
    let copies = 0;
    const { store } = hooked(base, async (method) => {
      if (method === "uploadPartCopy" && ++copies === 2) await base.putObject("src", pattern(64 * 1024, 3));
    });
    const err = await copy(store, "src", "dst", { partSize: 8 * 1024, concurrency: 1 }).catch((e: unknown) => e);
    expect(isStorageError(err, "PreconditionFailed")).toBe(true);
    expect(await openUploads(base)).toBe(0);
  });
});
