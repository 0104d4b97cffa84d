/** Object keys: the byte limit (derived from the manifest), forbidden characters and substrings, special names. */
import type { ObjectCaseContext, ObjectRegistry } from "../case-context.js";
import { check, checkBytes, checkEqual, rejects } from "../assertions.js";
import { THREE_BYTE_CHAR, asciiKey, bytesOf, utf8 } from "../case-data.js";
import { objects } from "../requirements.js";
import { KS3_LIMITS_DOC, OBJECT_CONTRACT, S3_TESTS_MULTIPART } from "../sources.js";

async function roundTrips(ctx: ObjectCaseContext, key: string): Promise<void> {
  await ctx.store.putObject(key, key);
  checkBytes(await bytesOf((await ctx.store.getObject(key)).body), utf8(key), `getObject() of a ${utf8(key).byteLength}-byte key`);
  checkEqual((await ctx.store.listObjects()).objects.map((o) => o.key), [key], "keys listed");
}

/** Names that are awkward on the wire (s3-tests special names) but allowed, minus what the manifest forbids. */
function specialNames(ctx: ObjectCaseContext): string[] {
  return [" ", "_", "__", "?versionId", "a%25b", "a+b c", "dir/sub/file", "#hash", "\u00e9t\u00e9"].filter(
    (k) => ![...ctx.limits.keyForbiddenCharacters].some((c) => k.includes(c)) && !ctx.limits.keyForbiddenSubstrings.some((s) => k.includes(s)),
  );
}

/** Registers the object key cases. */
export function register(registry: ObjectRegistry): void {
  registry.add({
    id: "objects.key.max-bytes-minus-one",
    area: "objects.key",
    rule: "an object key of keyMaxBytes − 1 bytes round-trips",
    source: KS3_LIMITS_DOC,
    run: (ctx) => roundTrips(ctx, asciiKey(ctx.limits.keyMaxBytes - 1)),
  });
  registry.add({
    id: "objects.key.max-bytes",
    area: "objects.key",
    rule: "an object key of exactly keyMaxBytes bytes round-trips",
    source: KS3_LIMITS_DOC,
    run: (ctx) => roundTrips(ctx, asciiKey(ctx.limits.keyMaxBytes)),
  });
  registry.add({
    id: "objects.key.max-bytes-plus-one",
    area: "objects.key",
    rule: "putObject() with a key of keyMaxBytes + 1 bytes rejects KeyTooLong",
    source: KS3_LIMITS_DOC,
    run: async (ctx) => {
      await rejects(ctx.store.putObject(asciiKey(ctx.limits.keyMaxBytes + 1), "x"), "KeyTooLong", "putObject()");
    },
  });
  registry.add({
    id: "objects.key.multibyte-at-limit",
    area: "objects.key",
    rule: "an object key of keyMaxBytes bytes ending in a three-byte UTF-8 character round-trips (the limit counts bytes)",
    source: KS3_LIMITS_DOC,
    run: (ctx) => roundTrips(ctx, asciiKey(ctx.limits.keyMaxBytes - 3) + THREE_BYTE_CHAR),
  });
  registry.add({
    id: "objects.key.multibyte-straddling-limit",
    area: "objects.key",
    rule: "putObject() with a key whose last three-byte UTF-8 character straddles keyMaxBytes rejects KeyTooLong",
    source: KS3_LIMITS_DOC,
    run: async (ctx) => {
      const key = asciiKey(ctx.limits.keyMaxBytes - 2) + THREE_BYTE_CHAR;
      check(key.length < ctx.limits.keyMaxBytes, "the key has fewer characters than the byte limit");
      await rejects(ctx.store.putObject(key, "x"), "KeyTooLong", "putObject()");
    },
  });
  registry.add({
    id: "objects.key.empty",
    area: "objects.key",
    rule: "putObject() with the empty key rejects InvalidKey",
    source: OBJECT_CONTRACT,
    run: async (ctx) => {
      await rejects(ctx.store.putObject("", "x"), "InvalidKey", "putObject(\"\")");
    },
  });
  registry.add({
    id: "objects.key.forbidden-characters",
    area: "objects.key",
    rule: "putObject() with a key containing any one of keyForbiddenCharacters rejects InvalidKey",
    source: KS3_LIMITS_DOC,
    requires: [objects.manifest("keyForbiddenCharacters is not empty", (l) => l.keyForbiddenCharacters.length > 0)],
    run: async (ctx) => {
      for (const c of ctx.limits.keyForbiddenCharacters) {
        await rejects(ctx.store.putObject(`a${c}b`, "x"), "InvalidKey", `putObject() of a key containing ${JSON.stringify(c)}`);
      }
    },
  });
  registry.add({
    id: "objects.key.forbidden-substrings",
    area: "objects.key",
    rule: "putObject() with a key containing any one of keyForbiddenSubstrings (KS3: @base@, @style@) rejects InvalidKey",
    source: KS3_LIMITS_DOC,
    requires: [objects.manifest("keyForbiddenSubstrings is not empty", (l) => l.keyForbiddenSubstrings.length > 0)],
    run: async (ctx) => {
      for (const s of ctx.limits.keyForbiddenSubstrings) {
        await rejects(ctx.store.putObject(`img${s}thumb`, "x"), "InvalidKey", `putObject() of a key containing ${JSON.stringify(s)}`);
      }
    },
  });
  registry.add({
    id: "objects.key.special-names",
    area: "objects.key",
    rule: "keys with spaces, underscores, '?', '%', '+', '#', '/' and non-ASCII letters round-trip through putObject(), getObject() and listObjects()",
    source: `${S3_TESTS_MULTIPART} (test_multipart_copy_special_names)`,
    run: async (ctx) => {
      const names = specialNames(ctx);
      for (const key of names) await ctx.store.putObject(key, key);
      for (const key of names) checkBytes(await bytesOf((await ctx.store.getObject(key)).body), utf8(key), `getObject(${JSON.stringify(key)})`);
      const listed = [];
      for await (const o of ctx.store.objects()) listed.push(o.key);
      checkEqual(listed.sort(), [...names].sort(), "keys listed");
    },
  });
}
