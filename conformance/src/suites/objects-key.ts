/** Object keys: the shared key-limit rules (key-limit-cases.ts), then forbidden substrings and special names. */
import type { ObjectCaseContext, ObjectRegistry } from "../case-context.js";
import { checkBytes, checkEqual, rejects } from "../assertions.js";
import { bytesOf, utf8 } from "../case-data.js";
import { registerKeyLimitCases } from "../key-limit-cases.js";
import { objects } from "../requirements.js";
import { KS3_LIMITS_DOC, OBJECT_CONTRACT, S3_TESTS_MULTIPART } from "../sources.js";

/** Names that are awkward on the wire (s3-tests special names) but allowed, minus what the manifest forbids. */
function specialNames(ctx: ObjectCaseContext): string[] {
  return [" ", "_", "__", "?versionId", "a%25b", "a+b c", "dir/sub/file", "#hash", "\u00e9t\u00e9"].filter(
    (k) => ![...ctx.limits.keyForbiddenCharacters].some((c) => k.includes(c)) && !ctx.limits.keyForbiddenSubstrings.some((s) => k.includes(s)),
  );
}

/** Registers the object key cases. */
export function register(registry: ObjectRegistry): void {
  registerKeyLimitCases(registry, {
    area: "objects.key",
    limitsSource: KS3_LIMITS_DOC,
    contractSource: OBJECT_CONTRACT,
    writeName: "putObject()",
    readName: "getObject()",
    write: (store, key, value) => store.putObject(key, value),
    read: async (store, key) => bytesOf((await store.getObject(key)).body),
    listKeys: async (store) => (await store.listObjects()).objects.map((o) => o.key),
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
