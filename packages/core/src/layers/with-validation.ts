/**
 * The validation layer of key-value drivers: every argument is checked against the driver's
 * limits manifest before any I/O, raising the error the provider would raise. The facade always
 * applies it outermost, so a driver (and every layer below it, e.g. retry) only ever sees
 * arguments the manifest allows. The object stores' layer is with-object-validation.ts.
 */
import { systemClock, type Clock } from "../clock.js";
import { withErrorContext } from "../error-context.js";
import type { KeyValueStoreDriver, KvBatchResult, KvDriverEntry, KvExpiry } from "../key-value-store.js";
import type { KeyValueLayer } from "../layer.js";
import type { KeyValueLimits } from "../limits.js";
import { checkKey, checkListRequest, fail, type Context } from "./validation-checks.js";

/** Options of the validation layers. */
export interface ValidationOptions {
  /** The clock `expiresAt` is compared with; default: the system clock. */
  clock?: Clock;
}

/**
 * Checks an expiry: at most one form; `ttlSeconds` a whole number ≥ `putMinTtlSeconds`;
 * `expiresAt` a valid date in the future; the expiry either reaches no later than
 * `putMaxExpiresAtSeconds`; each form only where the manifest supports it.
 */
function checkExpiry(expiry: KvExpiry, limits: KeyValueLimits, clock: Clock, context: Context): void {
  const { ttlSeconds, expiresAt } = expiry;
  if (ttlSeconds !== undefined && expiresAt !== undefined) {
    fail("InvalidArgument", "give at most one of ttlSeconds and expiresAt", context);
  }
  const latestMs = limits.putMaxExpiresAtSeconds * 1000;
  if (ttlSeconds !== undefined) {
    if (!limits.putWithTtl) fail("Unsupported", "this store does not support ttlSeconds", context);
    if (typeof ttlSeconds !== "number" || !Number.isSafeInteger(ttlSeconds) || ttlSeconds < limits.putMinTtlSeconds) {
      fail("InvalidArgument", `ttlSeconds must be a whole number ≥ ${limits.putMinTtlSeconds}, got ${String(ttlSeconds)}`, context);
    }
    // The expiry it implies must be one the store can report back as a Date.
    if (clock.now() + ttlSeconds * 1000 > latestMs) {
      fail("InvalidArgument", `ttlSeconds ${ttlSeconds} puts the expiry past the latest this store accepts (putMaxExpiresAtSeconds ${limits.putMaxExpiresAtSeconds})`, context);
    }
  }
  if (expiresAt !== undefined) {
    if (!limits.putWithExpiresAt) fail("Unsupported", "this store does not support expiresAt", context);
    if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime())) fail("InvalidArgument", "expiresAt must be a valid Date", context);
    if (expiresAt.getTime() <= clock.now()) fail("InvalidArgument", `expiresAt ${expiresAt.toISOString()} is not in the future`, context);
    // Providers store whole seconds, rounded up: the rounded instant is what must fit.
    if (Math.ceil(expiresAt.getTime() / 1000) * 1000 > latestMs) {
      fail("InvalidArgument", `expiresAt ${expiresAt.toISOString()} is past the latest expiry this store accepts (putMaxExpiresAtSeconds ${limits.putMaxExpiresAtSeconds})`, context);
    }
  }
}

function checkValue(value: unknown, max: number, context: Context): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) fail("InvalidArgument", "value must be a Uint8Array", context);
  if (value.byteLength > max) fail("ValueTooLarge", `value is ${value.byteLength} bytes; the limit is ${max}`, context);
}

/** Keeps `inner`'s results and adds the entries refused before the call. */
function mergeBatch(refused: KvBatchResult["failed"], inner: KvBatchResult): KvBatchResult {
  return { succeeded: inner.succeeded, failed: [...refused, ...inner.failed] };
}

/**
 * The validation layer for key-value drivers. Batch entries that fail validation are reported
 * in `failed` and the others are still sent; a batch whose valid entries exceed
 * `putManyMaxBytes` in total is a caller bug (the facade splits batches) and raises
 * `InvalidArgument`. A batch entry may be at most `min(putMaxValueBytes, putManyMaxBytes)`
 * bytes (`ValueTooLarge`): a provider's large-value path is a single-key call.
 */
export function withValidation(options: ValidationOptions = {}): KeyValueLayer {
  const clock = options.clock ?? systemClock;
  return (driver: KeyValueStoreDriver): KeyValueStoreDriver => {
    const limits = driver.limits;
    const batchEntryMax = Math.min(limits.putMaxValueBytes, limits.putManyMaxBytes);
    const validated: KeyValueStoreDriver = {
      limits,
      async get(key, ctx) {
        checkKey(key, limits, "get");
        return driver.get(key, ctx);
      },
      async put(key, value, expiry, ctx) {
        checkKey(key, limits, "put");
        const context = { operation: "put", key };
        checkValue(value, limits.putLargeMaxValueBytes, context);
        checkExpiry(expiry, limits, clock, context);
        return driver.put(key, value, expiry, ctx);
      },
      async delete(key, ctx) {
        checkKey(key, limits, "delete");
        return driver.delete(key, ctx);
      },
      async list(request, ctx) {
        checkListRequest(request, limits.listMaxPageSize, { operation: "list" });
        return driver.list(request, ctx);
      },
      async putMany(entries, ctx) {
        if (!limits.putMany) fail("Unsupported", "this store does not support putMany", { operation: "putMany" });
        const refused: KvBatchResult["failed"] = [];
        const accepted: KvDriverEntry[] = [];
        let total = 0;
        for (const entry of entries) {
          try {
            checkKey(entry.key, limits, "putMany");
            const context = { operation: "putMany", key: entry.key };
            checkValue(entry.value, batchEntryMax, context);
            checkExpiry(entry, limits, clock, context);
            accepted.push(entry);
            total += entry.value.byteLength;
          } catch (err) {
            refused.push({ key: String(entry.key), error: withErrorContext(err, { operation: "putMany", key: String(entry.key) }) });
          }
        }
        if (total > limits.putManyMaxBytes) {
          fail("InvalidArgument", `one batch may carry at most ${limits.putManyMaxBytes} value bytes, got ${total}`, { operation: "putMany" });
        }
        if (accepted.length === 0) return { succeeded: [], failed: refused };
        return mergeBatch(refused, await driver.putMany(accepted, ctx));
      },
      async deleteMany(keys, ctx) {
        if (!limits.deleteMany) fail("Unsupported", "this store does not support deleteMany", { operation: "deleteMany" });
        if (keys.length > limits.deleteManyMaxKeys) {
          fail("InvalidArgument", `one batch may delete at most ${limits.deleteManyMaxKeys} keys, got ${keys.length}`, { operation: "deleteMany" });
        }
        const refused: KvBatchResult["failed"] = [];
        const accepted: string[] = [];
        for (const key of keys) {
          try {
            checkKey(key, limits, "deleteMany");
            accepted.push(key);
          } catch (err) {
            refused.push({ key: String(key), error: withErrorContext(err, { operation: "deleteMany", key: String(key) }) });
          }
        }
        if (accepted.length === 0) return { succeeded: [], failed: refused };
        return mergeBatch(refused, await driver.deleteMany(accepted, ctx));
      },
    };
    if (driver.close) validated.close = () => driver.close!();
    return validated;
  };
}
