/**
 * The pool that bounds an upload's memory: a fixed number of tokens, one taken *before* a part
 * is read and given back only when the part is uploaded for good, so at most `size` parts are
 * ever held, whatever the object's size (rclone's rule; lib-storage reads ahead unbounded).
 */
import { abortedError } from "@stowage/core";

/** One token: the right to hold one part in memory, with the buffer that holds it. */
export interface PoolToken {
  /** A buffer of at least `bytes` bytes, reused across parts; allocated on first use. */
  buffer(bytes: number): Uint8Array;
  /** Gives the token (and its buffer) back. Idempotent. */
  release(): void;
}

/** A fixed set of tokens, each owning one reusable buffer. */
export class BufferPool {
  private readonly free: Array<Uint8Array | undefined> = [];
  private readonly waiters: Array<(buffer: Uint8Array | undefined) => void> = [];

  /** A pool of `size` tokens (≥ 1). */
  constructor(size: number) {
    for (let i = 0; i < size; i++) this.free.push(undefined);
  }

  /** Waits for a free token; rejects with `Aborted` if `signal` fires first. */
  acquire(signal?: AbortSignal): Promise<PoolToken> {
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    if (this.free.length > 0) return Promise.resolve(this.token(this.free.pop()));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.waiters.indexOf(grant);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(abortedError(signal));
      };
      const grant = (buffer: Uint8Array | undefined): void => {
        signal?.removeEventListener("abort", onAbort);
        resolve(this.token(buffer));
      };
      this.waiters.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  private token(initial: Uint8Array | undefined): PoolToken {
    let held = initial;
    let released = false;
    return {
      buffer: (bytes) => {
        // A growing part size (unknown length) outgrows the old buffer; drop it rather than keep both.
        // A plain Uint8Array, not a Buffer: a store that keeps a `.slice()` of what it is given
        // gets a copy (Buffer#slice is a view), so reusing this buffer cannot change a stored part.
        if (held === undefined || held.byteLength < bytes) held = new Uint8Array(bytes);
        return held.subarray(0, bytes);
      },
      release: () => {
        if (released) return;
        released = true;
        const next = this.waiters.shift();
        if (next) next(held);
        else this.free.push(held);
      },
    };
  }
}
