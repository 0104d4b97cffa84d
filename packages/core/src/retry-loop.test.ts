import { describe, expect, it } from "vitest";
import { createRetryLoop } from "./retry-loop.js";
import { StorageError } from "./storage-error.js";

const noSleep = async (): Promise<void> => {};
const flaky = (code: "ServiceUnavailable" | "NotFound", failures: number) => {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    attempt: async (n: number): Promise<string> => {
      calls++;
      if (calls <= failures) throw new StorageError({ code, message: `fail ${n}` });
      return `ok on ${n}`;
    },
  };
};

describe("createRetryLoop()", () => {
  it("run() repeats a retryable failure until the attempt succeeds, telling onRetry each wait", async () => {
    const waits: number[] = [];
    const f = flaky("ServiceUnavailable", 2);
    const result = await createRetryLoop({ maxAttempts: 3, sleep: noSleep, random: () => 1 }).run(f.attempt, new AbortController().signal, {
      onRetry: (_err, ms) => waits.push(ms),
    });
    expect(result).toBe("ok on 3");
    expect(waits).toEqual([100, 200]);
  });

  it("run() rejects with the last failure after maxAttempts", async () => {
    const f = flaky("ServiceUnavailable", 10);
    await expect(createRetryLoop({ maxAttempts: 2, sleep: noSleep }).run(f.attempt, new AbortController().signal)).rejects.toMatchObject({
      code: "ServiceUnavailable",
    });
    expect(f.calls).toBe(2);
  });

  it("run() does not repeat a failure that is not retryable, nor one mayRetry refuses", async () => {
    const notRetryable = flaky("NotFound", 1);
    await expect(createRetryLoop({ sleep: noSleep }).run(notRetryable.attempt, new AbortController().signal)).rejects.toMatchObject({ code: "NotFound" });
    expect(notRetryable.calls).toBe(1);
    const refused = flaky("ServiceUnavailable", 1);
    await expect(createRetryLoop({ sleep: noSleep }).run(refused.attempt, new AbortController().signal, { mayRetry: () => false })).rejects.toMatchObject({
      code: "ServiceUnavailable",
    });
    expect(refused.calls).toBe(1);
  });

  it("run() with a signal that fires during an attempt rejects Aborted without another attempt", async () => {
    const controller = new AbortController();
    let calls = 0;
    const attempt = async (): Promise<never> => {
      calls++;
      controller.abort();
      throw new StorageError({ code: "ServiceUnavailable", message: "down" });
    };
    await expect(createRetryLoop({ sleep: noSleep }).run(attempt, controller.signal)).rejects.toMatchObject({ code: "Aborted" });
    expect(calls).toBe(1);
  });

  it("delay() waits at least the provider's Retry-After, and gives up when it exceeds maxDelayMs", () => {
    const loop = createRetryLoop({ maxDelayMs: 5000, random: () => 0 });
    const asked = (seconds: number) => new StorageError({ code: "RateLimited", message: "slow down", retryAfterSeconds: seconds });
    expect(loop.delay(asked(2), 1, loop.clock.now())).toBe(2000);
    expect(loop.delay(asked(6), 1, loop.clock.now())).toBeUndefined();
  });

  it("with maxAttempts 0 throws InvalidArgument when the loop is made", () => {
    expect(() => createRetryLoop({ maxAttempts: 0 })).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
  });
});
