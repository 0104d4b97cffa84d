/** The engine against the KS3 emulator (both profiles), over real HTTP. */
import { buffer } from "node:stream/consumers";
import { isStorageError } from "@stowage/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copy } from "./copy.js";
import { download } from "./download.js";
import { resumeTokenOf } from "./errors.js";
import { upload } from "./upload.js";
import { bytesAt, chunked, hooked, openUploads, pattern, SMALL, startEmulator, type TestEmulator } from "./test-stores.js";
import { StorageError } from "@stowage/core";

for (const profile of ["ks3", "s3"] as const) {
  describe(`transfer on the KS3 emulator (${profile} profile)`, () => {
    let emu: TestEmulator;
    beforeAll(async () => {
      emu = await startEmulator(profile);
    });
    afterAll(async () => {
      await emu.close();
    });

    it("uploads a stream in parts, downloads it in ranges and copies it, byte-exact", async () => {
      const store = await emu.store();
      const body = pattern(7 * 8192 + 99);
      const up = await upload(store, "big", chunked(body, 3000), { partSize: 8192, concurrency: 3 });
      expect(up.parts).toBe(8);
      expect(await bytesAt(store, "big")).toEqual(body);
      const down = await download(store, "big", { partSize: 5000, concurrency: 3 });
      expect(new Uint8Array(await buffer(down.body))).toEqual(body);
      const copied = await copy(store, "big", "copy", { partSize: 8192 });
      expect(copied.parts).toBeGreaterThan(1);
      expect(await bytesAt(store, "copy")).toEqual(body);
      expect(await openUploads(store)).toBe(0);
    });

    it("aborts the upload on an abort; keeps and resumes it with leaveUploadOnError", async () => {
      const real = await emu.store();
      const controller = new AbortController();
      const { store } = hooked(real, (method, args) => {
        if (method === "uploadPart" && args[2] === 3) controller.abort();
      });
      const err = await upload(store, "gone", chunked(pattern(6 * 4096)), { partSize: 4096, signal: controller.signal }).catch((e: unknown) => e);
      expect(isStorageError(err, "Aborted")).toBe(true);
      expect(await openUploads(real)).toBe(0);

      let broken = true;
      const { store: flaky } = hooked(real, (method, args) => {
        if (broken && method === "uploadPart" && args[2] === 4) throw new StorageError({ code: "Forbidden", message: "injected" });
      });
      const body = pattern(6 * 4096 + 1);
      const token = resumeTokenOf(await upload(flaky, "kept", body, { partSize: 4096, concurrency: 2, leaveUploadOnError: true }).catch((e: unknown) => e));
      expect(token).toBeDefined();
      expect(await openUploads(real)).toBe(1);
      broken = false;
      await upload(real, "kept", body, { resume: token! });
      expect(await bytesAt(real, "kept")).toEqual(body);
      expect(await openUploads(real)).toBe(0);
    });

    it("one part goes through putObject", async () => {
      const { store, calls } = hooked(await emu.store(), () => undefined);
      await upload(store, "small", chunked(pattern(SMALL.multipartMinPartBytes)), { partSize: SMALL.multipartMinPartBytes * 2 });
      expect([calls.get("putObject"), calls.get("createMultipartUpload")]).toEqual([1, undefined]);
    });
  });
}
