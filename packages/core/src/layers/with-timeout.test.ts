import { describe, expect, it } from "vitest";
import { abortedError } from "../abort.js";
import { ctx, scriptedKvDriver, scriptedObjectDriver } from "./test-scripted-driver.js";
import { withObjectRetry, withRetry } from "./with-retry.js";
import { withObjectTimeout, withTimeout } from "./with-timeout.js";

/** Settles only when its signal fires, as a well-behaved driver does. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(abortedError(signal)), { once: true }));

describe("withTimeout", () => {
  it("get() still running after ms rejects Timeout (retryable) and aborts the driver's signal", async () => {
    const { driver, calls } = scriptedKvDriver((call) => untilAborted(call.signal));
    const err = await withTimeout({ ms: 5 })(driver).get("k", ctx()).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "StorageError", code: "Timeout", retryable: true, operation: "get", key: "k" });
    expect(calls[0]?.signal.aborted).toBe(true);
  });

  it("a driver that ignores its signal still rejects Timeout", async () => {
    const { driver } = scriptedObjectDriver(() => new Promise(() => {}));
    await expect(withObjectTimeout({ ms: 5 })(driver).headObject("k", {}, ctx())).rejects.toMatchObject({ code: "Timeout" });
  });

  it("a call finishing in time resolves its value and leaves the driver's signal unfired", async () => {
    const { driver, calls } = scriptedKvDriver(() => ({ key: "k", value: new Uint8Array([1]) }));
    const entry = await withTimeout({ ms: 1000 })(driver).get("k", ctx());
    expect(entry?.value).toEqual(new Uint8Array([1]));
    expect(calls[0]?.signal.aborted).toBe(false);
  });

  it("the caller aborting after the call resolved still reaches the driver's signal (a body being read)", async () => {
    const controller = new AbortController();
    const { driver, calls } = scriptedObjectDriver(() => "result");
    await withObjectTimeout({ ms: 1000 })(driver).getObject("k", {}, ctx(controller.signal));
    expect(calls[0]?.signal.aborted).toBe(false);
    controller.abort();
    expect(calls[0]?.signal.aborted).toBe(true);
  });

  it("the caller aborting rejects Aborted, not Timeout, even when the driver ignores signals", async () => {
    const controller = new AbortController();
    const { driver } = scriptedKvDriver(() => {
      queueMicrotask(() => controller.abort());
      return new Promise(() => {});
    });
    await expect(withTimeout({ ms: 60_000 })(driver).list({}, ctx(controller.signal))).rejects.toMatchObject({ code: "Aborted" });
  });

  it("an already-aborted signal rejects Aborted without calling the driver", async () => {
    const controller = new AbortController();
    controller.abort();
    const { driver, calls } = scriptedKvDriver(() => undefined);
    await expect(withTimeout({ ms: 100 })(driver).get("k", ctx(controller.signal))).rejects.toMatchObject({ code: "Aborted" });
    expect(calls).toHaveLength(0);
  });

  it("under withRetry each attempt gets its own timeout: a hung first attempt is retried", async () => {
    const { driver, calls } = scriptedKvDriver((call, attempt) => (attempt === 1 ? untilAborted(call.signal) : true));
    const store = withRetry({ sleep: async () => {} })(withTimeout({ ms: 5 })(driver));
    await expect(store.delete("k", ctx())).resolves.toBe(true);
    expect(calls).toHaveLength(2);
  });

  it("under withObjectRetry a timed-out createMultipartUpload() is not repeated", async () => {
    const { driver, calls } = scriptedObjectDriver((call) => untilAborted(call.signal));
    const store = withObjectRetry({ sleep: async () => {} })(withObjectTimeout({ ms: 5 })(driver));
    await expect(store.createMultipartUpload("k", {}, ctx())).rejects.toMatchObject({ code: "Timeout" });
    expect(calls).toHaveLength(1);
  });

  it("withTimeout() with ms 0 or above 2^31−1 raises InvalidArgument", () => {
    expect(() => withTimeout({ ms: 0 })).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
    expect(() => withObjectTimeout({ ms: 2 ** 31 })).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
  });
});
