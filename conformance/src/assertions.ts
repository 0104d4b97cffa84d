/**
 * The suite's own assertions: no test framework is needed to run a case, and a failure's
 * message is the reason printed in every report, so it says what was expected and what came.
 */
import { isDeepStrictEqual, inspect } from "node:util";
import { isStorageError, type StorageError, type StorageErrorCode } from "@stowage/core";

/** A broken rule. Its message is the reason shown in reports. */
export class ConformanceFailure extends Error {
  /** Always `ConformanceFailure`; reports show the message alone for this name. */
  override readonly name = "ConformanceFailure";
}

function show(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  return inspect(value, { depth: 3, compact: true, breakLength: Infinity, maxStringLength: 80, maxArrayLength: 12 });
}

/** Fails with `message` unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

/**
 * `value` with null-prototype records (arrays and plain objects, recursively) turned into
 * plain objects: stores may return metadata as null-prototype records so a name like
 * `__proto__` survives, and the prototype of a record is not part of any contract.
 */
function withPlainRecords(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withPlainRecords);
  if (typeof value !== "object" || value === null) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== null && proto !== Object.prototype) return value;
  const plain: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) Object.defineProperty(plain, name, { value: withPlainRecords(field), enumerable: true, writable: true, configurable: true });
  return plain;
}

/** Fails unless `actual` deep-equals `expected` (records compared by own fields, whatever their prototype). */
export function checkEqual<T>(actual: unknown, expected: T, what: string): asserts actual is T {
  if (!isDeepStrictEqual(withPlainRecords(actual), withPlainRecords(expected))) {
    throw new ConformanceFailure(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

/** Fails unless the two byte arrays are equal, naming the first differing offset. */
export function checkBytes(actual: Uint8Array | undefined | null, expected: Uint8Array, what: string): void {
  if (!(actual instanceof Uint8Array)) throw new ConformanceFailure(`${what}: expected ${expected.byteLength} bytes, got ${show(actual)}`);
  if (actual.byteLength !== expected.byteLength) {
    throw new ConformanceFailure(`${what}: expected ${expected.byteLength} bytes, got ${actual.byteLength}`);
  }
  for (let i = 0; i < actual.byteLength; i++) {
    if (actual[i] !== expected[i]) throw new ConformanceFailure(`${what}: bytes differ at offset ${i} (expected ${expected[i]}, got ${actual[i]})`);
  }
}

/**
 * Awaits `call` and fails unless it rejects with a {@link StorageError} of one of `codes`.
 * A resolution, another error type, or another code is a failure that says which.
 */
export async function rejects(call: Promise<unknown> | (() => Promise<unknown>), codes: StorageErrorCode | readonly StorageErrorCode[], what: string): Promise<StorageError> {
  const expected = typeof codes === "string" ? [codes] : codes;
  const wanted = expected.join(" or ");
  let result: unknown;
  try {
    result = await (typeof call === "function" ? call() : call);
  } catch (err) {
    if (!isStorageError(err)) {
      const kind = err instanceof Error ? `${err.name}: ${err.message}` : show(err);
      throw new ConformanceFailure(`${what}: expected StorageError ${wanted}, got ${kind}`);
    }
    if (!expected.includes(err.code)) {
      throw new ConformanceFailure(`${what}: expected StorageError ${wanted}, got ${err.code} (${err.message})`);
    }
    return err;
  }
  await cancelBody(result);
  throw new ConformanceFailure(`${what}: expected StorageError ${wanted}, but it resolved with ${show(describeResult(result))}`);
}

/** A resolved value as a failure message shows it: a get result without its stream. */
function describeResult(result: unknown): unknown {
  if (typeof result === "object" && result !== null && "body" in result && "contentLength" in result) {
    const { info, contentLength, range } = result as { info?: unknown; contentLength: number; range?: unknown };
    return { contentLength, range, info };
  }
  return result;
}

/** Cancels the stream of an unexpected getObject result so it does not leak. */
async function cancelBody(result: unknown): Promise<void> {
  const body = (result as { body?: unknown } | null)?.body;
  if (body instanceof ReadableStream) await body.cancel().catch(() => undefined);
}
