/**
 * The mechanics every driver layer shares: wrap each operation of a driver in one
 * interceptor, pass `limits` and `close` through untouched. A layer then only says what it
 * does around one call (retry it, time it), not how to reach every method.
 */
import type { DriverCallContext, KeyValueStoreDriver } from "../key-value-store.js";
import type { MultipartObjectStoreDriver } from "../multipart-object-store.js";

/** The operations of a driver: every method but `close` (optional hooks such as `presign` included), each taking a {@link DriverCallContext} last. */
export type DriverOperation<D> = Exclude<
  { [K in keyof D]-?: NonNullable<D[K]> extends (...args: never[]) => Promise<unknown> ? K : never }[keyof D],
  "close"
> &
  string;

/** The operations of a {@link KeyValueStoreDriver}. */
export type KeyValueDriverOperation = DriverOperation<KeyValueStoreDriver>;

/** The operations of a {@link MultipartObjectStoreDriver}. */
export type ObjectDriverOperation = DriverOperation<MultipartObjectStoreDriver>;

// Records rather than arrays so the compiler rejects a list that misses an operation added
// to the contract later: a layer that silently skips a method is the bug to avoid.
const KV_OPERATIONS: Record<KeyValueDriverOperation, true> = {
  get: true,
  put: true,
  delete: true,
  list: true,
  putMany: true,
  deleteMany: true,
};

const OBJECT_OPERATIONS: Record<ObjectDriverOperation, true> = {
  putObject: true,
  getObject: true,
  headObject: true,
  deleteObject: true,
  copyObject: true,
  listObjects: true,
  createMultipartUpload: true,
  uploadPart: true,
  uploadPartCopy: true,
  completeMultipartUpload: true,
  abortMultipartUpload: true,
  listParts: true,
  listMultipartUploads: true,
  presign: true,
};

/** Every operation of a {@link KeyValueStoreDriver}, for layers that wrap them all. */
export const KEY_VALUE_DRIVER_OPERATIONS = Object.freeze(Object.keys(KV_OPERATIONS) as KeyValueDriverOperation[]);

/** Every operation of a {@link MultipartObjectStoreDriver}, for layers that wrap them all. */
export const OBJECT_DRIVER_OPERATIONS = Object.freeze(Object.keys(OBJECT_OPERATIONS) as ObjectDriverOperation[]);

/** One call as an interceptor sees it. */
export interface DriverInvocation {
  /** The operation's name, e.g. `put`, `uploadPart`. */
  readonly operation: string;
  /** The arguments before the context. */
  readonly args: readonly unknown[];
  /** The context the caller passed. */
  readonly ctx: DriverCallContext;
  /** Calls the wrapped driver's operation with `ctx` and, when given, replacement arguments. */
  proceed(ctx: DriverCallContext, args?: readonly unknown[]): Promise<unknown>;
}

/** What a layer does around one call; it must resolve or reject as the operation would. */
export type DriverInterceptor = (invocation: DriverInvocation) => Promise<unknown>;

/**
 * Returns a driver whose `operations` all go through `intercept`; `limits` reads through to
 * the inner driver and `close` closes it.
 */
export function interceptDriver<D extends KeyValueStoreDriver | MultipartObjectStoreDriver>(
  driver: D,
  operations: readonly DriverOperation<D>[],
  intercept: DriverInterceptor,
): D {
  const wrapped: Record<string, unknown> = {
    get limits() {
      return driver.limits;
    },
    async close() {
      await driver.close?.();
    },
  };
  for (const operation of operations) {
    const method = driver[operation] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    // An optional hook the driver leaves out (presign on memory) stays absent, not a wrapper
    // that would crash: the validation layer answers Unsupported for it.
    if (typeof method !== "function") continue;
    wrapped[operation] = (...all: unknown[]) => {
      const args = all.slice(0, -1);
      return intercept({
        operation,
        args,
        ctx: all[all.length - 1] as DriverCallContext,
        proceed: (ctx, replacement = args) => method.call(driver, ...replacement, ctx),
      });
    };
  }
  return wrapped as D;
}
