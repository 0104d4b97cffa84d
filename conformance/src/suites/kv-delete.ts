/** Delete: whether the key existed, and that it is gone afterwards. */
import type { KeyValueRegistry } from "../case-context.js";
import { checkEqual } from "../assertions.js";
import { KV_CONTRACT } from "../sources.js";

/** Registers the delete cases. */
export function register(registry: KeyValueRegistry): void {
  registry.add({
    id: "kv.delete.present",
    area: "kv.delete",
    rule: "delete() of a present key resolves true and get() then resolves undefined",
    source: KV_CONTRACT,
    run: async (ctx) => {
      await ctx.store.put("k", "v");
      checkEqual(await ctx.store.delete("k"), true, "delete()");
      checkEqual(await ctx.store.get("k"), undefined, "get() after delete()");
    },
  });
  registry.add({
    id: "kv.delete.absent",
    area: "kv.delete",
    rule: "delete() of an absent key resolves false (not an error)",
    source: KV_CONTRACT,
    run: async (ctx) => {
      checkEqual(await ctx.store.delete("never-written"), false, "delete()");
    },
  });
  registry.add({
    id: "kv.delete.twice",
    area: "kv.delete",
    rule: "a second delete() of the same key resolves false",
    source: KV_CONTRACT,
    run: async (ctx) => {
      await ctx.store.put("k", "v");
      checkEqual(await ctx.store.delete("k"), true, "first delete()");
      checkEqual(await ctx.store.delete("k"), false, "second delete()");
    },
  });
  registry.add({
    id: "kv.delete.leaves-other-keys",
    area: "kv.delete",
    rule: "delete() of one key leaves keys sharing its prefix untouched",
    source: KV_CONTRACT,
    run: async (ctx) => {
      await ctx.store.put("a", "1");
      await ctx.store.put("ab", "2");
      await ctx.store.delete("a");
      checkEqual(await ctx.store.getText("ab"), "2", "getText(\"ab\")");
    },
  });
}
