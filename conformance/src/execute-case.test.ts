import { describe, expect, it } from "vitest";
import { StorageError, type KeyValueStore } from "@stowage/core";
import type { KeyValueCase } from "./case-context.js";
import { executeCase, failureError } from "./execute-case.js";
import { kv } from "./requirements.js";
import { memoryKeyValueSubject } from "./memory-subjects.js";

function testCase(run: KeyValueCase["run"], requires: KeyValueCase["requires"] = []): KeyValueCase {
  return { id: "test.case", area: "test", rule: "a rule", source: "here", requires, run };
}

describe("executeCase()", () => {
  it("with a case that never settles fails it with a timeout and fires its signal", async () => {
    let signal: AbortSignal | undefined;
    const outcome = await executeCase(
      testCase((ctx) => {
        signal = ctx.signal;
        return new Promise(() => undefined);
      }),
      memoryKeyValueSubject(),
      { timeoutMs: 20 },
    );
    expect([outcome.status, outcome.reason]).toEqual(["fail", "CaseTimeout: timed out after 20 ms"]);
    expect(signal?.aborted).toBe(true);
  });

  it("with a case that throws a StorageError reports its code and message as the reason", async () => {
    const outcome = await executeCase(
      testCase(async () => {
        throw new StorageError({ code: "Internal", message: "boom" });
      }),
      memoryKeyValueSubject(),
      { timeoutMs: 1000 },
    );
    expect([outcome.status, outcome.reason]).toEqual(["fail", "StorageError Internal: boom"]);
  });

  it("with a case whose error message carries a presigned URL reports the reason with the signature masked", async () => {
    const outcome = await executeCase(
      testCase(async () => {
        throw new StorageError({ code: "Internal", message: "GET /k?X-Amz-Credential=AK&X-Amz-Signature=0f1e2d failed" });
      }),
      memoryKeyValueSubject(),
      { timeoutMs: 1000 },
    );
    expect([outcome.status, outcome.reason]).toEqual(["fail", "StorageError Internal: GET /k?X-Amz-Credential=AK&X-Amz-Signature=[redacted] failed"]);
  });

  it("failureError() of a failed outcome carries the masked reason and the thrown error's frames, not its message", async () => {
    const outcome = await executeCase(
      testCase(async () => {
        throw new TypeError("bad header Authorization: KSS AK:c2lnbmF0dXJl");
      }),
      memoryKeyValueSubject(),
      { timeoutMs: 1000 },
    );
    const error = failureError(outcome);
    expect(error.message).toBe("TypeError: bad header Authorization: KSS AK:[redacted]");
    expect(error.stack).not.toContain("c2lnbmF0dXJl");
    expect(error.stack).toMatch(/\n\s+at /);
  });

  it("with an unmet requirement skips without running the case and still cleans the store up", async () => {
    const cleaned: KeyValueStore[] = [];
    let ran = false;
    const outcome = await executeCase(
      testCase(async () => {
        ran = true;
      }, [kv.lacks("putWithTtl")]),
      { ...memoryKeyValueSubject(), cleanup: async (store) => void cleaned.push(store) },
      { timeoutMs: 1000 },
    );
    expect([outcome.status, outcome.reason, ran, cleaned.length]).toEqual(["skip", "the manifest claims putWithTtl; this case checks its absence", false, 1]);
  });

  it("once a subject's manifest is known, skips later unmet cases without creating a store", async () => {
    const inner = memoryKeyValueSubject();
    let created = 0;
    const subject = { ...inner, create: async () => (created++, inner.create()) };
    const skipped = testCase(async () => undefined, [kv.lacks("putMany")]);
    const outcomes = [await executeCase(skipped, subject, { timeoutMs: 1000 }), await executeCase(skipped, subject, { timeoutMs: 1000 })];
    expect([outcomes.map((o) => o.status), created]).toEqual([["skip", "skip"], 1]);
  });

  it("with a passing case whose cleanup rejects reports the case failed with the cleanup reason", async () => {
    const outcome = await executeCase(
      testCase(async () => undefined),
      { ...memoryKeyValueSubject(), cleanup: async () => Promise.reject(new Error("namespace still in use")) },
      { timeoutMs: 1000 },
    );
    expect([outcome.status, outcome.reason]).toEqual(["fail", "cleanup failed: namespace still in use"]);
  });

  it("cleans up every store a case adopted, the case's own store included", async () => {
    const subject = memoryKeyValueSubject();
    const cleaned: KeyValueStore[] = [];
    const outcome = await executeCase(
      testCase(async (ctx) => {
        ctx.adopt(await subject.create());
      }),
      { ...subject, cleanup: async (store) => void cleaned.push(store) },
      { timeoutMs: 1000 },
    );
    expect([outcome.status, cleaned.length]).toEqual(["pass", 2]);
  });
});
