/** Test helper: drivers whose every operation is answered by one handler, recording each call. */
import type { DriverCallContext, KeyValueStoreDriver } from "../key-value-store.js";
import { KS3_LIMITS, ESA_KV_LIMITS } from "../limits.js";
import type { MultipartObjectStoreDriver } from "../multipart-object-store.js";
import { KEY_VALUE_DRIVER_OPERATIONS, OBJECT_DRIVER_OPERATIONS } from "./intercept-driver.js";

export interface RecordedCall {
  operation: string;
  args: unknown[];
  signal: AbortSignal;
}

export type Handler = (call: RecordedCall, attempt: number) => unknown;

function scripted(operations: readonly string[], limits: object, handler: Handler) {
  const calls: RecordedCall[] = [];
  let closed = 0;
  const driver: Record<string, unknown> = {
    limits,
    async close() {
      closed++;
    },
  };
  for (const operation of operations) {
    driver[operation] = async (...all: unknown[]) => {
      const call = { operation, args: all.slice(0, -1), signal: (all[all.length - 1] as DriverCallContext).signal };
      calls.push(call);
      return handler(call, calls.filter((c) => c.operation === operation).length);
    };
  }
  return { driver, calls, closedCount: () => closed };
}

export function scriptedKvDriver(handler: Handler) {
  const s = scripted(KEY_VALUE_DRIVER_OPERATIONS, ESA_KV_LIMITS, handler);
  return { ...s, driver: s.driver as unknown as KeyValueStoreDriver };
}

export function scriptedObjectDriver(handler: Handler) {
  const s = scripted(OBJECT_DRIVER_OPERATIONS, KS3_LIMITS, handler);
  return { ...s, driver: s.driver as unknown as MultipartObjectStoreDriver };
}

export function ctx(signal: AbortSignal = new AbortController().signal): DriverCallContext {
  return { signal };
}
