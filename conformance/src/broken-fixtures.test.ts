import { beforeAll, describe, expect, it } from "vitest";
import { BROKEN_FIXTURES } from "./fixtures/index.js";
import { runConformance } from "./run-conformance.js";
import type { AdapterReport, CaseStatus } from "./report.js";
import { memoryKeyValueSubject, memoryObjectSubject } from "./memory-subjects.js";

/** Statuses of the healthy memory adapter, the baseline every fixture is compared with. */
let baseline: Map<string, CaseStatus>;

const statuses = (adapter: AdapterReport): Map<string, CaseStatus> => new Map(adapter.cases.map((c) => [c.id, c.status]));

beforeAll(async () => {
  const report = await runConformance([{ id: "memory", kv: memoryKeyValueSubject(), objects: memoryObjectSubject() }]);
  baseline = statuses(report.adapters[0]!);
}, 120_000);

describe("deliberately broken adapters", () => {
  it("the healthy memory adapter, the baseline, fails no case", () => {
    expect([...baseline].filter(([, s]) => s === "fail").map(([id]) => id)).toEqual([]);
  });

  it.each(BROKEN_FIXTURES.map((f) => [f.id, f] as const))("%s fails exactly the cases aimed at its bug and matches the healthy adapter elsewhere", async (_id, fixture) => {
    const report = await runConformance([fixture.target]);
    const adapter = report.adapters[0]!;
    const failed = adapter.cases.filter((c) => c.status === "fail").map((c) => c.id);
    expect(failed.sort()).toEqual([...fixture.expectedFailures].sort());
    for (const c of adapter.cases) {
      if (!fixture.expectedFailures.includes(c.id)) expect(`${c.id} ${c.status}`).toBe(`${c.id} ${baseline.get(c.id)}`);
    }
    for (const id of fixture.expectedFailures) expect(baseline.get(id), `${id} must pass on the healthy adapter`).toBe("pass");
  }, 120_000);
});
