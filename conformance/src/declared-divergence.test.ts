import { describe, expect, it } from "vitest";
import { KS3_LIMITS, defineLimits, type ObjectStoreLimits } from "@stowage/core";
import type { ObjectCase } from "./case-context.js";
import { executeCase } from "./execute-case.js";
import { objects } from "./requirements.js";
import { memoryObjectSubject } from "./memory-subjects.js";

function objectCase(id: string, requires: ObjectCase["requires"] = []): ObjectCase {
  return { id, area: "test", rule: "a rule", source: "here", requires, run: async () => undefined };
}

const subjectWith = (limits: ObjectStoreLimits) => ({ ...memoryObjectSubject(), limits });

describe("executeCase() with a manifest's declaredDivergences", () => {
  const limits = defineLimits({
    ...KS3_LIMITS,
    copyWithConditions: false,
    declaredDivergences: { "test.by-id": "engine X answers 500", "test.prefix.": "engine X lacks this area", copyWithConditions: "engine X ignores copy conditions" },
  });

  it("skips a case named by id with the reason 'declared divergence: …'", async () => {
    const outcome = await executeCase(objectCase("test.by-id"), subjectWith(limits), { timeoutMs: 1000 });
    expect([outcome.status, outcome.reason]).toEqual(["skip", "declared divergence: engine X answers 500"]);
  });

  it("skips every case under a declared id prefix ending in '.'", async () => {
    const outcome = await executeCase(objectCase("test.prefix.one"), subjectWith(limits), { timeoutMs: 1000 });
    expect([outcome.status, outcome.reason]).toEqual(["skip", "declared divergence: engine X lacks this area"]);
  });

  it("skips a case needing a capability the profile leaves unclaimed with the declared reason, not the generic one", async () => {
    const outcome = await executeCase(objectCase("test.copy", [objects.claims("copyWithConditions")]), subjectWith(limits), { timeoutMs: 1000 });
    expect([outcome.status, outcome.reason]).toEqual(["skip", "declared divergence: engine X ignores copy conditions"]);
  });

  it("runs a case checking the capability's absence (the facade's Unsupported path) rather than skipping it", async () => {
    const outcome = await executeCase(objectCase("test.copy-absent", [objects.lacks("copyWithConditions")]), subjectWith(limits), { timeoutMs: 1000 });
    expect(outcome.status).toBe("pass");
  });

  it("runs every case when the manifest declares nothing", async () => {
    const outcome = await executeCase(objectCase("test.by-id"), subjectWith(KS3_LIMITS), { timeoutMs: 1000 });
    expect(outcome.status).toBe("pass");
  });
});
