/** Keys: the shared key-limit rules (key-limit-cases.ts), then Unicode, punctuation and case. */
import type { KeyValueStore } from "@stowage/core";
import type { KeyValueRegistry } from "../case-context.js";
import { checkBytes, checkEqual } from "../assertions.js";
import { utf8 } from "../case-data.js";
import { registerKeyLimitCases } from "../key-limit-cases.js";
import { ESA_LIMITS, KV_CONTRACT } from "../sources.js";

/** Every key `keys()` yields, in its order. */
async function keysListed(store: KeyValueStore): Promise<string[]> {
  const listed = [];
  for await (const entry of store.keys()) listed.push(entry.key);
  return listed;
}

/** Registers the key cases. */
export function register(registry: KeyValueRegistry): void {
  registerKeyLimitCases(registry, {
    area: "kv.key",
    limitsSource: ESA_LIMITS,
    contractSource: KV_CONTRACT,
    writeName: "put()",
    readName: "get()",
    write: (store, key, value) => store.put(key, value),
    read: (store, key) => store.get(key),
    listKeys: keysListed,
  });
  registry.add({
    id: "kv.key.unicode-round-trip",
    area: "kv.key",
    rule: "keys with non-ASCII characters (Latin, CJK, emoji) round-trip through put(), get() and keys() unchanged",
    source: KV_CONTRACT,
    run: async (ctx) => {
      const keys = ["caf\u00e9", "\u4e2d\u6587", "emoji-\u{1f600}"].filter((k) => ![...ctx.limits.keyForbiddenCharacters].some((c) => k.includes(c)));
      for (const key of keys) await ctx.store.put(key, key);
      for (const key of keys) checkBytes(await ctx.store.get(key), utf8(key), `get(${JSON.stringify(key)})`);
      checkEqual((await keysListed(ctx.store)).sort(), [...keys].sort(), "keys()");
    },
  });
  registry.add({
    id: "kv.key.punctuation-round-trip",
    area: "kv.key",
    rule: "keys with punctuation that is not forbidden (- _ . : ! ~ * ' ( ) % + = @) round-trip unchanged",
    source: KV_CONTRACT,
    run: async (ctx) => {
      const chars = [..."-_.:!~*'()%+=@"].filter((c) => !ctx.limits.keyForbiddenCharacters.includes(c));
      const key = `p${chars.join("")}q`;
      await ctx.store.put(key, "v");
      checkBytes(await ctx.store.get(key), utf8("v"), `get(${JSON.stringify(key)})`);
    },
  });
  registry.add({
    id: "kv.key.case-sensitive",
    area: "kv.key",
    rule: "keys differing only in letter case are distinct",
    source: KV_CONTRACT,
    run: async (ctx) => {
      await ctx.store.put("Key", "upper");
      await ctx.store.put("key", "lower");
      checkBytes(await ctx.store.get("Key"), utf8("upper"), "get(\"Key\")");
      checkBytes(await ctx.store.get("key"), utf8("lower"), "get(\"key\")");
    },
  });
}
