import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { keyValueStoreCases } from "./key-value-store-cases.js";
import { multipartObjectStoreCases } from "./multipart-object-store-cases.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** Every `<file>.md` / `<file>.txt` a source names, with the `§` section that follows it, if any. */
function citations(source: string): Array<{ file: string; section: string | undefined }> {
  return [...source.matchAll(/([\w./-]+\.(?:md|txt))(?:\s+§(\d+(?:\.\d+)*))?/g)].map((m) => ({ file: m[1]!, section: m[2] }));
}

/** Whether `markdown` has a heading numbered `section` (`## 4.` or `### 4.3 …`). */
function hasSection(markdown: string, section: string): boolean {
  const escaped = section.replaceAll(".", "\\.");
  return new RegExp(`^#{2,4} ${escaped}(?:\\.|\\s)`, "m").test(markdown);
}

const cases = [...keyValueStoreCases(), ...multipartObjectStoreCases()];

describe("rule sources", () => {
  it("citations() finds files and sections (so the checks below can fail)", () => {
    expect(citations("KS3 limits (reference ks3-api.md §5); seed-x.txt")).toEqual([
      { file: "ks3-api.md", section: "5" },
      { file: "seed-x.txt", section: undefined },
    ]);
    expect(hasSection("# T\n## 4. Multipart\n### 4.3 UploadPartCopy\n", "4.3")).toBe(true);
    expect(hasSection("# T\n### 4.3 UploadPartCopy\n", "4.4")).toBe(false);
  });

  it("every file a case cites is a document in this repository (docs/…)", () => {
    const missing = cases.flatMap((c) => citations(c.source).filter(({ file }) => !file.startsWith("docs/") || !existsSync(`${REPO}${file}`)).map(({ file }) => `${c.id}: ${file}`));
    expect(missing).toEqual([]);
  });

  it("every section a case cites exists in the cited document", () => {
    const missing = cases.flatMap((c) =>
      citations(c.source)
        .filter(({ file, section }) => section !== undefined && existsSync(`${REPO}${file}`) && !hasSection(readFileSync(`${REPO}${file}`, "utf8"), section))
        .map(({ file, section }) => `${c.id}: ${file} §${section}`),
    );
    expect(missing).toEqual([]);
  });

  it("the provider documents exist and are cited", () => {
    const sources = cases.map((c) => c.source).join("\n");
    for (const doc of ["docs/providers/esa-kv.md", "docs/providers/ks3.md", "docs/design.md"]) {
      expect(existsSync(`${REPO}${doc}`), doc).toBe(true);
      expect(sources).toContain(doc);
    }
  });
});
