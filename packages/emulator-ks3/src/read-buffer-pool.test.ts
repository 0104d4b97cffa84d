/** The read-buffer pool reuses only buffers it handed out, and only once they come back. */
import { describe, expect, test } from "vitest";
import { ReadBufferPool } from "./read-buffer-pool.js";

describe("ReadBufferPool", () => {
  test("take() gives buffers of the pool's size; a buffer given back (through any view) is taken again", () => {
    const pool = new ReadBufferPool(4096, 2);
    const a = pool.take();
    expect(a.byteLength).toBe(4096);
    const b = pool.take();
    expect(b.buffer).not.toBe(a.buffer);
    pool.give(a.subarray(10, 20));
    expect(pool.take().buffer).toBe(a.buffer);
    // A reused buffer comes back again just the same.
    pool.give(a);
    expect(pool.take().buffer).toBe(a.buffer);
    // Nothing free: a fresh one.
    const c = pool.take();
    expect(c.buffer).not.toBe(a.buffer);
    expect(c.buffer).not.toBe(b.buffer);
  });

  test("give() ignores memory the pool did not hand out (stored chunks, slices of Node's shared pool)", () => {
    const pool = new ReadBufferPool(4096, 4);
    const stored = new Uint8Array(4096).fill(7);
    pool.give(stored);
    pool.give(Buffer.from("a small buffer, a slice of Node's shared allocation pool"));
    const taken = pool.take();
    expect(taken.buffer).not.toBe(stored.buffer);
    expect(stored.every((byte) => byte === 7)).toBe(true);
  });

  test("a buffer given back twice is free once, so two takers never share it", () => {
    const pool = new ReadBufferPool(1024, 4);
    const a = pool.take();
    pool.give(a);
    pool.give(a);
    const first = pool.take();
    const second = pool.take();
    expect(first.buffer).toBe(a.buffer);
    expect(second.buffer).not.toBe(a.buffer);
  });

  test("at most maxFree buffers are kept; the rest are left to the collector", () => {
    const pool = new ReadBufferPool(1024, 1);
    const a = pool.take();
    const b = pool.take();
    pool.give(a);
    pool.give(b);
    expect(pool.take().buffer).toBe(a.buffer);
    expect(pool.take().buffer).not.toBe(b.buffer);
  });
});
