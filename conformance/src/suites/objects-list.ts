/** Object listings: order, prefix, delimiter, paging to the end, page-size limits. */
import type { MultipartObjectStore } from "@stowage/core";
import type { ObjectRegistry } from "../case-context.js";
import { check, checkEqual, rejects } from "../assertions.js";
import { KS3_LIST, OBJECT_CONTRACT } from "../sources.js";

const MAX_PAGES = 10_000;

async function listAll(
  store: MultipartObjectStore,
  options: { prefix?: string; limit?: number; delimiter?: string; cursor?: string } = {},
): Promise<{ keys: string[]; prefixes: string[] }> {
  const keys: string[] = [];
  const prefixes: string[] = [];
  let cursor = options.cursor;
  let pages = 0;
  do {
    const page = await store.listObjects({ ...options, cursor });
    check(++pages <= MAX_PAGES, `listObjects() returned a cursor on ${MAX_PAGES} consecutive pages`);
    if (options.limit !== undefined) check(page.objects.length + page.commonPrefixes.length <= options.limit, `listObjects() page ${pages} exceeds limit ${options.limit}`);
    keys.push(...page.objects.map((o) => o.key));
    prefixes.push(...page.commonPrefixes);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return { keys, prefixes };
}

async function putAll(store: MultipartObjectStore, keys: readonly string[]): Promise<void> {
  await Promise.all(keys.map((k) => store.putObject(k, k)));
}

const numbered = (n: number, stem = "obj-"): string[] => Array.from({ length: n }, (_, i) => `${stem}${String(i).padStart(4, "0")}`);

/** Registers the object listing cases. */
export function register(registry: ObjectRegistry): void {
  registry.add({
    id: "objects.list.empty-bucket",
    area: "objects.list",
    rule: "listObjects() of an empty bucket resolves no objects, no common prefixes and no cursor",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      checkEqual(await ctx.store.listObjects(), { objects: [], commonPrefixes: [] }, "listObjects()");
    },
  });
  registry.add({
    id: "objects.list.ascending-order",
    area: "objects.list",
    rule: "listObjects() returns keys in ascending UTF-8 byte order",
    source: KS3_LIST,
    run: async (ctx) => {
      // U+FF01 and U+1F600: JavaScript's `<` orders them the other way round.
      const keys = ["b", "a", "B", "\u00e9", "a/b", "z", "\uff01", "\u{1f600}"];
      await putAll(ctx.store, keys);
      checkEqual((await listAll(ctx.store)).keys, [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))), "keys listed");
    },
  });
  registry.add({
    id: "objects.list.summaries-match-head",
    area: "objects.list",
    rule: "each listed object's size and ETag equal what headObject() reports",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      await ctx.store.putObject("a", "one");
      await ctx.store.putObject("b", "three");
      const page = await ctx.store.listObjects();
      for (const summary of page.objects) {
        const head = await ctx.store.headObject(summary.key);
        checkEqual([summary.size, summary.etag], [head.size, head.etag], `listed size and ETag of ${summary.key}`);
      }
      checkEqual(page.objects.length, 2, "objects listed");
    },
  });
  registry.add({
    id: "objects.list.prefix",
    area: "objects.list",
    rule: "listObjects({ prefix }) returns exactly the keys starting with the prefix",
    source: KS3_LIST,
    run: async (ctx) => {
      await putAll(ctx.store, ["photos/1", "photos/2", "photosynthesis", "video/1"]);
      checkEqual((await listAll(ctx.store, { prefix: "photos/" })).keys, ["photos/1", "photos/2"], "keys listed");
    },
  });
  registry.add({
    id: "objects.list.delimiter",
    area: "objects.list",
    rule: "listObjects({ delimiter: '/' }) groups keys below the first '/' into commonPrefixes and lists the rest",
    source: KS3_LIST,
    run: async (ctx) => {
      await putAll(ctx.store, ["a/1", "a/2", "b/x/1", "top"]);
      const listed = await listAll(ctx.store, { delimiter: "/" });
      checkEqual(listed.keys, ["top"], "objects");
      checkEqual(listed.prefixes, ["a/", "b/"], "commonPrefixes");
    },
  });
  registry.add({
    id: "objects.list.delimiter-with-prefix",
    area: "objects.list",
    rule: "listObjects({ prefix: 'a/', delimiter: '/' }) lists direct children and groups deeper keys",
    source: KS3_LIST,
    run: async (ctx) => {
      await putAll(ctx.store, ["a/1", "a/sub/2", "a/sub/3", "b/1"]);
      const listed = await listAll(ctx.store, { prefix: "a/", delimiter: "/" });
      checkEqual(listed.keys, ["a/1"], "objects");
      checkEqual(listed.prefixes, ["a/sub/"], "commonPrefixes");
    },
  });
  registry.add({
    id: "objects.list.paging-to-the-end",
    area: "objects.list",
    rule: "paging listObjects({ limit: 2 }) over 5 objects with the cursor yields every key exactly once, in order",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      const keys = numbered(5);
      await putAll(ctx.store, keys);
      checkEqual((await listAll(ctx.store, { limit: 2 })).keys, keys, "keys over all pages");
    },
  });
  registry.add({
    id: "objects.list.paging-under-deletes",
    area: "objects.list",
    rule: "keys deleted behind a listing's position do not make it skip a later key: every key that existed for the whole listing is listed exactly once",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      const keys = numbered(12);
      await putAll(ctx.store, keys);
      const first = await ctx.store.listObjects({ limit: 2 });
      const second = await ctx.store.listObjects({ limit: 2, cursor: first.cursor! });
      await Promise.all(keys.slice(0, 7).map((k) => ctx.store.deleteObject(k)));
      const rest = await listAll(ctx.store, { limit: 2, cursor: second.cursor! });
      const seen = [...first.objects, ...second.objects].map((o) => o.key).concat(rest.keys);
      checkEqual(seen, [...keys.slice(0, 4), ...keys.slice(7)], "keys over all pages");
    },
  });
  registry.add({
    id: "objects.list.paging-with-delimiter",
    area: "objects.list",
    rule: "paging listObjects({ delimiter, limit: 1 }) yields every object and common prefix exactly once",
    source: KS3_LIST,
    run: async (ctx) => {
      await putAll(ctx.store, ["a/1", "a/2", "b", "c/1", "d"]);
      const listed = await listAll(ctx.store, { delimiter: "/", limit: 1 });
      checkEqual(listed.keys, ["b", "d"], "objects over all pages");
      checkEqual(listed.prefixes, ["a/", "c/"], "commonPrefixes over all pages");
    },
  });
  registry.add({
    id: "objects.list.page-size-above-max",
    area: "objects.list",
    rule: "listObjects({ limit: listObjectsMaxPageSize + 1 }) rejects InvalidArgument",
    source: KS3_LIST,
    run: async (ctx) => {
      await rejects(ctx.store.listObjects({ limit: ctx.limits.listObjectsMaxPageSize + 1 }), "InvalidArgument", "listObjects()");
    },
  });
  registry.add({
    id: "objects.list.delimiter-page-size-above-max",
    area: "objects.list",
    rule: "listObjects({ delimiter, limit: listObjectsWithDelimiterMaxPageSize + 1 }) rejects InvalidArgument",
    source: `${KS3_LIST} (KS3 quirk: 100 with a delimiter)`,
    run: async (ctx) => {
      await rejects(
        ctx.store.listObjects({ delimiter: "/", limit: ctx.limits.listObjectsWithDelimiterMaxPageSize + 1 }),
        "InvalidArgument",
        "listObjects()",
      );
    },
  });
  registry.add({
    id: "objects.list.iterator",
    area: "objects.list",
    rule: "objects({ limit: 2 }) iterates every object once, in order, across pages",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      const keys = numbered(5);
      await putAll(ctx.store, keys);
      const seen: string[] = [];
      for await (const o of ctx.store.objects({ limit: 2 })) seen.push(o.key);
      checkEqual(seen, keys, "keys iterated");
    },
  });
  registry.add({
    id: "objects.list.deleted-absent",
    area: "objects.list",
    rule: "a deleted object no longer appears in listObjects()",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      await putAll(ctx.store, ["a", "b"]);
      await ctx.store.deleteObject("a");
      checkEqual((await listAll(ctx.store)).keys, ["b"], "keys listed");
    },
  });
}
