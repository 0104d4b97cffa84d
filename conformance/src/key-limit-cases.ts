/**
 * The key rules both contracts share — the byte limit probed on both sides, a multi-byte
 * character at and across it, the empty key, forbidden characters — generated from a short
 * description of each contract's calls, so `kv.key.*` and `objects.key.*` cannot drift apart.
 */
import type { CaseRegistry } from "./case.js";
import { manifest } from "./case.js";
import type { CaseContext } from "./case-context.js";
import { check, checkBytes, checkEqual, rejects } from "./assertions.js";
import { THREE_BYTE_CHAR, asciiKey, utf8 } from "./case-data.js";

/** The manifest fields the key rules read; both contracts' manifests have them. */
export interface KeyLimits {
  /** The largest key, in UTF-8 bytes. */
  readonly keyMaxBytes: number;
  /** Characters a key must not contain. */
  readonly keyForbiddenCharacters: string;
}

/** How one contract writes, reads and lists a key, and where its rules come from. */
export interface KeyRules<Store> {
  /** The id prefix and area of the generated cases, e.g. `kv.key`. */
  readonly area: string;
  /** The source of the byte limit and the forbidden characters. */
  readonly limitsSource: string;
  /** The source of the rules the contract itself makes (the empty key). */
  readonly contractSource: string;
  /** The write call as rules and failures name it, e.g. `put()`. */
  readonly writeName: string;
  /** The read call as rules and failures name it, e.g. `get()`. */
  readonly readName: string;
  /** Stores `value` under `key`. */
  write(store: Store, key: string, value: string): Promise<unknown>;
  /** The bytes stored under `key`. */
  read(store: Store, key: string): Promise<Uint8Array | undefined>;
  /** Every key the store lists. */
  listKeys(store: Store): Promise<string[]>;
}

/** Registers the shared key cases of one contract. */
export function registerKeyLimitCases<Store, Limits extends KeyLimits, Subject>(
  registry: CaseRegistry<CaseContext<Store, Limits, Subject>, Limits, Subject>,
  rules: KeyRules<Store>,
): void {
  const { area, limitsSource, writeName, readName } = rules;

  async function roundTrips(store: Store, key: string): Promise<void> {
    await rules.write(store, key, key);
    checkBytes(await rules.read(store, key), utf8(key), `${readName} of a ${utf8(key).byteLength}-byte key`);
    checkEqual(await rules.listKeys(store), [key], "keys listed after one write");
  }

  registry.add({
    id: `${area}.max-bytes-minus-one`,
    area,
    rule: `${writeName} and ${readName} of a key of keyMaxBytes − 1 bytes round-trip`,
    source: limitsSource,
    run: (ctx) => roundTrips(ctx.store, asciiKey(ctx.limits.keyMaxBytes - 1)),
  });
  registry.add({
    id: `${area}.max-bytes`,
    area,
    rule: `${writeName} and ${readName} of a key of exactly keyMaxBytes bytes round-trip`,
    source: limitsSource,
    run: (ctx) => roundTrips(ctx.store, asciiKey(ctx.limits.keyMaxBytes)),
  });
  registry.add({
    id: `${area}.max-bytes-plus-one`,
    area,
    rule: `${writeName} of a key of keyMaxBytes + 1 bytes rejects KeyTooLong and writes nothing`,
    source: limitsSource,
    run: async (ctx) => {
      await rejects(rules.write(ctx.store, asciiKey(ctx.limits.keyMaxBytes + 1), "v"), "KeyTooLong", writeName);
      checkEqual(await rules.listKeys(ctx.store), [], "keys listed after the rejected write");
    },
  });
  registry.add({
    id: `${area}.multibyte-at-limit`,
    area,
    rule: `a key of keyMaxBytes bytes ending in a three-byte UTF-8 character round-trips through ${writeName} and ${readName} (the limit counts bytes)`,
    source: limitsSource,
    run: (ctx) => roundTrips(ctx.store, asciiKey(ctx.limits.keyMaxBytes - 3) + THREE_BYTE_CHAR),
  });
  registry.add({
    id: `${area}.multibyte-straddling-limit`,
    area,
    rule: `${writeName} of a key whose last three-byte UTF-8 character straddles keyMaxBytes rejects KeyTooLong, though it has fewer characters than keyMaxBytes`,
    source: limitsSource,
    run: async (ctx) => {
      const key = asciiKey(ctx.limits.keyMaxBytes - 2) + THREE_BYTE_CHAR;
      check(key.length < ctx.limits.keyMaxBytes, "the key has fewer characters than the byte limit");
      await rejects(rules.write(ctx.store, key, "v"), "KeyTooLong", writeName);
    },
  });
  registry.add({
    id: `${area}.empty`,
    area,
    rule: `${writeName} of the empty key rejects InvalidKey`,
    source: rules.contractSource,
    run: async (ctx) => {
      await rejects(rules.write(ctx.store, "", "v"), "InvalidKey", `${writeName} of ""`);
    },
  });
  registry.add({
    id: `${area}.forbidden-characters`,
    area,
    rule: `${writeName} of a key containing any one of keyForbiddenCharacters rejects InvalidKey`,
    source: limitsSource,
    requires: [manifest<Limits, Subject>("keyForbiddenCharacters is not empty", (l) => l.keyForbiddenCharacters.length > 0)],
    run: async (ctx) => {
      for (const c of ctx.limits.keyForbiddenCharacters) {
        await rejects(rules.write(ctx.store, `a${c}b`, "v"), "InvalidKey", `${writeName} of a key containing ${JSON.stringify(c)}`);
      }
    },
  });
}
