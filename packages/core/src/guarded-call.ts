/**
 * How a facade runs one call: argument checks, the abort signal, the closed state and error
 * context, the same for every operation of both contracts, and closing the store.
 */
import { setMaxListeners } from "node:events";
import { abortedError } from "./abort.js";
import { withStoreContext, type StoreTarget } from "./error-context.js";
import type { DriverCallContext } from "./key-value-store.js";
import { StorageError } from "./storage-error.js";

/** A signal that never fires, for calls made without one (drivers always receive a signal). */
const NEVER_ABORTED: AbortSignal = new AbortController().signal;
// Every in-flight call of every store shares this one signal; the built-in transports, body
// reader and timeout layer skip it (transportSignal), but a third-party driver or layer may
// listen per call, so more than 10 listeners are normal, not a leak.
setMaxListeners(0, NEVER_ABORTED);

/**
 * The signal a driver should hand its transport: `undefined` for the never-firing signal a
 * facade passes when the caller gave none, the signal itself otherwise. A transport that
 * registers an abort listener per request (undici does) would otherwise add and remove one on
 * that single shared signal for every request in flight, and EventTarget checks each new
 * listener against every present one, so the cost grows with the calls in flight, for a
 * signal that can never fire.
 */
export function transportSignal(signal: AbortSignal | undefined): AbortSignal | undefined {
  return signal === NEVER_ABORTED ? undefined : signal;
}

/** The `InvalidArgument` a facade raises for a wrong argument type or a closed store. */
export function invalidArgument(message: string): StorageError {
  return new StorageError({ code: "InvalidArgument", message });
}

function signalOf(options: unknown): AbortSignal {
  if (options === undefined || options === null) return NEVER_ABORTED;
  if (typeof options !== "object") throw invalidArgument("options must be an object");
  const signal = (options as { signal?: unknown }).signal;
  if (signal === undefined) return NEVER_ABORTED;
  if (!(signal instanceof AbortSignal)) throw invalidArgument("options.signal must be an AbortSignal");
  return signal;
}

/** How a facade runs the calls of one store, which share its closed state. */
export interface StoreGuard {
  /**
   * Runs one call: raises `InvalidArgument` when the store is closed or the options are
   * malformed, `Aborted` when the signal has fired before the call or fires during it (without
   * waiting for the driver to notice), and gives every error the call's operation and key;
   * anything that is not a {@link StorageError} becomes `Internal`.
   *
   * @param operation - The contract operation, e.g. `put`.
   * @param key - The key the call is about; when it is a string it is copied onto errors that lack one.
   * @param options - The caller's options object (or undefined); its `signal` is checked and used.
   * @param run - Argument checks, then the driver; runs with the caller's signal or a never-firing one.
   * @param dispose - Releases a result that arrives after the caller has been told `Aborted`
   *   (e.g. cancels a response body stream), so an abort never leaks a connection.
   */
  call<T>(operation: string, key: unknown, options: unknown, run: (ctx: DriverCallContext) => Promise<T>, dispose?: (late: T) => void): Promise<T>;
  /**
   * Closes the store: later calls raise `InvalidArgument`, a second close resolves at once, and
   * an error from closing the layers and driver names the operation `close`.
   */
  close(): Promise<void>;
}

/**
 * The guard of one store whose layers and driver `closeChain` closes; its errors name `target`
 * (the driver's declared provider and bucket or namespace) in the one message format.
 */
export function storeGuard(closeChain: () => Promise<void> | undefined, target?: StoreTarget): StoreGuard {
  let closed = false;
  return {
    async call(operation, key, options, run, dispose) {
      try {
        if (closed) throw invalidArgument("the store is closed");
        const signal = signalOf(options);
        if (signal.aborted) throw abortedError(signal);
        if (signal === NEVER_ABORTED) return await run({ signal });
        return await raceAbort(() => run({ signal }), signal, dispose);
      } catch (err) {
        throw withStoreContext(err, { operation, key: typeof key === "string" ? key : undefined }, target);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await closeChain();
      } catch (err) {
        throw withStoreContext(err, { operation: "close" }, target);
      }
    },
  };
}

/**
 * Settles with `Aborted` as soon as the signal fires, else as the call does. The listener is
 * in place before the call starts, so an abort during its synchronous part is not missed.
 */
function raceAbort<T>(start: () => Promise<T>, signal: AbortSignal, dispose: ((late: T) => void) | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      reject(abortedError(signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    let promise: Promise<T>;
    try {
      promise = start();
    } catch (err) {
      signal.removeEventListener("abort", onAbort);
      reject(err);
      return;
    }
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        if (aborted) dispose?.(value);
        else resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}
