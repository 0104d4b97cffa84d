/** Listing: order, prefixes, paging to the end without duplicates or gaps, page-size limits. */
import type { KeyValueStore } from "@stowage/core";
import type { KeyValueRegistry } from "../case-context.js";
import { check, checkEqual, rejects } from "../assertions.js";
import { kv } from "../requirements.js";
import { ESA_LIST, KV_CONTRACT } from "../sources.js";

/** The small listMaxKeys the list-window cases ask for. */
const LIST_WINDOW = 10;

/** More pages than this means the cursor never ends. */
const MAX_PAGES = 10_000;

/** Pages through list() to the end (from `cursor`, when given), checking each page's size. */
async function listAll(store: KeyValueStore, options: { prefix?: string; limit?: number; cursor?: string } = {}): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let cursor = options.cursor;
  let pages = 0;
  do {
    const page = await store.list({ ...options, cursor });
    pages++;
    check(pages <= MAX_PAGES, `list() returned a cursor on ${MAX_PAGES} consecutive pages`);
    if (options.limit !== undefined) check(page.keys.length <= options.limit, `list() page ${pages} has ${page.keys.length} keys, more than limit ${options.limit}`);
    keys.push(...page.keys.map((e) => e.key));
    cursor = page.cursor;
  } while (cursor !== undefined);
  return { keys, pages };
}

async function putAll(store: KeyValueStore, keys: readonly string[]): Promise<void> {
  await Promise.all(keys.map((k) => store.put(k, "v")));
}

const utf8Order = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
const numbered = (n: number, stem = "key-"): string[] => Array.from({ length: n }, (_, i) => `${stem}${String(i).padStart(4, "0")}`);

