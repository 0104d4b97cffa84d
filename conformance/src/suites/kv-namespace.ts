/** The namespace as a whole: its capacity, and provider error codes on provider adapters. */
import type { KeyValueRegistry } from "../case-context.js";
import { check, checkEqual, rejects } from "../assertions.js";
import { pattern } from "../case-data.js";
import { kv } from "../requirements.js";
import { ESA_LIMITS, KV_CONTRACT } from "../sources.js";

/** The small capacity the quota cases ask for. */
const CAPACITY = 4096;

/** Registers the namespace cases. */
export function register(registry: KeyValueRegistry): void {
  registry.add({
    id: "kv.quota.exceeded",
    area: "kv.namespace",
    rule: "put() that would take a namespace past its capacity rejects QuotaExceeded and leaves the earlier values",
    source: `${ESA_LIMITS} (InvalidKey.ExceedsCapacity); ${KV_CONTRACT}`,
    requires: [kv.provides("createWithCapacity")],
    run: async (ctx) => {
      const store = ctx.adopt(await ctx.subject.createWithCapacity!(CAPACITY));
      await store.put("first", pattern(CAPACITY / 2));
      await rejects(store.put("second", pattern(CAPACITY)), "QuotaExceeded", "put() past the capacity");
      checkEqual(await store.get("second"), undefined, "get() of the rejected key");
      checkEqual((await store.get("first"))?.byteLength, CAPACITY / 2, "bytes of the earlier value");
    },
  });
  registry.add({
    id: "kv.quota.delete-frees-space",
    area: "kv.namespace",
    rule: "after QuotaExceeded, deleting a value frees its space for the next put()",
    source: KV_CONTRACT,
    requires: [kv.provides("createWithCapacity")],
    run: async (ctx) => {
      const store = ctx.adopt(await ctx.subject.createWithCapacity!(CAPACITY));
      await store.put("first", pattern(CAPACITY / 2));
      await rejects(store.put("second", pattern(CAPACITY / 2 + 512)), "QuotaExceeded", "put() past the capacity");
      await store.delete("first");
      await store.put("second", pattern(CAPACITY / 2 + 512));
      checkEqual((await store.get("second"))?.byteLength, CAPACITY / 2 + 512, "bytes after the retry");
    },
  });
  registry.add({
    id: "kv.errors.provider-code",
    area: "kv.namespace",
    rule: "an error that comes from the provider carries a normalized code and the provider's own providerCode",
    source: KV_CONTRACT,
    requires: [
      kv.provides("dropNamespace"),
      {
        label: "subject.reportsProviderCodes",
        unmet: (_limits, subject) => (subject.reportsProviderCodes ? undefined : "the subject is not a provider adapter (reportsProviderCodes is not set)"),
      },
    ],
    run: async (ctx) => {
      await ctx.subject.dropNamespace!(ctx.store);
      const err = await rejects(ctx.store.get("k"), "NamespaceNotFound", "get() in a deleted namespace");
      check(typeof err.providerCode === "string" && err.providerCode.length > 0, `providerCode: expected the provider's code, got ${String(err.providerCode)}`);
    },
  });
}
