/** Expiry: relative TTL and absolute expiresAt, their minimum and their validation. */
import type { KeyValueLimits, KeyValueStore, KvPutOptions } from "@stowage/core";
import type { KeyValueRegistry, KeyValueRequirement, KvCaseContext } from "../case-context.js";
import type { SubjectClock } from "../subject.js";
import { check, checkEqual, rejects } from "../assertions.js";
import { kv } from "../requirements.js";
import { ESA_LIMITS, KV_CONTRACT } from "../sources.js";

/** A TTL the cases use: at least the minimum, and at least 2 s so "just before expiry" is ≥ 1 s away. */
function ttlFor(limits: KeyValueLimits): number {
  return Math.max(limits.putMinTtlSeconds, 2);
}

async function clocked(ctx: KvCaseContext): Promise<{ store: KeyValueStore; clock: SubjectClock }> {
  const { store, clock } = await ctx.subject.createWithClock!();
  ctx.adopt(store);
  return { store, clock };
}

/**
 * Runs `write` on a store with a clock, given the TTL the cases use, then moves the clock one
 * second past that TTL and returns the store for the case to observe.
 */
async function pastTtl(ctx: KvCaseContext, write: (store: KeyValueStore, ttl: number) => Promise<unknown>): Promise<KeyValueStore> {
  const { store, clock } = await clocked(ctx);
  const ttl = ttlFor(ctx.limits);
  await write(store, ttl);
  await clock.advance(ttl * 1000 + 1000);
  return store;
}

const ttlWithClock = [kv.claims("putWithTtl"), kv.provides("createWithClock")];
const expiresAtWithClock = [kv.claims("putWithExpiresAt"), kv.provides("createWithClock")];

/** A day from the wall clock: valid for any store that honours expiresAt at all. */
function tomorrow(): Date {
  return new Date(Date.now() + 86_400_000);
}

/** Expiry options put() must refuse with InvalidArgument; each row is one case. */
const invalidExpiries: readonly {
  id: string;
  rule: string;
  requires: readonly KeyValueRequirement[];
  options: (limits: KeyValueLimits) => KvPutOptions;
}[] = [
  {
    id: "kv.ttl.non-integer",
    rule: "put() with a fractional ttlSeconds rejects InvalidArgument",
    requires: [kv.claims("putWithTtl")],
    options: (limits) => ({ ttlSeconds: limits.putMinTtlSeconds + 60.5 }),
  },
  {
    id: "kv.ttl.negative",
    rule: "put() with a negative ttlSeconds rejects InvalidArgument",
    requires: [kv.claims("putWithTtl")],
    options: () => ({ ttlSeconds: -60 }),
  },
  {
    id: "kv.ttl.past-latest-date",
    rule: "put() with a ttlSeconds whose expiry would lie past the latest representable Date (2^52 s) rejects InvalidArgument",
    requires: [kv.claims("putWithTtl")],
    options: () => ({ ttlSeconds: 2 ** 52 }),
  },
  {
    id: "kv.expires-at.in-the-past",
    rule: "put() with an expiresAt in the past rejects InvalidArgument",
    requires: [kv.claims("putWithExpiresAt")],
    options: () => ({ expiresAt: new Date(Date.UTC(2000, 0, 1)) }),
  },
  {
    id: "kv.ttl.both-forms",
    rule: "put() with both ttlSeconds and expiresAt rejects InvalidArgument",
    requires: [kv.claims("putWithTtl"), kv.claims("putWithExpiresAt")],
    options: (limits) => ({ ttlSeconds: limits.putMinTtlSeconds + 60, expiresAt: tomorrow() }),
  },
];

/** Each expiry form, with the capability that allows it: without the claim, put() rejects Unsupported. */
const expiryForms = [
  { id: "kv.ttl.unsupported", option: "ttlSeconds", capability: "putWithTtl", options: (): KvPutOptions => ({ ttlSeconds: 3600 }) },
  { id: "kv.expires-at.unsupported", option: "expiresAt", capability: "putWithExpiresAt", options: (): KvPutOptions => ({ expiresAt: tomorrow() }) },
] as const;

