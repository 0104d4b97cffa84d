/** Keys: the byte limit (derived from the manifest), forbidden characters, Unicode. */
import type { KeyValueRegistry, KvCaseContext } from "../case-context.js";
import { check, checkBytes, checkEqual, rejects } from "../assertions.js";
import { THREE_BYTE_CHAR, asciiKey, utf8 } from "../case-data.js";
import { kv } from "../requirements.js";
import { ESA_LIMITS, KV_CONTRACT } from "../sources.js";

async function roundTrips(ctx: KvCaseContext, key: string): Promise<void> {
  await ctx.store.put(key, "v");
  checkBytes(await ctx.store.get(key), utf8("v"), `get() of a ${utf8(key).byteLength}-byte key`);
  const listed = [];
  for await (const entry of ctx.store.keys()) listed.push(entry.key);
  checkEqual(listed, [key], "keys() after one put");
}

/** Registers the key cases. */
export function register(registry: KeyValueRegistry): void {
  registry.add({
    id: "kv.key.max-bytes-minus-one",
    area: "kv.key",
    rule: "put() and get() of a key of keyMaxBytes − 1 bytes round-trip",
    source: ESA_LIMITS,
    run: (ctx) => roundTrips(ctx, asciiKey(ctx.limits.keyMaxBytes - 1)),
  });
  registry.add({
    id: "kv.key.max-bytes",
    area: "kv.key",
    rule: "put() and get() of a key of exactly keyMaxBytes bytes round-trip",
    source: ESA_LIMITS,
    run: (ctx) => roundTrips(ctx, asciiKey(ctx.limits.keyMaxBytes)),
  });
  registry.add({
    id: "kv.key.max-bytes-plus-one",
    area: "kv.key",
    rule: "put() of a key of keyMaxBytes + 1 bytes rejects KeyTooLong and writes nothing",
    source: ESA_LIMITS,
    run: async (ctx) => {
      await rejects(ctx.store.put(asciiKey(ctx.limits.keyMaxBytes + 1), "v"), "KeyTooLong", "put()");
      const page = await ctx.store.list();
      checkEqual(page.keys.length, 0, "keys listed after the rejected put");
    },
  });
  registry.add({
    id: "kv.key.multibyte-at-limit",
    area: "kv.key",
    rule: "a key of keyMaxBytes bytes ending in a three-byte UTF-8 character is accepted (the limit counts bytes)",
    source: ESA_LIMITS,
    run: (ctx) => roundTrips(ctx, asciiKey(ctx.limits.keyMaxBytes - 3) + THREE_BYTE_CHAR),
  });
  registry.add({
    id: "kv.key.multibyte-straddling-limit",
    area: "kv.key",
    rule: "put() of a key whose last three-byte UTF-8 character straddles keyMaxBytes rejects KeyTooLong, though it has fewer characters than keyMaxBytes",
    source: ESA_LIMITS,
    run: async (ctx) => {
      const key = asciiKey(ctx.limits.keyMaxBytes - 2) + THREE_BYTE_CHAR;
      check(key.length < ctx.limits.keyMaxBytes, "the key has fewer characters than the byte limit");
      await rejects(ctx.store.put(key, "v"), "KeyTooLong", "put()");
    },
  });
  registry.add({
    id: "kv.key.empty",
    area: "kv.key",
    rule: "put() of the empty key rejects InvalidKey",
    source: KV_CONTRACT,
    run: async (ctx) => {
      await rejects(ctx.store.put("", "v"), "InvalidKey", "put(\"\")");
    },
  });
  registry.add({
    id: "kv.key.forbidden-characters",
    area: "kv.key",
    rule: "put() of a key containing any one of keyForbiddenCharacters rejects InvalidKey",
    source: ESA_LIMITS,
    requires: [kv.manifest("keyForbiddenCharacters is not empty", (l) => l.keyForbiddenCharacters.length > 0)],
    run: async (ctx) => {
      for (const c of ctx.limits.keyForbiddenCharacters) {
        await rejects(ctx.store.put(`a${c}b`, "v"), "InvalidKey", `put() of a key containing ${JSON.stringify(c)}`);
      }
    },
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
      const listed = [];
      for await (const entry of ctx.store.keys()) listed.push(entry.key);
      checkEqual(listed.sort(), [...keys].sort(), "keys()");
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
