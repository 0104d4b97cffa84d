import { describe, expect, it } from "vitest";
import type { CaseReport } from "@stowage/conformance";
import { conformanceProgress } from "./conformance-progress.js";

const result = (id: string, status: CaseReport["status"], reason: string | null = null): CaseReport => ({ id, contract: "kv", area: "kv.value", rule: "r", source: "s", status, reason, durationMs: 1 });

function capture(isTTY: boolean) {
  const writes: string[] = [];
  let clock = 0;
  const progress = conformanceProgress({ isTTY, write: (text: string) => writes.push(text) }, () => clock);
  return { writes, progress, tick: (ms: number) => (clock += ms) };
}

describe("conformanceProgress()", () => {
  it("on a terminal rewrites one live line with done/total and an ETA from the mean case time, printing failures above it", () => {
    const { writes, progress, tick } = capture(true);
    progress.onTarget("esa-kv", 4);
    tick(2000);
    progress.onCase("esa-kv", result("a", "pass"));
    expect(writes.at(-1)).toBe("\r\x1b[2K  esa-kv: 1/4 cases, ETA 6s");
    tick(2000);
    progress.onCase("esa-kv", result("b", "fail", "got accessKeySecret=hunter2"));
    expect(writes.slice(-3)).toEqual(["\r\x1b[2K", "  FAIL esa-kv b: got accessKeySecret=[redacted]\n", "\r\x1b[2K  esa-kv: 2/4 cases, ETA 4s"]);
    progress.end();
    expect(writes.at(-1)).toBe("\r\x1b[2K");
  });

  it("elsewhere prints plain lines only: the target, each failure, every 50 cases and the last", () => {
    const { writes, progress } = capture(false);
    progress.onTarget("ks3", 120);
    for (let i = 1; i <= 120; i++) progress.onCase("ks3", result(`c${i}`, i === 7 ? "fail" : "pass", i === 7 ? "boom" : null));
    progress.end();
    expect(writes).toEqual(["ks3: 120 cases\n", "  FAIL ks3 c7: boom\n", "  ks3: 50/120 cases run\n", "  ks3: 100/120 cases run\n", "  ks3: 120/120 cases run\n"]);
    expect(writes.join("")).not.toContain("\r");
  });
});
