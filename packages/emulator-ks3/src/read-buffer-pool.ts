/**
 * Reusable read buffers for streaming blob files to sockets. Reading a file into a fresh
 * buffer per chunk cost a GET most of the emulator's time: every new buffer is page-faulted
 * in, then swept by the garbage collector (external memory is what drives V8's collections).
 * A buffer goes back to the pool only when the consumer says it is done with it, so one
 * that never comes back (a consumer that keeps chunks) is simply garbage, never overwritten.
 */
export class ReadBufferPool {
  readonly #free: Buffer[] = [];
  /** The backing stores this pool handed out: nothing else (a stored chunk, a slice of a user's buffer) is ever taken back. */
  readonly #issued = new WeakSet<ArrayBufferLike>();

  /**
   * @param bufferSize bytes per buffer (a read's largest chunk)
   * @param maxFree buffers kept for reuse; more that come back are left to the collector
   */
  constructor(
    readonly bufferSize: number,
    private readonly maxFree: number,
  ) {}

  /** A buffer of {@link bufferSize} bytes, reused when one is free; its contents are stale. */
  take(): Buffer {
    // Slow: a backing store of its own, never a slice of Node's shared pool, so it can be told apart and reused.
    const buffer = this.#free.pop() ?? Buffer.allocUnsafeSlow(this.bufferSize);
    this.#issued.add(buffer.buffer);
    return buffer;
  }

  /** Takes back the buffer under `chunk` (any view of one {@link take} returned); ignores anything else. */
  give(chunk: Uint8Array): void {
    const store = chunk.buffer;
    if (!this.#issued.has(store) || this.#free.length >= this.maxFree) return;
    // Forgotten before reuse, so a second give of the same chunk cannot put it in the list twice.
    this.#issued.delete(store);
    this.#free.push(Buffer.from(store, 0, this.bufferSize));
  }
}
