import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readBytes } from "@stowage/core";
import { TempFile } from "./durable-file.js";
import { FS_OBJECT_LIMITS } from "./limits.js";
import { createFsObjectStore } from "./multipart-object-store.js";
import { freshRoot } from "./test-fs-subjects.js";

const roots: string[] = [];
async function root(): Promise<string> {
  const dir = await freshRoot("unit");
  roots.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of roots) await rm(dir, { recursive: true, force: true });
});

/** A temp name of a pid that cannot be running (above Linux's pid_max of 2^22). */
const DEAD_TEMP = ".tmp-99999999-deadbeef";

const limits = { ...FS_OBJECT_LIMITS, multipartMinPartBytes: 4 };

describe("fs object store on disk", () => {
  it("createMultipartUpload() stages under .multipart/<uploadId> with upload.json; abortMultipartUpload() removes every staged file", async () => {
    const dir = await root();
    const store = await createFsObjectStore({ root: dir, limits });
    const { uploadId } = await store.createMultipartUpload("k", { contentType: "text/plain" });
    await store.uploadPart("k", uploadId, 1, "abcd");
    await store.uploadPart("k", uploadId, 2, "ef");
    expect((await readdir(join(dir, ".multipart", uploadId))).sort()).toEqual(["1.p", "2.p", "upload.json"]);
    await store.abortMultipartUpload("k", uploadId);
    expect(await readdir(join(dir, ".multipart"))).toEqual([]);
    await expect(store.listParts("k", uploadId)).rejects.toMatchObject({ code: "UploadNotFound" });
    await store.close();
  });

  it("staged uploads and parts survive a reopen; completeMultipartUpload() then streams them into one object and removes the staging", async () => {
    const dir = await root();
    const first = await createFsObjectStore({ root: dir, limits });
    const { uploadId } = await first.createMultipartUpload("big", { metadata: { a: "1" }, contentType: "text/plain" });
    const p1 = await first.uploadPart("big", uploadId, 1, "hello ");
    const p2 = await first.uploadPart("big", uploadId, 2, "world");
    await first.close();
    const second = await createFsObjectStore({ root: dir, limits });
    expect((await second.listMultipartUploads()).uploads.map((u) => u.uploadId)).toEqual([uploadId]);
    expect((await second.listParts("big", uploadId)).parts.map((p) => [p.partNumber, p.size, p.etag])).toEqual([
      [1, 6, p1.etag],
      [2, 5, p2.etag],
    ]);
    const done = await second.completeMultipartUpload("big", uploadId, [p1, p2]);
    expect(done.etag).toMatch(/^"[0-9a-f]{32}-2"$/);
    const { body, info } = await second.getObject("big");
    expect(Buffer.from(await readBytes(body, { maxBytes: 100 })).toString()).toBe("hello world");
    expect(info).toMatchObject({ etag: done.etag, contentType: "text/plain", metadata: { a: "1" } });
    expect(await readdir(join(dir, ".multipart"))).toEqual([]);
    await second.close();
  });

  it("opening a store removes temp files and half-created uploads of dead processes, and keeps a live process's", async () => {
    const dir = await root();
    const first = await createFsObjectStore({ root: dir, limits });
    const { uploadId } = await first.createMultipartUpload("k");
    await first.close();
    const live = `.tmp-${process.pid}-cafe`;
    await writeFile(join(dir, "objects", DEAD_TEMP), "half an object");
    await writeFile(join(dir, "objects", live), "being written");
    await writeFile(join(dir, ".multipart", uploadId, DEAD_TEMP), "half a part");
    await mkdir(join(dir, ".multipart", ".tmp-99999999-0badc0de"));
    const reopened = await createFsObjectStore({ root: dir, limits });
    expect(await readdir(join(dir, "objects"))).toEqual([live]);
    expect(await readdir(join(dir, ".multipart"))).toEqual([uploadId]);
    expect(await readdir(join(dir, ".multipart", uploadId))).toEqual(["upload.json"]);
    expect((await reopened.listObjects()).objects).toEqual([]);
    await reopened.close();
  });

  it("a reader keeps streaming the version it opened while the object is overwritten and deleted", async () => {
    const store = await createFsObjectStore({ root: await root() });
    const old = new Uint8Array(3 * 1024 * 1024).fill(1);
    await store.putObject("k", old);
    const { body } = await store.getObject("k");
    await store.putObject("k", new Uint8Array(10).fill(2));
    await store.deleteObject("k");
    expect(Buffer.from(await readBytes(body, { maxBytes: old.byteLength })).equals(Buffer.from(old))).toBe(true);
    await store.close();
  });
});

describe("fs conditional writes on disk", () => {
  it("TempFile.commitIfAbsent() onto an existing name resolves false, leaves the file and removes the temp file; onto a free name it commits", async () => {
    const dir = await root();
    await writeFile(join(dir, "taken"), "first");
    const refused = await TempFile.create(dir, false);
    await refused.write(new TextEncoder().encode("second"));
    expect(await refused.commitIfAbsent("taken")).toBe(false);
    expect(await readFile(join(dir, "taken"), "utf8")).toBe("first");
    const created = await TempFile.create(dir, false);
    await created.write(new TextEncoder().encode("third"));
    expect(await created.commitIfAbsent("free")).toBe(true);
    expect(await readFile(join(dir, "free"), "utf8")).toBe("third");
    expect((await readdir(dir)).sort()).toEqual(["free", "taken"]);
  });

  it("completeMultipartUpload() with ifNoneMatch '*' on two stores sharing a root: exactly one of two racing Completes wins and the loser's upload stays staged", async () => {
    const dir = await root();
    const stores = [await createFsObjectStore({ root: dir, limits }), await createFsObjectStore({ root: dir, limits })];
    const uploads = await Promise.all(
      stores.map(async (store, i) => {
        const { uploadId } = await store.createMultipartUpload("k");
        const part = await store.uploadPart("k", uploadId, 1, `body ${i}`);
        return { store, uploadId, part };
      }),
    );
    const outcomes = await Promise.allSettled(uploads.map((u) => u.store.completeMultipartUpload("k", u.uploadId, [u.part], { ifNoneMatch: "*" })));
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
    const winner = outcomes.findIndex((o) => o.status === "fulfilled");
    const loser = outcomes[1 - winner] as PromiseRejectedResult;
    expect(loser.reason).toMatchObject({ code: "PreconditionFailed", httpStatus: 412 });
    expect(new TextDecoder().decode(await readBytes((await stores[0]!.getObject("k")).body))).toBe(`body ${winner}`);
    expect(await readdir(join(dir, ".multipart"))).toEqual([uploads[1 - winner]!.uploadId]);
    expect((await readdir(join(dir, "objects"))).filter((name) => name.startsWith(".tmp-"))).toEqual([]);
    for (const store of stores) await store.close();
  });
});
