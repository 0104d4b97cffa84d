/**
 * The retry layer: repeats a call that failed with a `retryable` {@link StorageError}, with
 * exponential backoff and full jitter (delay = random × min(maxDelayMs, baseDelayMs × 2^(n−1))),
 * waiting at least what the provider asked for in `Retry-After` / `x-acs-retry-after`
 * (`StorageError.retryAfterSeconds`). It stops at `maxAttempts`, at `totalDeadlineMs`, or at
 * once when the caller's signal fires.
 *
 * An operation is repeated only when repeating it cannot change the outcome; see the two
 * tables below. A `getObject` body failing mid-stream resumes from the next byte. Place it
 * outside {@link withTimeout} so each attempt gets its own timeout.
 */
import { normalizeBody, type NormalizedBody } from "../body.js";
import { multipartEtag } from "../multipart-etag.js";
import type { Clock } from "../clock.js";
import type { KeyValueStoreDriver } from "../key-value-store.js";
import type { KeyValueLayer, ObjectStoreLayer } from "../layer.js";
import type {
  CompleteMultipartUploadResult,
  CompletedPart,
  CompleteMultipartUploadOptions,
  GetObjectOptions,
  GetObjectResult,
  MultipartObjectStoreDriver,
} from "../multipart-object-store.js";
import { createRetryLoop } from "../retry-loop.js";
import { isStorageError } from "../storage-error.js";
import {
  type DriverInvocation,
  interceptDriver,
  KEY_VALUE_DRIVER_OPERATIONS,
  type KeyValueDriverOperation,
  OBJECT_DRIVER_OPERATIONS,
  type ObjectDriverOperation,
} from "./intercept-driver.js";
import { resumableObjectRead } from "./resumable-object-read.js";

/** Options of {@link withRetry} and {@link withObjectRetry}. */
export interface RetryOptions {
  /** Attempts in all, the first included; default 3. 1 disables retrying. */
  maxAttempts?: number;
  /** Backoff ceiling of the first retry; doubles per retry; default 100 ms. */
  baseDelayMs?: number;
  /** Largest backoff, and largest `Retry-After` honoured (a longer one ends the retries); default 5000 ms. */
  maxDelayMs?: number;
  /** No retry starts whose backoff would end more than this many ms after the first attempt began; default: no deadline. */
  totalDeadlineMs?: number;
  /** Uniform in [0, 1); injectable for tests. Default `Math.random`. */
  random?: () => number;
  /** Waits `ms`, rejecting with `Aborted` as soon as `signal` fires; injectable for tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Measures the deadline; default the system clock. */
  clock?: Clock;
}

/**
 * How an operation may be repeated after a retryable failure:
 * - `idempotent`: repeating it leaves the store as one success would; retry any retryable error.
 * - `if-rejected`: a repeat after the first attempt took effect would do harm; retry only when the
 *   provider refused the request outright (`RateLimited` 429, `ServiceUnavailable` 503), never
 *   after `Timeout`, `Network` or a 5xx, where the request may have been applied.
 * - `{ bodyArg }`: idempotent, but the body at that argument is read once; retry only when it is
 *   already in memory (`NormalizedBody.bytes`), sending a fresh copy each attempt. A one-shot
 *   stream body is never replayed.
 */
type RetryPolicy = "idempotent" | "if-rejected" | { bodyArg: number };

const KV_POLICY: Record<KeyValueDriverOperation, RetryPolicy> = {
  get: "idempotent",
  // Same value, same key: the same state. A relative TTL restarts at the retry, later by at most the backoff.
  put: "idempotent",
  // Same state; the resolved "existed" may read false when a lost first attempt did the removing.
  delete: "idempotent",
  list: "idempotent",
  putMany: "idempotent",
  deleteMany: "idempotent",
};

const OBJECT_POLICY: Record<ObjectDriverOperation, RetryPolicy> = {
  putObject: { bodyArg: 1 },
  // A body failing after the result was returned is resumed by resumableObjectRead instead.
  getObject: "idempotent",
  headObject: "idempotent",
  // Deleting an absent key resolves, so a repeat after a lost success resolves too.
  deleteObject: "idempotent",
  // The source is unchanged by the copy, so a repeat copies (and checks conditions on) the same bytes.
  copyObject: "idempotent",
  listObjects: "idempotent",
  // A repeat after a lost response opens a second upload; nobody learns the first id to abort it.
  createMultipartUpload: "if-rejected",
  // Rewrites the same part number with the same bytes.
  uploadPart: { bodyArg: 3 },
  uploadPartCopy: "idempotent",
  // Once applied the upload id is gone, so a repeat after a lost success (500, reset, timeout)
  // raises UploadNotFound. Retried anyway, because an unfinished upload is worse: an
  // UploadNotFound from a repeat (never from the first attempt) is checked by HEAD, and when
  // the key holds the object these parts make (its ETag is the multipart ETag of the listed
  // part ETags, "<md5 of the binary part md5s>-N") the repeat resolves as the lost success.
  // Otherwise the UploadNotFound stands. A conditional Complete (ifNoneMatch "*" / ifMatch)
  // whose lost first attempt succeeded may instead meet its own object and raise
  // PreconditionFailed on the repeat: that is checked by the same HEAD. See
  // completeWithRecovery below.
  completeMultipartUpload: "idempotent",
  // Retried because an orphaned upload costs storage; a repeat after a lost success raises
  // UploadNotFound, which tells the caller what it wanted to know: the upload is gone.
  abortMultipartUpload: "idempotent",
  listParts: "idempotent",
  listMultipartUploads: "idempotent",
  // Signing is local; a driver that asks the network for credentials may repeat that.
  presign: "idempotent",
};

