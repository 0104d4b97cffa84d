/** Concurrent calls on one namespace: no lost writes, no torn values. */
import type { KeyValueRegistry } from "../case-context.js";
import { check, checkBytes, checkEqual } from "../assertions.js";
import { pattern } from "../case-data.js";
import { DESIGN_CONCURRENCY } from "../sources.js";

/** Registers the key-value concurrency cases. */
export function register(registry: KeyValueRegistry): void {
  registry.add({
    id: "concurrency.kv.distinct-keys",
    area: "concurrency",
    rule: "32 parallel put() calls to distinct keys all land, each with its own value",
    source: DESIGN_CONCURRENCY,
    run: async (ctx) => {
      const keys = Array.from({ length: 32 }, (_, i) => `p-${String(i).padStart(2, "0")}`);
      await Promise.all(keys.map((k, i) => ctx.store.put(k, pattern(100, i))));
      const values = await Promise.all(keys.map((k) => ctx.store.get(k)));
      values.forEach((v, i) => checkBytes(v, pattern(100, i), `get(${keys[i]})`));
    },
  });
  registry.add({
    id: "concurrency.kv.last-writer-wins",
    area: "concurrency",
    rule: "after 16 parallel put() calls to one key the value is exactly one of the written values (never a mix), and a later put() wins",
    source: DESIGN_CONCURRENCY,
    run: async (ctx) => {
      const candidates = Array.from({ length: 16 }, (_, i) => pattern(4096, i));
      await Promise.all(candidates.map((v) => ctx.store.put("hot", v)));
      const value = await ctx.store.get("hot");
      check(value !== undefined, "get() after the parallel writes resolved undefined");
      check(
        candidates.some((c) => Buffer.compare(Buffer.from(c), Buffer.from(value)) === 0),
        "the value is none of the written values (a torn write)",
      );
      await ctx.store.put("hot", "final");
      checkEqual(await ctx.store.getText("hot"), "final", "getText() after a later put()");
    },
  });
  registry.add({
    id: "concurrency.kv.read-during-overwrite",
    area: "concurrency",
    rule: "get() racing an overwrite resolves the old or the new value, whole",
    source: DESIGN_CONCURRENCY,
    run: async (ctx) => {
      const oldValue = pattern(8192, 1);
      const newValue = pattern(8192, 2);
      await ctx.store.put("k", oldValue);
      const [, read] = await Promise.all([ctx.store.put("k", newValue), ctx.store.get("k")]);
      check(read !== undefined, "get() during an overwrite resolved undefined");
      const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
      check(same(read, oldValue) || same(read, newValue), "get() during an overwrite returned neither the old nor the new value");
    },
  });
}
