/** Batches: per-key results, partial success, splitting at the manifest's batch limits, Unsupported. */
import type { KvBatchResult } from "@stowage/core";
import type { KeyValueRegistry } from "../case-context.js";
import { check, checkBytes, checkEqual, rejects } from "../assertions.js";
import { asciiKey, pattern } from "../case-data.js";
import { kv } from "../requirements.js";
import { ESA_BATCH, KV_CONTRACT } from "../sources.js";

function failedCodes(result: KvBatchResult): Array<[string, string]> {
  return result.failed.map((f) => [f.key, f.error?.code]);
}

/** Registers the batch cases. */
export function register(registry: KeyValueRegistry): void {
  const putMany = kv.claims("putMany");
  const deleteMany = kv.claims("deleteMany");
  registry.add({
    id: "kv.batch.put-many-writes-all",
    area: "kv.batch",
    rule: "putMany() writes every entry and reports every key as succeeded, in request order",
    source: ESA_BATCH,
    requires: [putMany],
    run: async (ctx) => {
      const result = await ctx.store.putMany([
        { key: "c", value: "3" },
        { key: "a", value: "1" },
        { key: "b", value: Uint8Array.of(2) },
      ]);
      checkEqual(result.succeeded, ["c", "a", "b"], "succeeded");
      checkEqual(result.failed, [], "failed");
      checkEqual(await ctx.store.getText("a"), "1", "getText(\"a\")");
      checkBytes(await ctx.store.get("b"), Uint8Array.of(2), "get(\"b\")");
    },
  });
  registry.add({
    id: "kv.batch.put-many-empty",
    area: "kv.batch",
    rule: "putMany([]) resolves with no succeeded and no failed keys",
    source: KV_CONTRACT,
    requires: [putMany],
    run: async (ctx) => {
      checkEqual(await ctx.store.putMany([]), { succeeded: [], failed: [] }, "putMany([])");
    },
  });
  registry.add({
    id: "kv.batch.put-many-invalid-key-reported",
    area: "kv.batch",
    rule: "putMany() with one empty key reports it failed with InvalidKey and still writes the others",
    source: `${KV_CONTRACT}; ${ESA_BATCH}`,
    requires: [putMany],
    run: async (ctx) => {
      const result = await ctx.store.putMany([
        { key: "ok-1", value: "1" },
        { key: "", value: "x" },
        { key: "ok-2", value: "2" },
      ]);
      checkEqual(result.succeeded, ["ok-1", "ok-2"], "succeeded");
      checkEqual(failedCodes(result), [["", "InvalidKey"]], "failed (key, code)");
      checkEqual(await ctx.store.getText("ok-2"), "2", "getText(\"ok-2\")");
    },
  });
  registry.add({
    id: "kv.batch.put-many-key-too-long-reported",
    area: "kv.batch",
    rule: "putMany() with a key of keyMaxBytes + 1 bytes reports it failed with KeyTooLong and still writes the others",
    source: `${KV_CONTRACT}; ${ESA_BATCH}`,
    requires: [putMany],
    run: async (ctx) => {
      const long = asciiKey(ctx.limits.keyMaxBytes + 1);
      const result = await ctx.store.putMany([
        { key: long, value: "x" },
        { key: "ok", value: "1" },
      ]);
      checkEqual(result.succeeded, ["ok"], "succeeded");
      checkEqual(failedCodes(result), [[long, "KeyTooLong"]], "failed (key, code)");
    },
  });
  registry.add({
    id: "kv.batch.put-many-split-over-max-bytes",
    area: "kv.batch",
    rule: "putMany() whose values total more than putManyMaxBytes is split into several requests and writes every entry",
    source: ESA_BATCH,
    requires: [putMany, kv.manifest("putManyMaxBytes ≤ 16 MiB", (l) => l.putManyMaxBytes <= 16 * 1024 * 1024)],
    run: async (ctx) => {
      const size = Math.min(ctx.limits.putMaxValueBytes, Math.floor(ctx.limits.putManyMaxBytes / 2) + 1);
      const count = Math.ceil(ctx.limits.putManyMaxBytes / size) + 1;
      const entries = Array.from({ length: count }, (_, i) => ({ key: `big-${i}`, value: pattern(size, i) }));
      const result = await ctx.store.putMany(entries);
      checkEqual(result.failed.length, 0, "failed entries");
      checkEqual(result.succeeded, entries.map((e) => e.key), "succeeded");
      checkBytes(await ctx.store.get(`big-${count - 1}`), pattern(size, count - 1), "get() of the last entry");
    },
  });
  registry.add({
    id: "kv.batch.delete-many-removes",
    area: "kv.batch",
    rule: "deleteMany() removes the listed keys, reports them succeeded, and leaves the others",
    source: ESA_BATCH,
    requires: [deleteMany],
    run: async (ctx) => {
      for (const k of ["a", "b", "c"]) await ctx.store.put(k, k);
      const result = await ctx.store.deleteMany(["a", "b"]);
      checkEqual(result.succeeded, ["a", "b"], "succeeded");
      checkEqual(result.failed, [], "failed");
      checkEqual(await ctx.store.get("a"), undefined, "get(\"a\")");
      checkEqual(await ctx.store.getText("c"), "c", "getText(\"c\")");
    },
  });
  registry.add({
    id: "kv.batch.delete-many-absent-not-failed",
    area: "kv.batch",
    rule: "deleteMany() of keys that do not exist reports no failure",
    source: KV_CONTRACT,
    requires: [deleteMany],
    run: async (ctx) => {
      const result = await ctx.store.deleteMany(["nope-1", "nope-2"]);
      checkEqual(result.failed, [], "failed");
    },
  });
  registry.add({
    id: "kv.batch.delete-many-invalid-key-reported",
    area: "kv.batch",
    rule: "deleteMany() with one empty key reports it failed with InvalidKey and still deletes the others",
    source: `${KV_CONTRACT}; ${ESA_BATCH}`,
    requires: [deleteMany],
    run: async (ctx) => {
      await ctx.store.put("a", "1");
      const result = await ctx.store.deleteMany(["a", ""]);
      checkEqual(result.succeeded, ["a"], "succeeded");
      checkEqual(failedCodes(result), [["", "InvalidKey"]], "failed (key, code)");
      checkEqual(await ctx.store.get("a"), undefined, "get(\"a\")");
    },
  });
  registry.add({
    id: "kv.batch.delete-many-split-over-max-keys",
    area: "kv.batch",
    rule: "deleteMany() of deleteManyMaxKeys + 1 keys is split into several requests and deletes every key",
    source: ESA_BATCH,
    requires: [deleteMany, putMany, kv.manifest("deleteManyMaxKeys ≤ 10,000", (l) => l.deleteManyMaxKeys <= 10_000)],
    run: async (ctx) => {
      const keys = Array.from({ length: ctx.limits.deleteManyMaxKeys + 1 }, (_, i) => `d-${String(i).padStart(6, "0")}`);
      const written = await ctx.store.putMany(keys.map((key) => ({ key, value: "" })));
      checkEqual(written.failed.length, 0, "putMany() failures while preparing");
      const result = await ctx.store.deleteMany(keys);
      checkEqual(result.failed.length, 0, "deleteMany() failures");
      checkEqual(result.succeeded.length, keys.length, "keys reported deleted");
      const page = await ctx.store.list({ limit: 1 });
      check(page.keys.length === 0, `a key remains after deleteMany(): ${page.keys[0]?.key}`);
    },
  });
  registry.add({
    id: "kv.batch.put-many-unsupported",
    area: "kv.batch",
    rule: "putMany() on a store that does not claim putMany rejects Unsupported",
    source: KV_CONTRACT,
    requires: [kv.lacks("putMany")],
    run: async (ctx) => {
      await rejects(ctx.store.putMany([{ key: "a", value: "1" }]), "Unsupported", "putMany()");
    },
  });
  registry.add({
    id: "kv.batch.delete-many-unsupported",
    area: "kv.batch",
    rule: "deleteMany() on a store that does not claim deleteMany rejects Unsupported",
    source: KV_CONTRACT,
    requires: [kv.lacks("deleteMany")],
    run: async (ctx) => {
      await rejects(ctx.store.deleteMany(["a"]), "Unsupported", "deleteMany()");
    },
  });
}
