import { readdir, realpath, rm, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { compareUtf8 } from "@stowage/core";
import { createFsKeyValueStore } from "./key-value-store.js";
import { LEVEL_HEX_CHARS, hexKey, keyHex, keyLocation } from "./key-path.js";
import { freshRoot } from "./test-fs-subjects.js";

const sandboxes: string[] = [];
afterAll(async () => {
  for (const dir of sandboxes) await rm(dir, { recursive: true, force: true });
});

/** Every file below `dir`, as absolute paths. */
async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesBelow(path)));
    else out.push(path);
  }
  return out;
}

/** Keys that break naive encodings: dot segments, traversal, case twins, Windows names, a key beside its directory. */
const TRICKY_KEYS = [
  "a",
  "a/",
  "a/b",
  "A",
  ".",
  "..",
  "./a",
  "../../../etc/passwd",
  "/absolute",
  "a//b",
  "\\windows\\path",
  "C:\\x",
  "CON",
  "con",
  "NUL.txt",
  "com1",
  "LPT9",
  "trailing.",
  "trailing ",
  " ",
  "\u0000",
  "new\nline",
  "é",
  "e\u0301",
  "😀",
  "\uffff",
  "x".repeat(64),
  "x".repeat(65),
  "y".repeat(300),
  `${"s".repeat(300)}/${"t".repeat(300)}`,
  "ü".repeat(512),
];

describe("keyLocation()", () => {
  it("keyLocation() of a short key is one file named by the hex of its UTF-8 bytes", () => {
    expect(keyLocation("a")).toEqual({ dirs: [], file: "61.v" });
    expect(keyLocation("a/")).toEqual({ dirs: [], file: "612f.v" });
    expect(keyLocation("..")).toEqual({ dirs: [], file: "2e2e.v" });
  });

  it("keyLocation() of a key longer than one level nests directories, each name within 130 bytes", () => {
    const exact = "x".repeat(LEVEL_HEX_CHARS / 2);
    expect(keyLocation(exact).dirs).toEqual([]);
    const longer = keyLocation(`${exact}y`);
    expect(longer.dirs).toEqual([`${keyHex(exact)}.d`]);
    expect(longer.file).toBe("79.v");
    const longest = keyLocation("ü".repeat(512));
    for (const name of [...longest.dirs, longest.file]) expect(name.length).toBeLessThanOrEqual(LEVEL_HEX_CHARS + 2);
  });

  it("keyLocation() names use only lower-case hex and a suffix, so no two keys collide ignoring case", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1, maxLength: 200 }), (key) => {
        const { dirs, file } = keyLocation(key);
        for (const name of [...dirs, file]) expect(name).toMatch(/^[0-9a-f]+\.[vd]$/);
        expect(hexKey([...dirs.map((d) => d.slice(0, -2)), file.slice(0, -2)].join(""))).toBe(key);
      }),
      { numRuns: 2000 },
    );
  });

  it("keyHex() keeps UTF-8 byte order: comparing hex compares the keys", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (a, b) => {
        const ha = keyHex(a);
        const hb = keyHex(b);
        expect(Math.sign(ha < hb ? -1 : ha > hb ? 1 : 0)).toBe(Math.sign(compareUtf8(a, b)));
      }),
      { numRuns: 2000 },
    );
  });
});

/** Any key the fs manifest allows: any Unicode, up to 1024 UTF-8 bytes, often built from tricky segments. */
const anyKey = fc
  .oneof(
    fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
    fc.array(fc.oneof(fc.constantFrom(...TRICKY_KEYS, ""), fc.string({ unit: "binary", maxLength: 8 })), { minLength: 1, maxLength: 6 }).map((s) => s.join("/")),
    fc.string({ unit: "binary", minLength: 60, maxLength: 300 }),
  )
  .filter((key) => key.length > 0 && Buffer.byteLength(key, "utf8") <= 1024);

describe("fs key-value store with 10,000 random keys", () => {
  it("put() of 10,000 random keys stores each inside the root; get() reads each back; list() returns exactly them in UTF-8 byte order", async () => {
    const sandbox = await freshRoot("property");
    sandboxes.push(sandbox);
    const root = join(sandbox, "root");
    const [generated] = fc.sample(fc.uniqueArray(anyKey, { minLength: 10_000, maxLength: 10_000 }), { numRuns: 1, seed: 20261205 });
    const keys = [...new Set([...TRICKY_KEYS, ...generated!])].slice(0, 10_000);
    expect(keys).toHaveLength(10_000);
    const store = await createFsKeyValueStore({ root });
    try {
      const valueOf = (key: string, i: number) => `${i}:${key}`;
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000).map((key, j) => ({ key, value: valueOf(key, i + j) }));
        const result = await store.putMany(batch);
        expect(result.failed).toEqual([]);
      }

      for (let i = 0; i < keys.length; i += 500) {
        const texts = await Promise.all(keys.slice(i, i + 500).map((key) => store.getText(key)));
        texts.forEach((text, j) => expect(text).toBe(valueOf(keys[i + j]!, i + j)));
      }

      const listed: string[] = [];
      for (let page = await store.list({ limit: 1000 }); ; page = await store.list({ limit: 1000, cursor: page.cursor! })) {
        listed.push(...page.keys.map((entry) => entry.key));
        if (page.cursor === undefined) break;
      }
      expect(listed).toEqual([...keys].sort(compareUtf8));

      // Prefix listings, including prefixes that end inside a multi-byte character's neighbours and cross levels.
      for (const prefix of ["a", "a/", ".", "x".repeat(64), "y".repeat(100), keys[17]!.slice(0, 3)]) {
        if (prefix === "") continue;
        const under: string[] = [];
        for await (const entry of store.keys({ prefix })) under.push(entry.key);
        expect(under).toEqual(keys.filter((k) => k.startsWith(prefix)).sort(compareUtf8));
      }

      // Nothing outside the root: the sandbox holds the root alone, and every file below it
      // resolves inside it and carries a name of the encoding.
      expect(await readdir(sandbox)).toEqual(["root"]);
      const realRoot = await realpath(root);
      const files = await filesBelow(root);
      expect(files.length).toBe(10_000);
      for (const file of files) {
        const resolved = await realpath(file);
        expect(resolved.startsWith(realRoot + sep)).toBe(true);
        for (const name of relative(root, file).split(sep).slice(1)) expect(name).toMatch(/^[0-9a-f]+\.[vd]$/);
        expect((await stat(file)).isFile()).toBe(true);
      }
    } finally {
      await store.close();
    }
  }, 180_000);
});
