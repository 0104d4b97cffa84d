import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock.js";
import { normalizeBody } from "../body.js";
import { defineLimits } from "../limits.js";
import { isStorageError, type StorageErrorCode } from "../storage-error.js";
import { SMALL_KV_LIMITS, SMALL_OBJECT_LIMITS, fakeKvDriver, fakeObjectDriver } from "../test-fake-drivers.js";
import { withObjectValidation } from "./with-object-validation.js";
import { withValidation } from "./with-validation.js";

const ctx = { signal: new AbortController().signal };

async function outcome(p: Promise<unknown>): Promise<StorageErrorCode | "ok"> {
  try {
    await p;
    return "ok";
  } catch (err) {
    if (isStorageError(err)) return err.code;
    throw err;
  }
}

describe("withValidation (key-value)", () => {
  it("put() of a value between putMaxValueBytes and putLargeMaxValueBytes reaches the driver (its large-value path)", async () => {
    const fake = fakeKvDriver();
    const driver = withValidation()(fake.driver);
    expect(await outcome(driver.put("k", new Uint8Array(15), {}, ctx))).toBe("ok");
    expect(await outcome(driver.put("k", new Uint8Array(21), {}, ctx))).toBe("ValueTooLarge");
    expect(fake.ops()).toEqual(["put"]);
  });

  it("putMany() refuses an entry over putMaxValueBytes as ValueTooLarge (a batch has no large-value path)", async () => {
    const fake = fakeKvDriver(defineLimits({ ...SMALL_KV_LIMITS, putManyMaxBytes: 100 }));
    const driver = withValidation()(fake.driver);
    const result = await driver.putMany([{ key: "a", value: new Uint8Array(11) }, { key: "b", value: new Uint8Array(10) }], ctx);
    expect(result.succeeded).toEqual(["b"]);
    expect(result.failed.map((f) => [f.key, f.error.code])).toEqual([["a", "ValueTooLarge"]]);
  });

  it("putMany() whose valid entries exceed putManyMaxBytes in total rejects InvalidArgument (the facade must split)", async () => {
    const fake = fakeKvDriver();
    const driver = withValidation()(fake.driver);
    expect(await outcome(driver.putMany([{ key: "a", value: new Uint8Array(6) }, { key: "b", value: new Uint8Array(6) }], ctx))).toBe("InvalidArgument");
    expect(fake.ops()).toEqual([]);
  });

  it("deleteMany() with more than deleteManyMaxKeys keys rejects InvalidArgument", async () => {
    const fake = fakeKvDriver();
    const driver = withValidation()(fake.driver);
    expect(await outcome(driver.deleteMany(["a", "b", "c", "d"], ctx))).toBe("InvalidArgument");
    expect(await outcome(driver.deleteMany(["a", "b", "c"], ctx))).toBe("ok");
  });

  it("put() with expiresAt is checked against the injected clock", async () => {
    const clock = new ManualClock(1_000_000);
    const driver = withValidation({ clock })(fakeKvDriver().driver);
    expect(await outcome(driver.put("k", new Uint8Array(1), { expiresAt: new Date(1_000_001) }, ctx))).toBe("ok");
    clock.advance(1);
    expect(await outcome(driver.put("k", new Uint8Array(1), { expiresAt: new Date(1_000_001) }, ctx))).toBe("InvalidArgument");
  });

  it("put() with expiresAt on a store without putWithExpiresAt rejects Unsupported", async () => {
    const driver = withValidation()(fakeKvDriver(defineLimits({ ...SMALL_KV_LIMITS, putWithExpiresAt: false })).driver);
    expect(await outcome(driver.put("k", new Uint8Array(1), { expiresAt: new Date(Date.now() + 3_600_000) }, ctx))).toBe("Unsupported");
  });

  it("the layer passes limits and close() through", async () => {
    const fake = fakeKvDriver();
    const driver = withValidation()(fake.driver);
    expect(driver.limits).toBe(fake.driver.limits);
    await driver.close?.();
    expect(fake.closeCount()).toBe(1);
  });
});

describe("withObjectValidation", () => {
  /** Complete's rule as a model: non-empty, in range, strictly ascending, and 1..n where contiguous. */
  function modelAccepts(numbers: number[], contiguous: boolean): boolean {
    if (numbers.length === 0) return false;
    if (numbers.some((n) => n < 1 || n > 5)) return false;
    for (let i = 1; i < numbers.length; i++) if (numbers[i]! <= numbers[i - 1]!) return false;
    return !contiguous || numbers.every((n, i) => n === i + 1);
  }

  it("completeMultipartUpload() accepts exactly the part lists the model accepts, with and without contiguity", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 6 }), fc.boolean(), async (numbers, contiguous) => {
        const fake = fakeObjectDriver(defineLimits({ ...SMALL_OBJECT_LIMITS, multipartPartNumbersContiguous: contiguous }));
        const driver = withObjectValidation()(fake.driver);
        const parts = numbers.map((partNumber) => ({ partNumber, etag: '"e"' }));
        const code = await outcome(driver.completeMultipartUpload("k", "u", parts, {}, ctx));
        expect(code === "ok").toBe(modelAccepts(numbers, contiguous));
        if (code !== "ok") expect(["InvalidArgument", "InvalidPartNumber", "InvalidPartOrder"]).toContain(code);
        expect(fake.ops()).toEqual(code === "ok" ? ["completeMultipartUpload"] : []);
      }),
    );
  });

  it("uploadPart() of a stream that passes multipartMaxPartBytes rejects EntityTooLarge while being read", async () => {
    const fake = fakeObjectDriver();
    const driver = withObjectValidation()(fake.driver);
    async function* chunks() {
      yield new Uint8Array(5);
      yield new Uint8Array(5);
    }
    const body = normalizeBody(chunks());
    expect(await outcome(driver.uploadPart("k", "u", 1, body, {}, ctx))).toBe("EntityTooLarge");
  });

  it("the layer passes limits and close() through", async () => {
    const fake = fakeObjectDriver();
    const driver = withObjectValidation()(fake.driver);
    expect(driver.limits).toBe(fake.driver.limits);
    await driver.close?.();
    expect(fake.closeCount()).toBe(1);
  });
});
