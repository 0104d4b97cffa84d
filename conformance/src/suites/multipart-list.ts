/** listParts and listMultipartUploads: order, contents, paging, page-size limits. */
import type { CompletedPart, ListMultipartUploadsPage, ListPartsPage, MultipartObjectStore } from "@stowage/core";
import type { ObjectRegistry } from "../case-context.js";
import { check, checkEqual, rejects } from "../assertions.js";
import { pattern } from "../case-data.js";
import { KS3_LIST_MULTIPART, OBJECT_CONTRACT } from "../sources.js";

const MAX_PAGES = 10_000;

async function pageThrough<P extends { cursor?: string }>(fetch: (cursor: string | undefined) => Promise<P>, limit: number, count: (page: P) => number): Promise<P[]> {
  const pages: P[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    check(count(page) <= limit, `page ${pages.length + 1} has ${count(page)} entries, more than limit ${limit}`);
    pages.push(page);
    check(pages.length <= MAX_PAGES, `a cursor came back on ${MAX_PAGES} consecutive pages`);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return pages;
}

async function openUploads(store: MultipartObjectStore, keys: readonly string[]): Promise<Array<{ key: string; uploadId: string }>> {
  const uploads = [];
  for (const key of keys) uploads.push(await store.createMultipartUpload(key));
  return uploads;
}

/** Listing order by key (the order within one key is by initiation, which may tie). */
const order = (a: { key: string }, b: { key: string }): number => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key));

/** Registers the multipart listing cases. */
export function register(registry: ObjectRegistry): void {
  registry.add({
    id: "multipart.list-parts.ascending",
    area: "multipart.list",
    rule: "listParts() lists uploaded parts in ascending part-number order with their ETags and sizes",
    source: KS3_LIST_MULTIPART,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      const uploaded: CompletedPart[] = [];
      for (const n of [3, 1, 2]) uploaded.push(await ctx.store.uploadPart("o", uploadId, n, pattern(n * 10, n)));
      const { parts } = await ctx.store.listParts("o", uploadId);
      checkEqual(
        parts.map((p) => [p.partNumber, p.etag, p.size]),
        [1, 2, 3].map((n) => [n, uploaded.find((u) => u.partNumber === n)!.etag, n * 10]),
        "listed parts (number, ETag, size)",
      );
    },
  });
  registry.add({
    id: "multipart.list-parts.empty",
    area: "multipart.list",
    rule: "listParts() of an upload with no parts resolves no parts and no cursor",
    source: KS3_LIST_MULTIPART,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      const page = await ctx.store.listParts("o", uploadId);
      checkEqual([page.parts, page.cursor], [[], undefined], "parts and cursor");
    },
  });
  registry.add({
    id: "multipart.list-parts.paging",
    area: "multipart.list",
    rule: "paging listParts({ limit: 2 }) over 5 parts yields every part exactly once, in order",
    source: KS3_LIST_MULTIPART,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      for (const n of [1, 2, 3, 4, 5]) await ctx.store.uploadPart("o", uploadId, n, "x");
      const pages = await pageThrough<ListPartsPage>((cursor) => ctx.store.listParts("o", uploadId, { limit: 2, ...(cursor === undefined ? {} : { cursor }) }), 2, (p) => p.parts.length);
      checkEqual(pages.flatMap((p) => p.parts.map((x) => x.partNumber)), [1, 2, 3, 4, 5], "part numbers over all pages");
    },
  });
  registry.add({
    id: "multipart.list-parts.page-size-above-max",
    area: "multipart.list",
    rule: "listParts({ limit: listPartsMaxPageSize + 1 }) rejects InvalidArgument",
    source: KS3_LIST_MULTIPART,
    run: async (ctx) => {
      const { uploadId } = await ctx.store.createMultipartUpload("o");
      await rejects(ctx.store.listParts("o", uploadId, { limit: ctx.limits.listPartsMaxPageSize + 1 }), "InvalidArgument", "listParts()");
    },
  });
  registry.add({
    id: "multipart.list-uploads.lists-open",
    area: "multipart.list",
    rule: "listMultipartUploads() lists every open upload with its key, upload id and initiation time, ordered by key",
    source: KS3_LIST_MULTIPART,
    run: async (ctx) => {
      const opened = await openUploads(ctx.store, ["b", "a", "c"]);
      const { uploads } = await ctx.store.listMultipartUploads();
      checkEqual(uploads.map((u) => [u.key, u.uploadId]), [...opened].sort(order).map((u) => [u.key, u.uploadId]), "uploads (key, id)");
      check(uploads.every((u) => u.initiated instanceof Date && !Number.isNaN(u.initiated.getTime())), "an upload's initiated is not a valid Date");
    },
  });
  registry.add({
    id: "multipart.list-uploads.same-key-twice",
    area: "multipart.list",
    rule: "listMultipartUploads() lists both of two open uploads of one key",
    source: KS3_LIST_MULTIPART,
    run: async (ctx) => {
      const opened = await openUploads(ctx.store, ["o", "o"]);
      const { uploads } = await ctx.store.listMultipartUploads();
      checkEqual(uploads.map((u) => u.uploadId).sort(), opened.map((u) => u.uploadId).sort(), "upload ids listed");
    },
  });
  registry.add({
    id: "multipart.list-uploads.prefix",
    area: "multipart.list",
    rule: "listMultipartUploads({ prefix }) lists only uploads whose key starts with the prefix",
    source: KS3_LIST_MULTIPART,
    run: async (ctx) => {
      await openUploads(ctx.store, ["logs/1", "logs/2", "media/1"]);
      const { uploads } = await ctx.store.listMultipartUploads({ prefix: "logs/" });
      checkEqual(uploads.map((u) => u.key), ["logs/1", "logs/2"], "keys listed");
    },
  });
  registry.add({
    id: "multipart.list-uploads.paging",
    area: "multipart.list",
    rule: "paging listMultipartUploads({ limit: 2 }) over 5 uploads (two sharing a key) yields every upload exactly once",
    source: KS3_LIST_MULTIPART,
    run: async (ctx) => {
      const opened = await openUploads(ctx.store, ["a", "b", "b", "c", "d"]);
      const pages = await pageThrough<ListMultipartUploadsPage>(
        (cursor) => ctx.store.listMultipartUploads({ limit: 2, ...(cursor === undefined ? {} : { cursor }) }),
        2,
        (p) => p.uploads.length,
      );
      const listed = pages.flatMap((p) => p.uploads);
      // Uploads of one key opened in the same instant may come in either order; keys may not.
      checkEqual(listed.map((u) => u.key), [...opened].sort(order).map((u) => u.key), "keys over all pages");
      checkEqual(listed.map((u) => u.uploadId).sort(), opened.map((u) => u.uploadId).sort(), "upload ids over all pages");
    },
  });
  registry.add({
    id: "multipart.list-uploads.page-size-above-max",
    area: "multipart.list",
    rule: "listMultipartUploads({ limit: listMultipartUploadsMaxPageSize + 1 }) rejects InvalidArgument",
    source: `${KS3_LIST_MULTIPART}; ${OBJECT_CONTRACT}`,
    run: async (ctx) => {
      await rejects(ctx.store.listMultipartUploads({ limit: ctx.limits.listMultipartUploadsMaxPageSize + 1 }), "InvalidArgument", "listMultipartUploads()");
    },
  });
}
