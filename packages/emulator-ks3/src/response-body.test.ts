/** writeBody hands a chunk back only once the sink has written it, and honours back-pressure. */
import { Writable } from "node:stream";
import { setImmediate as tick } from "node:timers/promises";
import { describe, expect, test } from "vitest";
import { writeBody } from "./response-body.js";

/** A sink whose writes complete only when the test releases them, copying each chunk as it completes. */
class HeldSink extends Writable {
  readonly held: Array<() => void> = [];
  readonly written: Buffer[] = [];
  readonly socket = null;

  constructor() {
    super({ highWaterMark: 1 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.held.push(() => {
      this.written.push(Buffer.from(chunk));
      callback();
    });
  }

  release(): void {
    for (const complete of this.held.splice(0)) complete();
  }
}

async function* chunks(count: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i++) yield Buffer.alloc(8, i);
}

describe("writeBody", () => {
  test("each chunk is recycled only after the sink has written it, and the body waits for drain", async () => {
    const sink = new HeldSink();
    const recycled: number[] = [];
    const done = writeBody(sink, chunks(3), undefined, (chunk) => {
      // The sink must already hold its own copy of this chunk: the buffer may be reused from now on.
      expect(sink.written.some((w) => w.equals(chunk))).toBe(true);
      recycled.push(chunk[0]!);
    });
    await tick();
    // Back-pressure: one chunk in the sink, none recycled while its write is pending.
    expect(sink.held).toHaveLength(1);
    expect(recycled).toEqual([]);
    for (let i = 0; i < 10 && recycled.length < 3; i++) {
      sink.release();
      await tick();
    }
    await done;
    expect(recycled).toEqual([0, 1, 2]);
    expect(Buffer.concat(sink.written).equals(Buffer.concat([Buffer.alloc(8, 0), Buffer.alloc(8, 1), Buffer.alloc(8, 2)]))).toBe(true);
    expect(sink.writableEnded).toBe(true);
  });

  test("a connection that closes while the body waits for drain ends the body's iterator and recycles nothing unwritten", async () => {
    const sink = new HeldSink();
    let closedSource = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; ; i++) yield Buffer.alloc(8, i);
      } finally {
        closedSource = true;
      }
    }
    const recycled: Uint8Array[] = [];
    const done = writeBody(sink, source(), undefined, (chunk) => recycled.push(chunk));
    await tick();
    sink.destroy();
    await expect(done).rejects.toThrow(/closed/);
    expect(closedSource).toBe(true);
    expect(recycled).toEqual([]);
  });
});
