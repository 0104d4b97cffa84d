import { isStorageError } from "@stowage/core";
import { describe, expect, it } from "vitest";
import { BufferPool } from "./buffer-pool.js";

describe("BufferPool", () => {
  it("hands out at most its size of tokens and reuses their buffers", async () => {
    const pool = new BufferPool(2);
    const a = await pool.acquire();
    const b = await pool.acquire();
    const bufA = a.buffer(16);
    let third = false;
    const waiting = pool.acquire().then((t) => {
      third = true;
      return t;
    });
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false);
    a.release();
    const c = await waiting;
    expect(c.buffer(16).buffer).toBe(bufA.buffer);
    b.release();
    c.release();
  });
  it("rejects a waiting acquire with Aborted when the signal fires", async () => {
    const pool = new BufferPool(1);
    await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toSatisfy((e: unknown) => isStorageError(e, "Aborted"));
  });
});
