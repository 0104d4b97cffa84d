/**
 * Writes docs/conformance.md from the suite's metadata. Run from anywhere after a build:
 * `node conformance/dist/generate-docs.js`.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderCaseCatalog } from "./render-case-catalog.js";

/** Where the catalogue lives, relative to this file in src/ or dist/. */
export const CATALOGUE_PATH = fileURLToPath(new URL("../../docs/conformance.md", import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(CATALOGUE_PATH, renderCaseCatalog());
  process.stdout.write(`wrote ${CATALOGUE_PATH}\n`);
}
