import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { normalizeBody, readBytes } from "../body.js";
import { ManualClock } from "../clock.js";
import { KS3_LIMITS } from "../limits.js";
import type { GetObjectOptions, GetObjectResult, MultipartObjectStoreDriver } from "../multipart-object-store.js";
import type { NormalizedBody } from "../body.js";
import { StorageError, type StorageErrorCode } from "../storage-error.js";
import { ctx, scriptedKvDriver, scriptedObjectDriver } from "./test-scripted-driver.js";
import { withObjectRetry, withRetry, type RetryOptions } from "./with-retry.js";

const fail = (code: StorageErrorCode, extra: Partial<ConstructorParameters<typeof StorageError>[0]> = {}) =>
  new StorageError({ code, message: `injected ${code}`, ...extra });

const md5Hex = (data: string | Buffer) => createHash("md5").update(data).digest("hex");

/** Options with a recording sleep and a fixed jitter, so no test waits on the wall clock. */
function recorded(options: RetryOptions = {}) {
  const sleeps: number[] = [];
  const clock = new ManualClock(0);
  const opts: RetryOptions = {
    random: () => 1,
    clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    ...options,
  };
  return { sleeps, clock, opts };
}

describe("withRetry (key-value)", () => {
  it("get() failing RateLimited twice then succeeding resolves after 3 attempts", async () => {
    const { driver, calls } = scriptedKvDriver((_call, attempt) => {
      if (attempt <= 2) throw fail("RateLimited");
      return { key: "k", value: new Uint8Array([7]) };
    });
    const { sleeps, opts } = recorded();
    const entry = await withRetry(opts)(driver).get("k", ctx());
    expect(entry?.value).toEqual(new Uint8Array([7]));
    expect(calls).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it("put() failing ServiceUnavailable every time rejects with the last error after maxAttempts", async () => {
    let n = 0;
    const { driver, calls } = scriptedKvDriver(() => {
      throw fail("ServiceUnavailable", { requestId: `r${++n}` });
    });
    const { opts } = recorded({ maxAttempts: 4 });
    const err = await withRetry(opts)(driver).put("k", new Uint8Array(1), {}, ctx()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ServiceUnavailable", requestId: "r4" });
    expect(calls).toHaveLength(4);
  });

  it("get() failing with a non-retryable code rejects after one attempt", async () => {
    const { driver, calls } = scriptedKvDriver(() => {
      throw fail("Unauthorized");
    });
    const { sleeps, opts } = recorded();
    await expect(withRetry(opts)(driver).get("k", ctx())).rejects.toMatchObject({ code: "Unauthorized" });
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("a non-StorageError thrown by the driver is not retried", async () => {
    const { driver, calls } = scriptedKvDriver(() => {
      throw new TypeError("driver bug");
    });
    await expect(withRetry(recorded().opts)(driver).list({}, ctx())).rejects.toBeInstanceOf(TypeError);
    expect(calls).toHaveLength(1);
  });

  it("backoff is full jitter: random × min(maxDelayMs, baseDelayMs × 2^(n−1))", async () => {
    const { driver } = scriptedKvDriver(() => {
      throw fail("Network");
    });
    const half = recorded({ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 300, random: () => 0.5 });
    await expect(withRetry(half.opts)(driver).delete("k", ctx())).rejects.toMatchObject({ code: "Network" });
    expect(half.sleeps).toEqual([50, 100, 150, 150]);

    const zero = recorded({ maxAttempts: 3, random: () => 0 });
    await expect(withRetry(zero.opts)(driver).delete("k", ctx())).rejects.toMatchObject({ code: "Network" });
    expect(zero.sleeps).toEqual([0, 0]);
  });

  it("a Retry-After longer than the jittered backoff is waited in full", async () => {
    const { driver, calls } = scriptedKvDriver((_call, attempt) => {
      if (attempt === 1) throw fail("RateLimited", { retryAfterSeconds: 2 });
      return undefined;
    });
    const { sleeps, opts } = recorded({ random: () => 0.1 });
    await expect(withRetry(opts)(driver).get("k", ctx())).resolves.toBeUndefined();
    expect(sleeps).toEqual([2000]);
    expect(calls).toHaveLength(2);
  });

  it("a Retry-After beyond maxDelayMs ends the retries with that error", async () => {
    const { driver, calls } = scriptedKvDriver(() => {
      throw fail("RateLimited", { retryAfterSeconds: 60 });
    });
    const { sleeps, opts } = recorded({ maxDelayMs: 5000 });
    await expect(withRetry(opts)(driver).get("k", ctx())).rejects.toMatchObject({ code: "RateLimited" });
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("no retry starts past totalDeadlineMs", async () => {
    const { driver, calls } = scriptedKvDriver(() => {
      throw fail("Timeout");
    });
    // Delays 100 then 200 (random = 1): the second would end at 300 ms > 250 ms.
    const { sleeps, opts } = recorded({ maxAttempts: 10, baseDelayMs: 100, totalDeadlineMs: 250 });
    await expect(withRetry(opts)(driver).get("k", ctx())).rejects.toMatchObject({ code: "Timeout" });
    expect(calls).toHaveLength(2);
    expect(sleeps).toEqual([100]);
  });

  it("an abort during the backoff rejects Aborted without another attempt", async () => {
    const controller = new AbortController();
    const { driver, calls } = scriptedKvDriver(() => {
      throw fail("ServiceUnavailable");
    });
    const { opts } = recorded({
      sleep: async () => {
        controller.abort();
      },
    });
    await expect(withRetry(opts)(driver).get("k", ctx(controller.signal))).rejects.toMatchObject({ code: "Aborted" });
    expect(calls).toHaveLength(1);
  });

  it("the default sleep gives up the moment the signal fires, however long the backoff", async () => {
    const controller = new AbortController();
    const { driver, calls } = scriptedKvDriver(() => {
      setTimeout(() => controller.abort(), 0);
      throw fail("ServiceUnavailable");
    });
    // An hour-long backoff: if the sleep ignored the abort this test would hit its timeout.
    const layer = withRetry({ baseDelayMs: 3_600_000, maxDelayMs: 3_600_000, random: () => 1 });
    await expect(layer(driver).get("k", ctx(controller.signal))).rejects.toMatchObject({ code: "Aborted" });
    expect(calls).toHaveLength(1);
  });

  it("a retryable error raised after the caller aborted surfaces as Aborted", async () => {
    const controller = new AbortController();
    const { driver, calls } = scriptedKvDriver(() => {
      controller.abort();
      throw fail("Network");
    });
    await expect(withRetry(recorded().opts)(driver).get("k", ctx(controller.signal))).rejects.toMatchObject({ code: "Aborted" });
    expect(calls).toHaveLength(1);
  });

  it("limits read through and close() closes the inner driver", async () => {
    const { driver, closedCount } = scriptedKvDriver(() => undefined);
    const wrapped = withRetry()(driver);
    expect(wrapped.limits).toBe(driver.limits);
    await wrapped.close?.();
    expect(closedCount()).toBe(1);
  });

  it("withRetry() with maxAttempts 0 raises InvalidArgument", () => {
    expect(() => withRetry({ maxAttempts: 0 })).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
  });
});

const OBJECT = Uint8Array.from({ length: 10 }, (_, i) => 100 + i);
const ETAG = '"etag-1"';

/** A getObject answer for `bytes` of OBJECT starting at `start`, whose stream fails after `failAfter` chunks. */
function objectResult(bytes: Uint8Array, start = 0, failAfter = Infinity, error: unknown = fail("Network")): GetObjectResult {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes.byteLength) return controller.close();
      if (sent / 2 >= failAfter) return controller.error(error);
      controller.enqueue(bytes.slice(sent, sent + 2));
      sent += 2;
    },
  });
  const partial = start > 0 || bytes.byteLength < OBJECT.byteLength;
  return {
    info: { key: "k", size: OBJECT.byteLength, etag: ETAG, lastModified: new Date(0), metadata: {} },
    body,
    contentLength: bytes.byteLength,
    ...(partial && bytes.byteLength > 0 ? { range: { start, end: start + bytes.byteLength - 1, size: OBJECT.byteLength } } : {}),
  };
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) out.push(...chunk);
  return out;
}

describe("withObjectRetry: a getObject body failing mid-stream", () => {
  it("resumes from the next byte with If-Match pinned to the first ETag, delivering every byte once", async () => {
    const { driver, calls } = scriptedObjectDriver((call) => {
      const options = call.args[1] as GetObjectOptions;
      if (!options.range) return objectResult(OBJECT, 0, 2);
      const first = (options.range as { first: number }).first;
      return objectResult(OBJECT.subarray(first), first);
    });
    const { sleeps, opts } = recorded();
    const result = (await withObjectRetry(opts)(driver).getObject("k", { ifNoneMatch: '"other"' }, ctx())) as GetObjectResult;
    expect(await drain(result.body)).toEqual(Array.from(OBJECT));
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[1]).toEqual({ sseC: undefined, range: { first: 4, last: 9 }, ifMatch: ETAG });
    expect(sleeps).toHaveLength(1);
  });

  it("a ranged read resumes inside its own range", async () => {
    const { driver, calls } = scriptedObjectDriver((call) => {
      const range = (call.args[1] as GetObjectOptions).range as { first: number; last: number };
      return objectResult(OBJECT.subarray(range.first, range.last + 1), range.first, calls.length === 1 ? 1 : Infinity);
    });
    const result = await withObjectRetry(recorded().opts)(driver).getObject("k", { range: { first: 3, last: 8 } }, ctx());
    expect(await drain(result.body)).toEqual(Array.from(OBJECT.subarray(3, 9)));
    expect((calls[1]?.args[1] as GetObjectOptions).range).toEqual({ first: 5, last: 8 });
  });

  it("a non-retryable stream error reaches the reader without a resume", async () => {
    const { driver, calls } = scriptedObjectDriver(() => objectResult(OBJECT, 0, 1, fail("Internal")));
    const result = await withObjectRetry(recorded().opts)(driver).getObject("k", {}, ctx());
    await expect(drain(result.body)).rejects.toMatchObject({ code: "Internal" });
    expect(calls).toHaveLength(1);
  });

  it("resumes stop at maxAttempts and the last stream error reaches the reader", async () => {
    const { driver, calls } = scriptedObjectDriver((call) => {
      const range = (call.args[1] as GetObjectOptions).range as { first: number } | undefined;
      const first = range?.first ?? 0;
      return objectResult(OBJECT.subarray(first), first, 1);
    });
    const result = await withObjectRetry(recorded({ maxAttempts: 3 }).opts)(driver).getObject("k", {}, ctx());
    await expect(drain(result.body)).rejects.toMatchObject({ code: "Network" });
    expect(calls).toHaveLength(3);
  });

  it("a resumed answer that ignores the range is refused rather than spliced in", async () => {
    const { driver } = scriptedObjectDriver((_call, attempt) => objectResult(OBJECT, 0, attempt === 1 ? 1 : Infinity));
    const result = await withObjectRetry(recorded().opts)(driver).getObject("k", {}, ctx());
    await expect(drain(result.body)).rejects.toMatchObject({ code: "Internal" });
  });

  it("a store without getObjectWithRange passes the failing body through untouched", async () => {
    const { driver, calls } = scriptedObjectDriver(() => objectResult(OBJECT, 0, 1));
    const noRanges = Object.assign(Object.create(driver) as MultipartObjectStoreDriver, { limits: { ...KS3_LIMITS, getObjectWithRange: false } });
    const result = await withObjectRetry(recorded().opts)(noRanges).getObject("k", {}, ctx());
    await expect(drain(result.body)).rejects.toMatchObject({ code: "Network" });
    expect(calls).toHaveLength(1);
  });
});

describe("withObjectRetry", () => {
  // Part ETags whose multipart ETag is known: the MD5s of "a" and "b".
  const PARTS = [
    { partNumber: 1, etag: `"${md5Hex("a")}"` },
    { partNumber: 2, etag: `"${md5Hex("b")}"` },
  ];
  const EXPECTED = `"${md5Hex(Buffer.concat([Buffer.from(md5Hex("a"), "hex"), Buffer.from(md5Hex("b"), "hex")]))}-2"`;

  /** A driver whose first Complete is applied but its answer lost with `lost`, as after a 500 or a reset. */
  function lostCompleteDriver(lost: StorageError, headEtag: string) {
    return scriptedObjectDriver((call, attempt) => {
      if (call.operation === "headObject") return { key: "k", size: 2, etag: headEtag, lastModified: new Date(0), contentType: "x", metadata: {} };
      if (attempt === 1) throw lost;
      throw fail("UploadNotFound", { providerCode: "NoSuchUpload", httpStatus: 404 });
    });
  }

  it.each([
    ["a 500", fail("Internal", { retryable: true, httpStatus: 500 })],
    ["a connection reset", fail("Network")],
    ["a timeout", fail("Timeout")],
  ])("completeMultipartUpload() applied but answered with %s resolves when the repeat's UploadNotFound meets the expected multipart ETag on HEAD", async (_what, lost) => {
    const { driver, calls } = lostCompleteDriver(lost, EXPECTED);
    const result = await withObjectRetry(recorded().opts)(driver).completeMultipartUpload("k", "u", PARTS, {}, ctx());
    expect(result).toEqual({ key: "k", etag: EXPECTED });
    expect(calls.map((c) => c.operation)).toEqual(["completeMultipartUpload", "completeMultipartUpload", "headObject"]);
  });

  it("completeMultipartUpload() whose repeat finds UploadNotFound and another object on HEAD rejects UploadNotFound", async () => {
    const { driver } = lostCompleteDriver(fail("Network"), `"${md5Hex("other")}"`);
    await expect(withObjectRetry(recorded().opts)(driver).completeMultipartUpload("k", "u", PARTS, {}, ctx())).rejects.toMatchObject({ code: "UploadNotFound" });
  });

  /** A driver whose first conditional Complete is applied but its answer lost; the repeat meets its own object: 412. */
  function lostConditionalCompleteDriver(headEtag: string) {
    return scriptedObjectDriver((call, attempt) => {
      if (call.operation === "headObject") return { key: "k", size: 2, etag: headEtag, lastModified: new Date(0), contentType: "x", metadata: {} };
      if (attempt === 1) throw fail("Network");
      throw fail("PreconditionFailed", { providerCode: "PreconditionFailed", httpStatus: 412 });
    });
  }

  it.each([[{ ifNoneMatch: "*" as const }], [{ ifMatch: '"older"' }]])(
    "completeMultipartUpload() with %j applied but its answer lost resolves when the repeat's PreconditionFailed meets the expected multipart ETag on HEAD",
    async (conditions) => {
      const { driver, calls } = lostConditionalCompleteDriver(EXPECTED);
      const result = await withObjectRetry(recorded().opts)(driver).completeMultipartUpload("k", "u", PARTS, conditions, ctx());
      expect(result).toEqual({ key: "k", etag: EXPECTED });
      expect(calls.map((c) => c.operation)).toEqual(["completeMultipartUpload", "completeMultipartUpload", "headObject"]);
    },
  );

  it("completeMultipartUpload() with ifNoneMatch whose repeat's PreconditionFailed meets another object on HEAD rejects PreconditionFailed (someone else created the key)", async () => {
    const { driver } = lostConditionalCompleteDriver(`"${md5Hex("other")}"`);
    await expect(withObjectRetry(recorded().opts)(driver).completeMultipartUpload("k", "u", PARTS, { ifNoneMatch: "*" }, ctx())).rejects.toMatchObject({ code: "PreconditionFailed" });
  });

  it("completeMultipartUpload() without conditions keeps a repeat's PreconditionFailed without HEAD", async () => {
    const { driver, calls } = lostConditionalCompleteDriver(EXPECTED);
    await expect(withObjectRetry(recorded().opts)(driver).completeMultipartUpload("k", "u", PARTS, {}, ctx())).rejects.toMatchObject({ code: "PreconditionFailed" });
    expect(calls.map((c) => c.operation)).toEqual(["completeMultipartUpload", "completeMultipartUpload"]);
  });

  it("completeMultipartUpload() raising UploadNotFound on its first attempt rejects without HEAD (nobody completed it for us)", async () => {
    const { driver, calls } = scriptedObjectDriver(() => {
      throw fail("UploadNotFound");
    });
    await expect(withObjectRetry(recorded().opts)(driver).completeMultipartUpload("k", "u", PARTS, {}, ctx())).rejects.toMatchObject({ code: "UploadNotFound" });
    expect(calls.map((c) => c.operation)).toEqual(["completeMultipartUpload"]);
  });

  it("completeMultipartUpload() with opaque part ETags keeps the repeat's UploadNotFound (the object cannot be checked)", async () => {
    const { driver } = lostCompleteDriver(fail("Network"), '"e-1"');
    const opaque = [{ partNumber: 1, etag: '"e"' }];
    await expect(withObjectRetry(recorded().opts)(driver).completeMultipartUpload("k", "u", opaque, {}, ctx())).rejects.toMatchObject({ code: "UploadNotFound" });
  });

  it("createMultipartUpload() failing Network or Internal is not retried", async () => {
    for (const code of ["Network", "Internal"] as const) {
      const { driver, calls } = scriptedObjectDriver(() => {
        throw fail(code, { retryable: true });
      });
      await expect(withObjectRetry(recorded().opts)(driver).createMultipartUpload("k", {}, ctx())).rejects.toMatchObject({ code });
      expect(calls).toHaveLength(1);
    }
  });

  it("completeMultipartUpload() refused with RateLimited is retried", async () => {
    const { driver, calls } = scriptedObjectDriver((_c, attempt) => {
      if (attempt === 1) throw fail("RateLimited");
      return { key: "k", etag: '"x-1"' };
    });
    const result = await withObjectRetry(recorded().opts)(driver).completeMultipartUpload("k", "u", [{ partNumber: 1, etag: '"e"' }], {}, ctx());
    expect(result.etag).toBe('"x-1"');
    expect(calls).toHaveLength(2);
  });

  it("putObject() with a one-shot stream body is not retried", async () => {
    const { driver, calls } = scriptedObjectDriver(() => {
      throw fail("ServiceUnavailable");
    });
    async function* stream() {
      yield new Uint8Array([1, 2, 3]);
    }
    const body = normalizeBody(stream(), 3);
    await expect(withObjectRetry(recorded().opts)(driver).putObject("k", body, {}, ctx())).rejects.toMatchObject({ code: "ServiceUnavailable" });
    expect(calls).toHaveLength(1);
  });

  it("uploadPart() with an in-memory body is retried with a fresh, complete body each attempt", async () => {
    const seen: Uint8Array[] = [];
    const { driver, calls } = scriptedObjectDriver(async (call, attempt) => {
      const body = call.args[3] as NormalizedBody;
      seen.push(await readBytes(body, { maxBytes: 100 }));
      if (attempt < 3) throw fail("Network");
      return { partNumber: 2, etag: '"p"' };
    });
    const store = withObjectRetry(recorded().opts)(driver);
    await expect(store.uploadPart("k", "u", 2, normalizeBody("abc"), {}, ctx())).resolves.toEqual({ partNumber: 2, etag: '"p"' });
    expect(calls).toHaveLength(3);
    expect(seen.map((b) => new TextDecoder().decode(b))).toEqual(["abc", "abc", "abc"]);
  });

  it("getObject(), headObject() and listParts() are retried on ServiceUnavailable", async () => {
    const { driver, calls } = scriptedObjectDriver((call, attempt) => {
      if (attempt === 1) throw fail("ServiceUnavailable");
      return call.operation === "getObject" ? objectResult(new Uint8Array(0)) : "ok";
    });
    const store = withObjectRetry(recorded().opts)(driver);
    await store.getObject("k", {}, ctx());
    await store.headObject("k", {}, ctx());
    await store.listParts("k", "u", {}, ctx());
    expect(calls.map((c) => c.operation)).toEqual(["getObject", "getObject", "headObject", "headObject", "listParts", "listParts"]);
  });
});