/** Registers the expiry cases. */
export function register(registry: KeyValueRegistry): void {
  registry.add({
    id: "kv.ttl.expires",
    area: "kv.ttl",
    rule: "a key put() with ttlSeconds is absent (get() resolves undefined) once that many seconds have passed",
    source: KV_CONTRACT,
    requires: ttlWithClock,
    run: async (ctx) => {
      const store = await pastTtl(ctx, (s, ttl) => s.put("k", "v", { ttlSeconds: ttl }));
      checkEqual(await store.get("k"), undefined, "get() after the TTL");
    },
  });
  registry.add({
    id: "kv.ttl.alive-before-expiry",
    area: "kv.ttl",
    rule: "a key put() with ttlSeconds is still present one second before it expires",
    source: KV_CONTRACT,
    requires: ttlWithClock,
    run: async (ctx) => {
      const { store, clock } = await clocked(ctx);
      const ttl = ttlFor(ctx.limits);
      await store.put("k", "v", { ttlSeconds: ttl });
      await clock.advance((ttl - 1) * 1000);
      checkEqual(await store.getText("k"), "v", "getText() before the TTL");
    },
  });
  registry.add({
    id: "kv.ttl.at-minimum",
    area: "kv.ttl",
    rule: "put() with ttlSeconds equal to putMinTtlSeconds is accepted and readable at once",
    source: ESA_LIMITS,
    requires: [kv.claims("putWithTtl")],
    run: async (ctx) => {
      await ctx.store.put("k", "v", { ttlSeconds: Math.max(ctx.limits.putMinTtlSeconds, 1) });
      checkEqual(await ctx.store.getText("k"), "v", "getText()");
    },
  });
  registry.add({
    id: "kv.ttl.below-minimum",
    area: "kv.ttl",
    rule: "put() with ttlSeconds of putMinTtlSeconds − 1 rejects InvalidArgument and writes nothing",
    source: `${ESA_LIMITS}; ${KV_CONTRACT}`,
    requires: [kv.claims("putWithTtl")],
    run: async (ctx) => {
      await rejects(ctx.store.put("k", "v", { ttlSeconds: ctx.limits.putMinTtlSeconds - 1 }), "InvalidArgument", "put()");
      checkEqual(await ctx.store.get("k"), undefined, "get() after the rejected put");
    },
  });
  for (const invalid of invalidExpiries) {
    registry.add({
      id: invalid.id,
      area: "kv.ttl",
      rule: invalid.rule,
      source: KV_CONTRACT,
      requires: invalid.requires,
      run: async (ctx) => {
        await rejects(ctx.store.put("k", "v", invalid.options(ctx.limits)), "InvalidArgument", "put()");
      },
    });
  }
  registry.add({
    id: "kv.ttl.metadata-reports-expiry",
    area: "kv.ttl",
    rule: "getWithMetadata() of a key put() with ttlSeconds reports expiresAt ≈ now + ttlSeconds (±2 s)",
    source: KV_CONTRACT,
    requires: ttlWithClock,
    run: async (ctx) => {
      const { store, clock } = await clocked(ctx);
      const ttl = Math.max(ctx.limits.putMinTtlSeconds, 3600);
      const expected = clock.now() + ttl * 1000;
      await store.put("k", "v", { ttlSeconds: ttl });
      const entry = await store.getWithMetadata("k");
      check(entry?.expiresAt instanceof Date, `getWithMetadata().expiresAt: expected a Date, got ${String(entry?.expiresAt)}`);
      check(Math.abs(entry.expiresAt.getTime() - expected) <= 2000, `getWithMetadata().expiresAt ${entry.expiresAt.toISOString()} is not within 2 s of ${new Date(expected).toISOString()}`);
    },
  });
  registry.add({
    id: "kv.ttl.overwrite-without-ttl-persists",
    area: "kv.ttl",
    rule: "put() without an expiry over a key that had a TTL clears the TTL",
    source: KV_CONTRACT,
    requires: ttlWithClock,
    run: async (ctx) => {
      const store = await pastTtl(ctx, async (s, ttl) => {
        await s.put("k", "old", { ttlSeconds: ttl });
        await s.put("k", "new");
      });
      checkEqual(await store.getText("k"), "new", "getText() after the old TTL");
    },
  });
  registry.add({
    id: "kv.ttl.expired-not-listed",
    area: "kv.ttl",
    rule: "an expired key no longer appears in list()",
    source: KV_CONTRACT,
    requires: ttlWithClock,
    run: async (ctx) => {
      const store = await pastTtl(ctx, async (s, ttl) => {
        await s.put("short", "v", { ttlSeconds: ttl });
        await s.put("long", "v");
      });
      checkEqual((await store.list()).keys.map((e) => e.key), ["long"], "keys listed after the TTL");
    },
  });
  registry.add({
    id: "kv.ttl.expired-delete-false",
    area: "kv.ttl",
    rule: "delete() of an expired key resolves false",
    source: KV_CONTRACT,
    requires: ttlWithClock,
    run: async (ctx) => {
      const store = await pastTtl(ctx, (s, ttl) => s.put("k", "v", { ttlSeconds: ttl }));
      checkEqual(await store.delete("k"), false, "delete() after the TTL");
    },
  });
  registry.add({
    id: "kv.expires-at.expires",
    area: "kv.ttl",
    rule: "a key put() with expiresAt is present before that instant and absent after it",
    source: KV_CONTRACT,
    requires: expiresAtWithClock,
    run: async (ctx) => {
      const { store, clock } = await clocked(ctx);
      const ttl = ttlFor(ctx.limits);
      await store.put("k", "v", { expiresAt: new Date(clock.now() + ttl * 1000) });
      await clock.advance((ttl - 1) * 1000);
      checkEqual(await store.getText("k"), "v", "getText() before expiresAt");
      await clock.advance(2000);
      checkEqual(await store.get("k"), undefined, "get() after expiresAt");
    },
  });
  for (const form of expiryForms) {
    registry.add({
      id: form.id,
      area: "kv.ttl",
      rule: `put() with ${form.option} on a store that does not claim ${form.capability} rejects Unsupported`,
      source: KV_CONTRACT,
      requires: [kv.lacks(form.capability)],
      run: async (ctx) => {
        await rejects(ctx.store.put("k", "v", form.options()), "Unsupported", "put()");
      },
    });
  }
  registry.add({
    id: "kv.ttl.put-many-entry-expires",
    area: "kv.ttl",
    rule: "a putMany() entry with ttlSeconds expires like a put() with ttlSeconds, while its neighbours without one stay",
    source: KV_CONTRACT,
    requires: [...ttlWithClock, kv.claims("putMany")],
    run: async (ctx) => {
      const store = await pastTtl(ctx, (s, ttl) =>
        s.putMany([
          { key: "short", value: "v", ttlSeconds: ttl },
          { key: "long", value: "v" },
        ]),
      );
      checkEqual(await store.get("short"), undefined, "get(\"short\") after the TTL");
      checkEqual(await store.getText("long"), "v", "getText(\"long\")");
    },
  });
}
