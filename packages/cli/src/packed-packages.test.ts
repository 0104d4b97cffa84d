import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The way adapter authors consume the suite: `pnpm pack` the published packages, install the
// tarballs into a project OUTSIDE this workspace (no workspace links, no vitest aliases to
// sources), and run a third-party adapter's conformance there with the registry's vitest.
// Needs the packages built (`pnpm build`, as .ci/run does before `pnpm test`) and the registry
// (or pnpm's store) for vitest and the packages' own dependencies.

const run = promisify(execFile);
const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURE = fileURLToPath(new URL("../test-fixtures/acme-map-adapter", import.meta.url));
/** The packages an adapter author installs, and what they depend on in this workspace. */
const PACKAGES = { "@stowage/core": "packages/core", "@stowage/adapter-memory": "adapters/memory", "@stowage/transfer": "packages/transfer", "@stowage/conformance": "conformance" };

let scratch: string;
const tarballs = new Map<string, string>();

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "stowage-adapter-author-"));
  for (const [name, dir] of Object.entries(PACKAGES)) {
    if (!existsSync(join(REPO, dir, "dist", "index.js"))) throw new Error(`${dir}/dist is missing: run pnpm build first`);
    const before = new Set(await readdir(scratch));
    await run("pnpm", ["pack", "--pack-destination", scratch], { cwd: join(REPO, dir) });
    const made = (await readdir(scratch)).filter((f) => !before.has(f) && f.endsWith(".tgz"));
    expect(made, dir).toHaveLength(1);
    tarballs.set(name, made[0]!);
  }
}, 120_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("the packed packages", () => {
  it.each(Object.keys(PACKAGES))("%s ships dist, README and licence only: no sources, tests, fixtures or .tsbuildinfo", async (name) => {
    const { stdout } = await run("tar", ["-tzf", join(scratch, tarballs.get(name)!)]);
    const entries = stdout.trim().split("\n");
    expect(entries).toContain("package/LICENSE");
    expect(entries).toContain("package/dist/index.js");
    const stray = entries.filter((e) => !/^package\/(?:package\.json|README\.md|LICENSE|dist\/.+)$/.test(e) || /\.tsbuildinfo$|\.test\.|\/test-[^/]*$|\/fixtures\//.test(e));
    expect(stray).toEqual([]);
  });

  it("installed from the tarballs outside the workspace, run a third-party adapter's conformance under vitest with 0 failures", async () => {
    const file = (name: string) => `file:./${tarballs.get(name)}`;
    const stowage = Object.fromEntries(Object.keys(PACKAGES).map((name) => [name, file(name)]));
    await writeFile(
      join(scratch, "package.json"),
      JSON.stringify({ name: "acme-adapter-author", private: true, type: "module", devDependencies: { ...stowage, vitest: "4.1.12" }, pnpm: { overrides: stowage } }, null, 2),
    );
    await cp(FIXTURE, join(scratch, "acme-map-adapter"), { recursive: true });
    await writeFile(
      join(scratch, "acme-map.conformance.test.js"),
      `import { createStorageContainer } from "@stowage/core";
import { describeKeyValueStore } from "@stowage/conformance";
import { acmeMapModule } from "./acme-map-adapter/index.js";

let maps = 0;
describeKeyValueStore("acme-map", {
  create: async () => (await createStorageContainer({ provider: "acme-map", map: \`case-\${++maps}\` }, { modules: [acmeMapModule] })).getKeyValueStore(),
});
`,
    );
    // Outside the workspace: pnpm must not find this repository's pnpm-workspace.yaml.
    await run("pnpm", ["install", "--prefer-offline", "--ignore-workspace"], { cwd: scratch, env: { ...process.env, CI: "1" } });
    expect(existsSync(join(scratch, "node_modules", "@stowage", "conformance", "dist", "index.js"))).toBe(true);
    expect(existsSync(join(scratch, "node_modules", "@stowage", "conformance", "src"))).toBe(false);

    const result = await run(join(scratch, "node_modules", ".bin", "vitest"), ["run", "--reporter=json", "--outputFile=result.json"], { cwd: scratch, env: { ...process.env, CI: "1" } }).catch((err: { stdout?: string; stderr?: string }) => err);
    const report = JSON.parse(await readFile(join(scratch, "result.json"), "utf8")) as { numPassedTests: number; numFailedTests: number; success: boolean };
    expect({ failed: report.numFailedTests, success: report.success }, JSON.stringify(result).slice(0, 2000)).toEqual({ failed: 0, success: true });
    expect(report.numPassedTests).toBeGreaterThan(100);
  }, 300_000);
});
