import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { StorageError } from "@stowage/core";
import { responseBodyStream } from "./response-body-stream.js";

const mapped = (err: unknown) => new StorageError({ code: "Network", message: "mapped", cause: err });

async function readAll(stream: ReadableStream<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) out.push(...chunk);
  return out;
}

async function failureOf(stream: ReadableStream<Uint8Array>): Promise<unknown> {
  try {
    await readAll(stream);
  } catch (err) {
    return err;
  }
  throw new Error("expected the stream to fail");
}

/** A source that produces `chunkBytes`-byte chunks for as long as it is read, counting what it produced. */
function endless(chunkBytes: number): { source: Readable; produced: () => number } {
  let produced = 0;
  const source = new Readable({
    read() {
      produced += chunkBytes;
      this.push(Buffer.alloc(chunkBytes, 1));
    },
  });
  return { source, produced: () => produced };
}

describe("responseBodyStream()", () => {
  it("responseBodyStream() delivers every chunk in order and then closes", async () => {
    const stream = responseBodyStream(Readable.from([Buffer.from([1, 2]), Buffer.from([3]), Buffer.from([4, 5, 6])]), mapped);
    expect(await readAll(stream)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("responseBodyStream() errors with mapError's result when the source fails mid-body", async () => {
    const source = new Readable({ read() {} });
    const stream = responseBodyStream(source, mapped);
    source.push(Buffer.from([1]));
    setTimeout(() => source.destroy(new Error("socket hang up")), 5);
    const err = await failureOf(stream);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe("Network");
    expect(((err as StorageError).cause as Error).message).toBe("socket hang up");
  });

  it("responseBodyStream() errors (never closes cleanly) when the source is destroyed before its end", async () => {
    const source = new Readable({ read() {} });
    const stream = responseBodyStream(source, mapped);
    source.push(Buffer.from([1]));
    setTimeout(() => source.destroy(), 5);
    const err = await failureOf(stream);
    expect((err as StorageError).code).toBe("Network");
    expect(((err as StorageError).cause as { code?: string }).code).toBe("ERR_STREAM_PREMATURE_CLOSE");
  });

  it("cancel() on responseBodyStream() destroys the source", async () => {
    const { source } = endless(1024);
    const stream = responseBodyStream(source, mapped);
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    expect(source.destroyed).toBe(true);
  });

  it("responseBodyStream() pauses the source while nobody reads, holding a bounded amount", async () => {
    const { source, produced } = endless(64 * 1024);
    const stream = responseBodyStream(source, mapped);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(source.isPaused()).toBe(true);
    // Its queue (256 KiB) plus the source's own buffer (16 KiB) and one chunk in flight.
    expect(produced()).toBeLessThanOrEqual(6 * 64 * 1024);
    await stream.cancel();
  });

  it("responseBodyStream() resumes a paused source once the reader drains the queue", async () => {
    const total = 2 * 1024 * 1024;
    let produced = 0;
    const source = new Readable({
      read() {
        if (produced >= total) this.push(null);
        else {
          produced += 64 * 1024;
          this.push(Buffer.alloc(64 * 1024, 2));
        }
      },
    });
    const stream = responseBodyStream(source, mapped);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(produced).toBeLessThan(total);
    expect((await readAll(stream)).length).toBe(total);
  });
});
