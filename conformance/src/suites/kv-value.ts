/** Values: size limits (derived from the manifest), bytes, strings, JSON, body forms, overwrite. */
import type { KeyValueRegistry } from "../case-context.js";
import { check, checkBytes, checkEqual, rejects } from "../assertions.js";
import { allByteValues, chunksOf, failingAfter, pattern, SOURCE_FAILURE_MESSAGE, utf8 } from "../case-data.js";
import { kv } from "../requirements.js";
import { ESA_HIGH_CAPACITY, ESA_LIMITS, KV_CONTRACT } from "../sources.js";

/** Values this large are allocated by the suite; a manifest beyond it is not probed at its limit. */
const PROBE_CEILING = 64 * 1024 * 1024;

/** Registers the value cases. */
export function register(registry: KeyValueRegistry): void {
  registry.add({
    id: "kv.value.max-bytes",
    area: "kv.value",
    rule: "put() of a value of exactly putMaxValueBytes bytes round-trips",
    source: ESA_LIMITS,
    requires: [kv.manifest(`putMaxValueBytes ≤ ${PROBE_CEILING}`, (l) => l.putMaxValueBytes <= PROBE_CEILING)],
    run: async (ctx) => {
      const value = pattern(ctx.limits.putMaxValueBytes);
      await ctx.store.put("v", value);
      checkBytes(await ctx.store.get("v"), value, "get()");
    },
  });
  registry.add({
    id: "kv.value.max-bytes-plus-one",
    area: "kv.value",
    rule: "put() of putMaxValueBytes + 1 bytes round-trips through the large-value path when putLargeMaxValueBytes allows it, and otherwise rejects ValueTooLarge",
    source: `${ESA_LIMITS}; ${ESA_HIGH_CAPACITY}`,
    requires: [kv.manifest(`putMaxValueBytes < ${PROBE_CEILING}`, (l) => l.putMaxValueBytes < PROBE_CEILING)],
    run: async (ctx) => {
      const value = pattern(ctx.limits.putMaxValueBytes + 1);
      if (ctx.limits.putLargeMaxValueBytes > ctx.limits.putMaxValueBytes) {
        await ctx.store.put("v", value);
        checkBytes(await ctx.store.get("v"), value, "get() of a large value");
      } else {
        await rejects(ctx.store.put("v", value), "ValueTooLarge", "put()");
        checkEqual(await ctx.store.get("v"), undefined, "get() after the rejected put");
      }
    },
  });
  registry.add({
    id: "kv.value.large-max-bytes",
    area: "kv.value",
    rule: "put() of a value of exactly putLargeMaxValueBytes bytes round-trips through the large-value path",
    source: ESA_HIGH_CAPACITY,
    requires: [
      kv.manifest("putLargeMaxValueBytes > putMaxValueBytes (a large-value path exists)", (l) => l.putLargeMaxValueBytes > l.putMaxValueBytes),
      kv.manifest(`putLargeMaxValueBytes ≤ ${PROBE_CEILING}`, (l) => l.putLargeMaxValueBytes <= PROBE_CEILING),
    ],
    run: async (ctx) => {
      const value = pattern(ctx.limits.putLargeMaxValueBytes, 3);
      await ctx.store.put("v", value);
      checkBytes(await ctx.store.get("v"), value, "get()");
    },
  });
  registry.add({
    id: "kv.value.large-max-bytes-plus-one",
    area: "kv.value",
    rule: "put() of putLargeMaxValueBytes + 1 bytes rejects ValueTooLarge and writes nothing",
    source: `${ESA_LIMITS}; ${ESA_HIGH_CAPACITY}`,
    requires: [kv.manifest(`putLargeMaxValueBytes < ${PROBE_CEILING}`, (l) => l.putLargeMaxValueBytes < PROBE_CEILING)],
    run: async (ctx) => {
      await rejects(ctx.store.put("v", new Uint8Array(ctx.limits.putLargeMaxValueBytes + 1)), "ValueTooLarge", "put()");
      checkEqual(await ctx.store.get("v"), undefined, "get() after the rejected put");
    },
  });
  registry.add({
    id: "kv.value.failing-body-stream",
    area: "kv.value",
    rule: "put() whose body stream fails part-way rejects InvalidArgument (the failure as its cause) and writes nothing",
    source: KV_CONTRACT,
    run: async (ctx) => {
      const error = await rejects(ctx.store.put("k", failingAfter(pattern(64))), "InvalidArgument", "put()");
      checkEqual((error.cause as Error | undefined)?.message, SOURCE_FAILURE_MESSAGE, "message of the error's cause");
      checkEqual(await ctx.store.get("k"), undefined, "get() after the rejected put");
    },
  });
  registry.add({
    id: "kv.value.all-byte-values",
    area: "kv.value",
    rule: "a value holding every byte value 0..255 round-trips exactly (binary-safe on the wire)",
    source: KV_CONTRACT,
    run: async (ctx) => {
      await ctx.store.put("bin", allByteValues());
      checkBytes(await ctx.store.get("bin"), allByteValues(), "get()");
    },
  });
  registry.add({
    id: "kv.value.empty",
    area: "kv.value",
    rule: "an empty value round-trips as zero bytes, not as a missing key",
    source: KV_CONTRACT,
    run: async (ctx) => {
      await ctx.store.put("empty", new Uint8Array(0));
      checkBytes(await ctx.store.get("empty"), new Uint8Array(0), "get()");
    },
  });
  registry.add({
    id: "kv.value.string-stored-as-utf8",
    area: "kv.value",
    rule: "put() of a string stores its UTF-8 bytes; getText() returns the same string",
    source: KV_CONTRACT,
    run: async (ctx) => {
      const text = "h\u00e9llo \u4e16\u754c \u{1f30d}";
      await ctx.store.put("t", text);
      checkBytes(await ctx.store.get("t"), utf8(text), "get()");
      checkEqual(await ctx.store.getText("t"), text, "getText()");
    },
  });
  registry.add({
    id: "kv.value.get-json",
    area: "kv.value",
    rule: "getJson() parses a stored JSON document",
    source: KV_CONTRACT,
    run: async (ctx) => {
      const doc = { a: 1, b: ["x", null, true], c: { d: "\u00e9" } };
      await ctx.store.put("j", JSON.stringify(doc));
      checkEqual(await ctx.store.getJson("j"), doc, "getJson()");
    },
  });
  registry.add({
    id: "kv.value.get-json-invalid",
    area: "kv.value",
    rule: "getJson() of a value that is not JSON rejects InvalidArgument",
    source: KV_CONTRACT,
    run: async (ctx) => {
      await ctx.store.put("j", "{not json");
      await rejects(ctx.store.getJson("j"), "InvalidArgument", "getJson()");
    },
  });
  registry.add({
    id: "kv.value.get-text-invalid-utf8",
    area: "kv.value",
    rule: "getText() of bytes that are not valid UTF-8 rejects InvalidArgument (never U+FFFD)",
    source: KV_CONTRACT,
    run: async (ctx) => {
      await ctx.store.put("b", Uint8Array.of(0x61, 0xff, 0xfe));
      await rejects(ctx.store.getText("b"), "InvalidArgument", "getText()");
    },
  });
  registry.add({
    id: "kv.value.overwrite",
    area: "kv.value",
    rule: "a second put() of a key replaces the value",
    source: KV_CONTRACT,
    run: async (ctx) => {
      await ctx.store.put("k", "first");
      await ctx.store.put("k", "second, longer");
      checkBytes(await ctx.store.get("k"), utf8("second, longer"), "get()");
    },
  });
  registry.add({
    id: "kv.value.stream-bodies",
    area: "kv.value",
    rule: "put() accepts an AsyncIterable and a web ReadableStream and stores their bytes",
    source: KV_CONTRACT,
    run: async (ctx) => {
      const value = pattern(1000, 5);
      await ctx.store.put("iter", chunksOf(value, 64));
      checkBytes(await ctx.store.get("iter"), value, "get() after an AsyncIterable put");
      const chunks = chunksOf(value, 100)[Symbol.asyncIterator]();
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
      });
      await ctx.store.put("web", stream);
      checkBytes(await ctx.store.get("web"), value, "get() after a ReadableStream put");
    },
  });
  registry.add({
    id: "kv.value.isolated-from-caller-buffers",
    area: "kv.value",
    rule: "changing the caller's array after put(), or the array get() returned, does not change the stored value",
    source: KV_CONTRACT,
    run: async (ctx) => {
      const input = utf8("abc");
      await ctx.store.put("k", input);
      input[0] = 0x7a;
      const first = await ctx.store.get("k");
      checkBytes(first, utf8("abc"), "get() after mutating the put() input");
      first![1] = 0x7a;
      checkBytes(await ctx.store.get("k"), utf8("abc"), "get() after mutating an earlier get() result");
    },
  });
  registry.add({
    id: "kv.value.get-with-metadata",
    area: "kv.value",
    rule: "getWithMetadata() returns the key and the value; no expiry is reported for a key written without one",
    source: KV_CONTRACT,
    run: async (ctx) => {
      await ctx.store.put("m", "value");
      const entry = await ctx.store.getWithMetadata("m");
      check(entry !== undefined, "getWithMetadata() of a present key resolved undefined");
      checkEqual(entry.key, "m", "entry.key");
      checkBytes(entry.value, utf8("value"), "entry.value");
      checkEqual(entry.expiresAt, undefined, "entry.expiresAt");
    },
  });
}