/** A key-value layer retrying retryable failures; every key-value operation is idempotent. */
export function withRetry(options: RetryOptions = {}): KeyValueLayer {
  const retrier = createRetrier(options);
  return (driver: KeyValueStoreDriver) =>
    interceptDriver(driver, KEY_VALUE_DRIVER_OPERATIONS, (call) => retrier.run(KV_POLICY[call.operation as KeyValueDriverOperation], call));
}

/**
 * An object-store layer retrying retryable failures where repeating the operation is safe.
 * Where the manifest has `getObjectWithRange`, a `getObject` body that fails mid-stream is
 * resumed from the next byte, pinned to the same ETag (see `resumable-object-read.ts`).
 */
export function withObjectRetry(options: RetryOptions = {}): ObjectStoreLayer {
  const retrier = createRetrier(options);
  return (driver: MultipartObjectStoreDriver) =>
    interceptDriver(driver, OBJECT_DRIVER_OPERATIONS, async (call) => {
      if (call.operation === "completeMultipartUpload") return completeWithRecovery(retrier, driver, call);
      const result = await retrier.run(OBJECT_POLICY[call.operation as ObjectDriverOperation], call);
      if (call.operation !== "getObject" || !driver.limits.getObjectWithRange) return result;
      const [key, options] = call.args as [string, Omit<GetObjectOptions, "signal">];
      const started = retrier.clock.now();
      return resumableObjectRead(result as GetObjectResult, {
        // The first answer already satisfied the caller's conditions; the pinned ETag keeps it that object.
        refetch: (first, last, etag) =>
          retrier.run("idempotent", { ...call, args: [key, { sseC: options.sseC, range: { first, last }, ifMatch: etag }] }) as Promise<GetObjectResult>,
        delay: (err, resume) => (call.ctx.signal.aborted ? undefined : retrier.delay(err, resume, started)),
        sleep: (ms) => retrier.sleep(ms, call.ctx.signal),
      });
    });
}

/**
 * `completeMultipartUpload` under the retry table's rule: a repeat that finds the upload gone
 * (`UploadNotFound`) asks HEAD whether an earlier attempt completed it, and resolves with the
 * object's ETag when that is the multipart ETag the listed parts produce. A conditional repeat
 * that fails its condition (`PreconditionFailed`) is checked the same way, since the object it
 * met may be the one its own lost attempt made. Parts whose ETags are not MD5s (a provider with
 * opaque ETags) cannot be checked, so the error stands.
 */
async function completeWithRecovery(retrier: Retrier, driver: MultipartObjectStoreDriver, call: DriverInvocation): Promise<unknown> {
  const [key, , parts, options] = call.args as [string, string, CompletedPart[], Omit<CompleteMultipartUploadOptions, "signal"> | undefined];
  const conditional = options?.ifMatch !== undefined || options?.ifNoneMatch !== undefined;
  let attempts = 0;
  return retrier.run("idempotent", {
    ...call,
    proceed: async (ctx, args) => {
      attempts++;
      try {
        return await call.proceed(ctx, args);
      } catch (err) {
        if (attempts === 1 || !(isStorageError(err, "UploadNotFound") || (conditional && isStorageError(err, "PreconditionFailed")))) throw err;
        const expected = multipartEtag(parts);
        if (expected === undefined) throw err;
        const head = await driver.headObject(key, {}, ctx).catch(() => undefined);
        if (head?.etag !== expected) throw err;
        const result: CompleteMultipartUploadResult = { key, etag: head.etag };
        return result;
      }
    },
  });
}

/** The backoff arithmetic and the attempt loop, shared by calls and resumed reads. */
interface Retrier {
  /** Runs one call under `policy`. */
  run(policy: RetryPolicy, call: DriverInvocation): Promise<unknown>;
  /** The wait before attempt `attempt + 1` after `err`, for a call begun at `started`; `undefined` to give up. */
  delay(err: unknown, attempt: number, started: number): number | undefined;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly clock: Clock;
}

function createRetrier(options: RetryOptions): Retrier {
  const loop = createRetryLoop(options);
  const run = (policy: RetryPolicy, { args, ctx, proceed }: DriverInvocation): Promise<unknown> => {
    const body = typeof policy === "object" ? (args[policy.bodyArg] as NormalizedBody) : undefined;
    return loop.run((attempt) => proceed(ctx, attempt === 1 || !body?.bytes ? args : withFreshBody(args, policy, body.bytes)), ctx.signal, {
      mayRetry: (err) => {
        if (body !== undefined && body.bytes === undefined) return false;
        return policy !== "if-rejected" || isStorageError(err, "RateLimited") || isStorageError(err, "ServiceUnavailable");
      },
    });
  };
  return { run, delay: loop.delay, sleep: loop.sleep, clock: loop.clock };
}

function withFreshBody(args: readonly unknown[], policy: RetryPolicy, bytes: Uint8Array): unknown[] {
  const copy = [...args];
  if (typeof policy === "object") copy[policy.bodyArg] = normalizeBody(bytes);
  return copy;
}