/** Registers the listing cases. */
export function register(registry: KeyValueRegistry): void {
  registry.add({
    id: "kv.list.empty-namespace",
    area: "kv.list",
    rule: "list() of an empty namespace resolves no keys and no cursor",
    source: KV_CONTRACT,
    run: async (ctx) => {
      const page = await ctx.store.list();
      checkEqual(page.keys, [], "keys");
      checkEqual(page.cursor, undefined, "cursor");
    },
  });
  registry.add({
    id: "kv.list.ascending-byte-order",
    area: "kv.list",
    rule: "list() returns keys in ascending UTF-8 byte order",
    source: KV_CONTRACT,
    run: async (ctx) => {
      // U+FF01 and U+1F600: JavaScript's `<` orders them the other way round.
      const keys = ["b", "a", "B", "\u00e9", "aa", "z", "0", "\uff01", "\u{1f600}"];
      await putAll(ctx.store, keys);
      checkEqual((await listAll(ctx.store)).keys, [...keys].sort(utf8Order), "keys listed");
    },
  });
  registry.add({
    id: "kv.list.prefix",
    area: "kv.list",
    rule: "list({ prefix }) returns exactly the keys starting with the prefix",
    source: ESA_LIST,
    run: async (ctx) => {
      await putAll(ctx.store, ["app-1", "app-2", "apple", "ap", "b-app-3"]);
      checkEqual((await listAll(ctx.store, { prefix: "app-" })).keys, ["app-1", "app-2"], "keys listed under app-");
    },
  });
  registry.add({
    id: "kv.list.prefix-no-match",
    area: "kv.list",
    rule: "list({ prefix }) with no matching key resolves no keys and no cursor",
    source: ESA_LIST,
    run: async (ctx) => {
      await putAll(ctx.store, ["a", "b"]);
      const page = await ctx.store.list({ prefix: "zz" });
      checkEqual(page.keys, [], "keys");
      checkEqual(page.cursor, undefined, "cursor");
    },
  });
  registry.add({
    id: "kv.list.paging-to-the-end",
    area: "kv.list",
    rule: "paging list({ limit: 3 }) over 7 keys with the cursor yields every key exactly once, in order",
    source: KV_CONTRACT,
    run: async (ctx) => {
      const keys = numbered(7);
      await putAll(ctx.store, keys);
      const listed = await listAll(ctx.store, { limit: 3 });
      checkEqual(listed.keys, keys, "keys over all pages");
      check(listed.pages >= 3, `expected at least 3 pages, got ${listed.pages}`);
    },
  });
  registry.add({
    id: "kv.list.paging-under-deletes",
    area: "kv.list",
    rule: "keys deleted behind a listing's position (more than a page of them) do not make it skip a later key: every key that existed for the whole listing is listed exactly once",
    source: KV_CONTRACT,
    run: async (ctx) => {
      const keys = numbered(12);
      await putAll(ctx.store, keys);
      const first = await ctx.store.list({ limit: 2 });
      const second = await ctx.store.list({ limit: 2, cursor: first.cursor! });
      await Promise.all(keys.slice(0, 7).map((k) => ctx.store.delete(k)));
      const rest = await listAll(ctx.store, { limit: 2, cursor: second.cursor! });
      const seen = [...first.keys, ...second.keys].map((e) => e.key).concat(rest.keys);
      checkEqual(seen, [...keys.slice(0, 4), ...keys.slice(7)], "keys over all pages");
    },
  });
  registry.add({
    id: "kv.list.paging-under-inserts",
    area: "kv.list",
    rule: "keys inserted behind a listing's position do not make it repeat a key: every key that existed for the whole listing is listed exactly once",
    source: KV_CONTRACT,
    run: async (ctx) => {
      const keys = numbered(8);
      await putAll(ctx.store, keys);
      const first = await ctx.store.list({ limit: 2 });
      const second = await ctx.store.list({ limit: 2, cursor: first.cursor! });
      await putAll(ctx.store, numbered(5, "a-"));
      const rest = await listAll(ctx.store, { limit: 2, cursor: second.cursor! });
      const seen = [...first.keys, ...second.keys].map((e) => e.key).concat(rest.keys);
      checkEqual(seen, keys, "keys over all pages");
    },
  });
  registry.add({
    id: "kv.list.paging-exact-multiple",
    area: "kv.list",
    rule: "paging list({ limit: 3 }) over exactly 6 keys yields every key exactly once (a last full page ends cleanly)",
    source: KV_CONTRACT,
    run: async (ctx) => {
      const keys = numbered(6);
      await putAll(ctx.store, keys);
      checkEqual((await listAll(ctx.store, { limit: 3 })).keys, keys, "keys over all pages");
    },
  });
  registry.add({
    id: "kv.list.limit-one",
    area: "kv.list",
    rule: "list({ limit: 1 }) pages one key at a time through every key",
    source: KV_CONTRACT,
    run: async (ctx) => {
      const keys = numbered(3);
      await putAll(ctx.store, keys);
      const listed = await listAll(ctx.store, { limit: 1 });
      checkEqual(listed.keys, keys, "keys over all pages");
    },
  });
  registry.add({
    id: "kv.list.paging-with-prefix",
    area: "kv.list",
    rule: "paging list({ prefix, limit: 2 }) yields exactly the prefixed keys, each once",
    source: `${KV_CONTRACT}; ${ESA_LIST}`,
    run: async (ctx) => {
      const inside = numbered(5, "in-");
      await putAll(ctx.store, [...inside, ...numbered(3, "out-"), "i", "in"]);
      checkEqual((await listAll(ctx.store, { prefix: "in-", limit: 2 })).keys, inside, "keys over all pages");
    },
  });
  registry.add({
    id: "kv.list.max-page-size",
    area: "kv.list",
    rule: "list({ limit: listMaxPageSize }) over listMaxPageSize + 1 keys returns a full page with a cursor, then the last key",
    source: ESA_LIST,
    requires: [kv.manifest("listMaxPageSize ≤ 1000", (l) => l.listMaxPageSize <= 1000)],
    run: async (ctx) => {
      const keys = numbered(ctx.limits.listMaxPageSize + 1);
      await putAll(ctx.store, keys);
      const first = await ctx.store.list({ limit: ctx.limits.listMaxPageSize });
      checkEqual(first.keys.length, ctx.limits.listMaxPageSize, "keys on the first page");
      check(first.cursor !== undefined, "the first page has no cursor although a key remains");
      const second = await ctx.store.list({ limit: ctx.limits.listMaxPageSize, cursor: first.cursor });
      checkEqual(second.keys.map((e) => e.key), [keys.at(-1)], "keys on the second page");
    },
  });
  registry.add({
    id: "kv.list.page-size-above-max",
    area: "kv.list",
    rule: "list({ limit: listMaxPageSize + 1 }) rejects InvalidArgument",
    source: ESA_LIST,
    run: async (ctx) => {
      await rejects(ctx.store.list({ limit: ctx.limits.listMaxPageSize + 1 }), "InvalidArgument", "list()");
    },
  });
  registry.add({
    id: "kv.list.page-size-zero",
    area: "kv.list",
    rule: "list({ limit: 0 }) rejects InvalidArgument",
    source: KV_CONTRACT,
    run: async (ctx) => {
      await rejects(ctx.store.list({ limit: 0 }), "InvalidArgument", "list()");
    },
  });
  registry.add({
    id: "kv.list.window-exceeded",
    area: "kv.list",
    rule: "a page that would reach past listMaxKeys keys into a listing rejects InvalidArgument; the pages before it list every key up to there, each with a cursor",
    source: `${ESA_LIST} (PageNumber × PageSize ≤ 50,000); ${KV_CONTRACT}`,
    requires: [kv.provides("createWithListWindow")],
    run: async (ctx) => {
      const store = ctx.adopt(await ctx.subject.createWithListWindow!(LIST_WINDOW));
      const keys = numbered(LIST_WINDOW + 4);
      await putAll(store, keys);
      const first = await store.list({ limit: 4 });
      const second = await store.list({ limit: 4, cursor: first.cursor! });
      checkEqual([...first.keys, ...second.keys].map((e) => e.key), keys.slice(0, 8), "keys on the first two pages");
      check(second.cursor !== undefined, "the listing ended silently at the window although keys remain");
      await rejects(store.list({ limit: 4, cursor: second.cursor! }), "InvalidArgument", "list() of the page past the window");
    },
  });
  registry.add({
    id: "kv.list.window-exact",
    area: "kv.list",
    rule: "a listing of exactly listMaxKeys keys pages to its end without error",
    source: `${ESA_LIST}; ${KV_CONTRACT}`,
    requires: [kv.provides("createWithListWindow")],
    run: async (ctx) => {
      const store = ctx.adopt(await ctx.subject.createWithListWindow!(LIST_WINDOW));
      const keys = numbered(LIST_WINDOW);
      await putAll(store, keys);
      checkEqual((await listAll(store, { limit: LIST_WINDOW / 2 })).keys, keys, "keys over all pages");
    },
  });
  registry.add({
    id: "kv.list.window-per-prefix",
    area: "kv.list",
    rule: "the listMaxKeys window counts keys within the listed prefix, so a narrower prefix reaches keys past a wider listing's window",
    source: `${ESA_LIST}; ${KV_CONTRACT}`,
    requires: [kv.provides("createWithListWindow")],
    run: async (ctx) => {
      const store = ctx.adopt(await ctx.subject.createWithListWindow!(LIST_WINDOW));
      const late = numbered(3, "zz-");
      await putAll(store, [...numbered(LIST_WINDOW + 2), ...late]);
      checkEqual((await listAll(store, { prefix: "zz-", limit: 2 })).keys, late, "keys under the narrower prefix");
    },
  });
  registry.add({
    id: "kv.list.foreign-cursor",
    area: "kv.list",
    rule: "list() with a cursor the store never issued rejects InvalidArgument",
    source: KV_CONTRACT,
    run: async (ctx) => {
      await putAll(ctx.store, ["a"]);
      await rejects(ctx.store.list({ cursor: "not-a-cursor-\u00e9" }), "InvalidArgument", "list()");
    },
  });
  registry.add({
    id: "kv.list.deleted-key-absent",
    area: "kv.list",
    rule: "a deleted key no longer appears in list()",
    source: KV_CONTRACT,
    run: async (ctx) => {
      await putAll(ctx.store, ["a", "b", "c"]);
      await ctx.store.delete("b");
      checkEqual((await listAll(ctx.store)).keys, ["a", "c"], "keys listed");
    },
  });
  registry.add({
    id: "kv.keys.iterates-every-page",
    area: "kv.list",
    rule: "keys({ limit: 2 }) iterates every key once, in order, across pages",
    source: KV_CONTRACT,
    run: async (ctx) => {
      const keys = numbered(5);
      await putAll(ctx.store, keys);
      const seen: string[] = [];
      for await (const entry of ctx.store.keys({ limit: 2 })) seen.push(entry.key);
      checkEqual(seen, keys, "keys iterated");
    },
  });
  registry.add({
    id: "kv.keys.prefix",
    area: "kv.list",
    rule: "keys({ prefix }) iterates exactly the prefixed keys",
    source: KV_CONTRACT,
    run: async (ctx) => {
      await putAll(ctx.store, ["x-1", "x-2", "y-1"]);
      const seen: string[] = [];
      for await (const entry of ctx.store.keys({ prefix: "x-" })) seen.push(entry.key);
      checkEqual(seen, ["x-1", "x-2"], "keys iterated");
    },
  });
}
