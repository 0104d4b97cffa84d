import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isStorageError } from "@stowage/core";
import { runCommand } from "./run-command.js";
import { builtinTarget } from "./builtin-targets/index.js";

let dir: string;
let stdout: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "stowage-cli-"));
  stdout = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe("stowage", () => {
  it("--help prints the usage of every command and exits 0", async () => {
    expect(await runCommand(["--help"])).toBe(0);
    const text = stdout.join("");
    for (const command of ["stowage conformance", "stowage emulator esa-kv", "stowage emulator ks3", "--version"]) expect(text).toContain(command);
  });

  it("--version prints the package version and exits 0", async () => {
    expect(await runCommand(["--version"])).toBe(0);
    const { version } = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(stdout.join("").trim()).toBe(version);
  });

  it("an unknown command rejects InvalidArgument listing the commands, without echoing the word", async () => {
    const err = await runCommand(["frobnicate-SECRET"]).catch((e: unknown) => e);
    expect(isStorageError(err, "InvalidArgument")).toBe(true);
    expect((err as Error).message).toContain("conformance, emulator");
    expect((err as Error).message).not.toContain("SECRET");
  });

  it.each([[["conformance", "--help"]], [["conformance", "-h"]], [["conformance", "--adapter", "memory", "--help"]], [["help", "conformance"]]])("%j prints the conformance usage with examples and exits 0", async (argv) => {
    expect(await runCommand(argv)).toBe(0);
    const text = stdout.join("");
    expect(text).toContain("usage: stowage conformance");
    expect(text).toContain("--module");
    expect(text).toContain("Examples:");
  });

  it.each([[["emulator", "--help"]], [["emulator", "esa-kv", "--help"]], [["emulator", "ks3", "--help"]], [["help", "emulator"]]])("%j prints the emulator usage with examples and exits 0", async (argv) => {
    expect(await runCommand(argv)).toBe(0);
    const text = stdout.join("");
    expect(text).toContain("stowage emulator");
    expect(text).toContain("Examples:");
  });

  it("conformance errors never echo an argument value", async () => {
    for (const argv of [["conformance", "SECRET-VALUE"], ["conformance", "--adapter", "memory", "--report", "SECRET-VALUE"], ["conformance", "--adaptr=SECRET-VALUE"]]) {
      const err = await runCommand(argv).catch((e: unknown) => e);
      expect(isStorageError(err, "InvalidArgument")).toBe(true);
      expect((err as Error).message).not.toContain("SECRET");
    }
  });

  it("conformance with an unknown adapter rejects InvalidArgument naming the built-in ones", async () => {
    const err = await runCommand(["conformance", "--adapter", "nope"]).catch((e: unknown) => e);
    expect(isStorageError(err, "InvalidArgument")).toBe(true);
    for (const name of ["memory", "fs", "esa-kv", "ks3", "redis", "s3"]) expect((err as Error).message).toContain(name);
  });

  it("conformance with a malformed --report rejects InvalidArgument", async () => {
    await expect(runCommand(["conformance", "--adapter", "memory", "--report", "pdf=x.pdf"])).rejects.toSatisfy((err) => isStorageError(err, "InvalidArgument"));
  });

  it("emulator with an unknown provider rejects InvalidArgument", async () => {
    await expect(runCommand(["emulator", "gcs"])).rejects.toSatisfy((err) => isStorageError(err, "InvalidArgument"));
  });

  it("conformance --adapter memory exits 0 and writes JSON, JUnit and HTML reports with at least 150 distinct case ids", async () => {
    const json = join(dir, "out.json");
    const junit = join(dir, "out.xml");
    const html = join(dir, "out.html");
    const code = await runCommand(["conformance", "--adapter", "memory", "--quiet", "--report", `json=${json}`, "--report", `junit=${junit}`, "--report", `html=${html}`]);
    expect(code).toBe(0);
    const report = JSON.parse(await readFile(json, "utf8")) as { adapters: Array<{ id: string; cases: Array<{ id: string; status: string; reason: string | null }> }> };
    expect(report.adapters.map((a) => a.id)).toEqual(["memory"]);
    const cases = report.adapters[0]!.cases;
    expect(new Set(cases.map((c) => c.id)).size).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => c.status === "fail")).toEqual([]);
    for (const skipped of cases.filter((c) => c.status === "skip")) expect(skipped.reason).toBeTruthy();
    expect(await readFile(junit, "utf8")).toMatch(/^<\?xml[^>]*>\s*<testsuites/);
    expect(await readFile(html, "utf8")).toContain("<table");
    expect(stdout.join("")).toContain("memory");
  });

  it("conformance --config runs the configured stores and exits 0 when they conform", async () => {
    const config = join(dir, "storage.json");
    await writeFile(config, JSON.stringify({ stores: { "scratch-kv": { provider: "memory", kind: "kv" } } }));
    const json = join(dir, "config.json");
    expect(await runCommand(["conformance", "--config", config, "--quiet", "--report", `json=${json}`])).toBe(0);
    const report = JSON.parse(await readFile(json, "utf8")) as { adapters: Array<{ id: string; cases: Array<{ status: string }> }> };
    expect(report.adapters.map((a) => a.id)).toEqual(["scratch-kv"]);
    expect(report.adapters[0]!.cases.filter((c) => c.status === "pass").length).toBeGreaterThan(50);
  });

  it("the built-in ks3 targets describe themselves for the report: lowered emulator limits, said in a note and listed", () => {
    for (const id of ["ks3", "ks3-s3-profile"]) {
      const details = builtinTarget(id).details!;
      expect(details.notes!.join(" ")).toContain("LOWERED");
      expect(details.limits).toMatchObject({ multipartMinPartBytes: 5 * 1024, putObjectMaxBytes: 256 * 1024 });
    }
    expect(builtinTarget("esa-kv").details!.provider).toContain("emulator");
  });
});
