import { describe, expect, it } from "vitest";
import { runConformance } from "./run-conformance.js";
import { hasFailures } from "./report.js";
import { memoryKeyValueSubject, memoryObjectSubject } from "./memory-subjects.js";

describe("runConformance()", () => {
  it("on the memory adapter runs at least 150 distinct case ids and fails none", async () => {
    const report = await runConformance([{ id: "memory", kv: memoryKeyValueSubject(), objects: memoryObjectSubject() }]);
    const cases = report.adapters[0]!.cases;
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => c.status === "fail").map((c) => `${c.id}: ${c.reason}`)).toEqual([]);
    expect(hasFailures(report)).toBe(false);
  }, 120_000);

  it("reports a case whose capability the manifest lacks as skip with the reason, never as pass", async () => {
    const report = await runConformance([{ id: "memory", kv: memoryKeyValueSubject() }], { filter: (c) => c.id === "kv.batch.put-many-unsupported" });
    expect(report.adapters[0]!.cases).toMatchObject([{ id: "kv.batch.put-many-unsupported", status: "skip", reason: "the manifest claims putMany; this case checks its absence" }]);
    expect(report.summary).toEqual({ pass: 0, fail: 0, skip: 1 });
  });

  it("with a target whose setup() rejects reports every selected case failed with the reason and still runs teardown()", async () => {
    let tornDown = false;
    const report = await runConformance(
      [
        {
          id: "broken-setup",
          kv: memoryKeyValueSubject(),
          setup: async () => {
            throw new Error("emulator did not start");
          },
          teardown: async () => {
            tornDown = true;
          },
        },
      ],
      { filter: (c) => c.area === "kv.key" },
    );
    const cases = report.adapters[0]!.cases;
    expect(cases.length).toBeGreaterThan(0);
    expect(new Set(cases.map((c) => `${c.status} ${c.reason}`))).toEqual(new Set(["fail target setup failed: emulator did not start"]));
    expect(tornDown).toBe(true);
    expect(hasFailures(report)).toBe(true);
  });

  it("with a subject whose create() rejects for one store fails only that case", async () => {
    const inner = memoryKeyValueSubject();
    let calls = 0;
    const report = await runConformance(
      [{ id: "flaky", kv: { ...inner, create: async () => (++calls === 2 ? Promise.reject(new Error("no namespace left")) : inner.create()) } }],
      { filter: (c) => c.area === "kv.delete", concurrency: 1 },
    );
    expect(report.adapters[0]!.cases.map((c) => c.status)).toEqual(["pass", "fail", "pass", "pass"]);
    expect(report.adapters[0]!.cases[1]!.reason).toBe("subject.create() failed: no namespace left");
  });

  it("rejects two targets with the same id", async () => {
    await expect(runConformance([{ id: "a" }, { id: "a" }])).rejects.toThrow("duplicate conformance target id a");
  });
});
