import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { concatBytes, decodeUtf8, encodeUtf8, isBodyInput, normalizeBody, readBytes, readText, toWebStream, type BodyInput } from "./body.js";
import { isStorageError, type StorageErrorCode } from "./storage-error.js";

const HELLO = new TextEncoder().encode("héllo");

async function* chunksOf(...parts: Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield p;
}

function webStreamOf(...parts: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const p of parts) controller.enqueue(p);
      controller.close();
    },
  });
}

/** The five input kinds, each carrying "héllo" split in two chunks where the kind is chunked. */
const KINDS: Array<[string, () => BodyInput]> = [
  ["Uint8Array", () => HELLO],
  ["string", () => "héllo"],
  ["Node Readable", () => Readable.from([Buffer.from(HELLO.subarray(0, 2)), Buffer.from(HELLO.subarray(2))])],
  ["web ReadableStream", () => webStreamOf(HELLO.subarray(0, 2), HELLO.subarray(2))],
  ["AsyncIterable", () => chunksOf(HELLO.subarray(0, 2), HELLO.subarray(2))],
];

async function rejection(p: Promise<unknown>): Promise<StorageErrorCode> {
  try {
    await p;
  } catch (err) {
    if (isStorageError(err)) return err.code;
    throw err;
  }
  throw new Error("expected a rejection");
}

function thrownCode(fn: () => unknown): StorageErrorCode {
  try {
    fn();
  } catch (err) {
    if (isStorageError(err)) return err.code;
    throw err;
  }
  throw new Error("expected a throw");
}

describe("normalizeBody / readBytes", () => {
  it.each(KINDS)("readBytes() of a %s returns its exact bytes", async (_name, make) => {
    expect(isBodyInput(make())).toBe(true);
    expect([...(await readBytes(make(), { maxBytes: 100 }))]).toEqual([...HELLO]);
  });

  it.each(KINDS)("readBytes() of a %s one byte over maxBytes rejects ValueTooLarge", async (_name, make) => {
    expect(await rejection(readBytes(make(), { maxBytes: HELLO.byteLength - 1 }))).toBe("ValueTooLarge");
    expect((await readBytes(make(), { maxBytes: HELLO.byteLength })).byteLength).toBe(HELLO.byteLength);
  });

  it("readBytes() and readText() without options read the whole body (plain JS callers pass none)", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("a,b\n"));
        controller.enqueue(new TextEncoder().encode("1,2\n"));
        controller.close();
      },
    });
    const read = readBytes as (body: unknown) => Promise<Uint8Array>;
    expect(new TextDecoder().decode(await read(body))).toBe("a,b\n1,2\n");
    expect(await (readText as (body: unknown) => Promise<string>)("héllo")).toBe("héllo");
  });

  it("readBytes() of a failing source rejects InvalidArgument with the failure as its cause", async () => {
    const failure = new Error("the source broke");
    async function* failing(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(3);
      throw failure;
    }
    const error = await readBytes(failing(), { maxBytes: 100 }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: "InvalidArgument", cause: failure });
    expect((error as Error).message).not.toContain("the source broke");
  });

  it("readBytes() of a source yielding a non-byte chunk reports that, even when releasing the source fails too", async () => {
    const source: AsyncIterable<unknown> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: "not bytes" }),
        return: async () => {
          throw new Error("release failed");
        },
      }),
    };
    const error = await readBytes(source as AsyncIterable<Uint8Array>, { maxBytes: 100 }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: "InvalidArgument", message: expect.stringContaining("must yield Uint8Array") });
  });

  it.each([
    ["a Node Readable", (source: Readable) => source as BodyInput],
    ["a web ReadableStream", (source: Readable) => Readable.toWeb(source) as unknown as BodyInput],
  ])("readBytes() aborted while %s is stalled rejects Aborted and releases the source at once", async (_kind, wrap) => {
    const source = new Readable({ read() {} });
    source.push(new Uint8Array(3));
    const controller = new AbortController();
    const reading = readBytes(wrap(source), { maxBytes: 100, signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error("stop"));
    expect(await rejection(reading)).toBe("Aborted");
    expect(source.destroyed).toBe(true);
  });

  it("readBytes() rejects Aborted when the source's own next() fires the signal and then stalls", async () => {
    const controller = new AbortController();
    const source: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          controller.abort(new Error("stop"));
          return new Promise<IteratorResult<Uint8Array>>(() => undefined);
        },
      }),
    };
    expect(await rejection(readBytes(source, { maxBytes: 100, signal: controller.signal }))).toBe("Aborted");
  });

  it("readBytes() with tooLargeCode raises that code past the cap", async () => {
    expect(await rejection(readBytes(chunksOf(HELLO), { maxBytes: 1, tooLargeCode: "EntityTooLarge" }))).toBe("EntityTooLarge");
  });

  it("readBytes() stops pulling from the source once it passes the cap", async () => {
    let pulled = 0;
    async function* endless(): AsyncIterable<Uint8Array> {
      for (;;) {
        pulled++;
        yield new Uint8Array(10);
      }
    }
    expect(await rejection(readBytes(endless(), { maxBytes: 25 }))).toBe("ValueTooLarge");
    expect(pulled).toBe(3);
  });

  it("normalizeBody() knows the length of bytes and strings, and of a stream only when declared", () => {
    expect(normalizeBody("héllo").length).toBe(6);
    expect(normalizeBody(HELLO).bytes).toBe(HELLO);
    expect(normalizeBody(chunksOf(HELLO)).length).toBeUndefined();
    expect(normalizeBody(chunksOf(HELLO), 6).length).toBe(6);
  });

  it("normalizeBody() with a contentLength different from a byte body's length rejects InvalidArgument", () => {
    expect(thrownCode(() => normalizeBody(HELLO, 5))).toBe("InvalidArgument");
    expect(thrownCode(() => normalizeBody(chunksOf(HELLO), -1))).toBe("InvalidArgument");
    expect(thrownCode(() => normalizeBody(chunksOf(HELLO), 1.5))).toBe("InvalidArgument");
  });

  it.each([42, null, undefined, {}, [1, 2], new ArrayBuffer(2)])("normalizeBody(%s) rejects InvalidArgument, never a TypeError", (input) => {
    expect(isBodyInput(input)).toBe(false);
    expect(thrownCode(() => normalizeBody(input))).toBe("InvalidArgument");
  });

  it("readBytes() of a stream yielding strings rejects InvalidArgument", async () => {
    expect(await rejection(readBytes(Readable.from(["a", "b"]), { maxBytes: 10 }))).toBe("InvalidArgument");
  });

  it("normalizeBody() of a string with a lone surrogate rejects InvalidArgument instead of storing U+FFFD", () => {
    expect(thrownCode(() => normalizeBody("a\uD800b"))).toBe("InvalidArgument");
    expect(thrownCode(() => encodeUtf8("\uDC00"))).toBe("InvalidArgument");
    expect([...encodeUtf8("😀")]).toEqual([0xf0, 0x9f, 0x98, 0x80]);
  });

  it("readBytes() with an already aborted signal rejects Aborted", async () => {
    const ac = new AbortController();
    ac.abort();
    expect(await rejection(readBytes(HELLO, { maxBytes: 10, signal: ac.signal }))).toBe("Aborted");
    expect(await rejection(readBytes(chunksOf(HELLO), { maxBytes: 10, signal: ac.signal }))).toBe("Aborted");
  });

  it("readBytes() of a stalled stream rejects Aborted as soon as the signal fires", async () => {
    const ac = new AbortController();
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(HELLO);
      },
    });
    const reading = readBytes(stalled, { maxBytes: 100, signal: ac.signal });
    setTimeout(() => ac.abort(), 5);
    expect(await rejection(reading)).toBe("Aborted");
  });
});

