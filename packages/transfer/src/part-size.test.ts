import { KS3_LIMITS, S3_LIMITS } from "@stowage/core";
import { describe, expect, it } from "vitest";
import { defaultPartSize, planParts } from "./part-size.js";

const MiB = 1024 * 1024;

describe("planParts", () => {
  it("picks the smallest whole-MiB part size that fits the part count, at least the minimum", () => {
    expect(defaultPartSize(KS3_LIMITS, 1024 * MiB)).toBe(5 * MiB);
    // 100 GiB / 10,000 parts = 10.24 MiB → 11 MiB.
    expect(defaultPartSize(KS3_LIMITS, 100 * 1024 * MiB)).toBe(11 * MiB);
    const plan = planParts(KS3_LIMITS, 100 * 1024 * MiB);
    expect(plan.partCount).toBeLessThanOrEqual(10_000);
  });
  it("sizes every part but the last equally and the last with the rest", () => {
    const plan = planParts(S3_LIMITS, 12 * MiB + 3, 5 * MiB);
    expect(plan.partCount).toBe(3);
    expect([plan.sizeOf(0), plan.sizeOf(1), plan.sizeOf(2)]).toEqual([5 * MiB, 5 * MiB, 2 * MiB + 3]);
    expect(plan.offsetOf(2)).toBe(10 * MiB);
  });
  it("grows parts of an unknown length so the part count reaches past 5 TiB", () => {
    const plan = planParts(KS3_LIMITS, undefined);
    expect(plan.sizeOf(0)).toBe(5 * MiB);
    let total = 0;
    for (let i = 0; i < plan.maxParts; i++) {
      expect(plan.sizeOf(i)).toBeLessThanOrEqual(KS3_LIMITS.multipartMaxPartBytes);
      expect(plan.sizeOf(i)).toBeGreaterThanOrEqual(KS3_LIMITS.multipartMinPartBytes);
      if (i > 0) expect(plan.sizeOf(i)).toBeGreaterThanOrEqual(plan.sizeOf(i - 1));
      expect(plan.offsetOf(i)).toBe(total);
      total += plan.sizeOf(i);
    }
    expect(total).toBeGreaterThan(5 * 1024 * 1024 * MiB);
  });
  it("refuses a part size outside the manifest and a length needing too many parts", () => {
    expect(() => planParts(KS3_LIMITS, 10, 5 * MiB - 1)).toThrow(/multipartMinPartBytes/);
    expect(() => planParts(KS3_LIMITS, 10, 6 * 1024 * MiB)).toThrow(/multipartMaxPartBytes/);
    expect(() => planParts(KS3_LIMITS, 10_001 * 5 * MiB, 5 * MiB)).toThrow(/allows 10000/);
  });
});
