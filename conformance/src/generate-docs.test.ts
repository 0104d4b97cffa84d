import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CATALOGUE_PATH } from "./generate-docs.js";
import { renderCaseCatalog } from "./render-case-catalog.js";
import { keyValueStoreCases } from "./key-value-store-cases.js";
import { multipartObjectStoreCases } from "./multipart-object-store-cases.js";

describe("docs/conformance.md", () => {
  it("equals renderCaseCatalog() (regenerate with `node conformance/dist/generate-docs.js` when this fails)", () => {
    expect(readFileSync(CATALOGUE_PATH, "utf8")).toBe(renderCaseCatalog());
  });

  it("renderCaseCatalog() lists every case id exactly once", () => {
    const catalogue = renderCaseCatalog();
    for (const c of [...keyValueStoreCases(), ...multipartObjectStoreCases()]) {
      expect(catalogue.split(`| \`${c.id}\` |`).length - 1, c.id).toBe(1);
    }
  });
});