describe("UTF-8 text", () => {
  it("readText() decodes UTF-8 and decodeUtf8() rejects invalid sequences with InvalidArgument", async () => {
    expect(await readText(chunksOf(HELLO), { maxBytes: 10 })).toBe("héllo");
    for (const bad of [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      expect(thrownCode(() => decodeUtf8(new Uint8Array(bad)))).toBe("InvalidArgument");
    }
  });

  it("decodeUtf8() keeps a leading byte-order mark so text round-trips exactly", () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, 0x41]);
    expect(decodeUtf8(withBom)).toBe("\uFEFFA");
    expect([...encodeUtf8(decodeUtf8(withBom))]).toEqual([...withBom]);
  });
});

describe("helpers", () => {
  it("concatBytes() joins chunks in order", () => {
    expect([...concatBytes([new Uint8Array([1]), new Uint8Array([]), new Uint8Array([2, 3])])]).toEqual([1, 2, 3]);
    expect(concatBytes([]).byteLength).toBe(0);
  });

  it("toWebStream() streams the chunks and cancelling it closes the source", async () => {
    const stream = toWebStream(chunksOf(new Uint8Array([1]), new Uint8Array([2])));
    expect([...(await readBytes(stream, { maxBytes: 10 }))]).toEqual([1, 2]);
    let closed = false;
    async function* source(): AsyncIterable<Uint8Array> {
      try {
        yield new Uint8Array([1]);
        yield new Uint8Array([2]);
      } finally {
        closed = true;
      }
    }
    const s = toWebStream(source());
    const reader = s.getReader();
    await reader.read();
    await reader.cancel();
    expect(closed).toBe(true);
  });
});
