import { StorageError } from "@stowage/core";
import { describe, expect, it } from "vitest";
import { retrying } from "./retry.js";

const down = () => new StorageError({ code: "ServiceUnavailable", message: "down" });
const noSleep = async (): Promise<void> => {};

describe("retrying()", () => {
  it("without maxAttempts makes the engine's 5 attempts (core's layer makes 3), telling onRetry each repeat", async () => {
    let calls = 0;
    const heard: unknown[] = [];
    const failing = async (): Promise<never> => {
      calls++;
      throw down();
    };
    await expect(retrying(failing, { sleep: noSleep, maxAttempts: undefined }, new AbortController().signal, (err) => heard.push(err))).rejects.toMatchObject({
      code: "ServiceUnavailable",
    });
    expect(calls).toBe(5);
    expect(heard).toHaveLength(4);
  });

  it("with retry false makes one attempt", async () => {
    let calls = 0;
    const failing = async (): Promise<never> => {
      calls++;
      throw down();
    };
    await expect(retrying(failing, false, new AbortController().signal)).rejects.toMatchObject({ code: "ServiceUnavailable" });
    expect(calls).toBe(1);
  });

  it("passes the attempt number, so a part can be re-sent from its retained bytes", async () => {
    const seen: number[] = [];
    const result = await retrying(
      async (n) => {
        seen.push(n);
        if (n < 3) throw down();
        return "sent";
      },
      { sleep: noSleep },
      new AbortController().signal,
    );
    expect(result).toBe("sent");
    expect(seen).toEqual([1, 2, 3]);
  });
});
