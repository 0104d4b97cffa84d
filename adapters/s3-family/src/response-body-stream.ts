import { finished, type Readable } from "node:stream";

/**
 * How many bytes a response body may hold in its web queue before the socket is paused.
 * Pausing and resuming undici's stream costs a tick each; with a one-chunk queue a GET paid
 * it for every 64 KiB socket read. A few reads of slack keep the socket flowing while the
 * reader is busy, and still bound what one body holds (never the whole object).
 */
const QUEUE_BYTES = 256 * 1024;

/**
 * A web stream over an undici response body, fed by its `data` events: each socket read is
 * enqueued as it arrives, with no promise or async iterator per chunk, and the socket is
 * paused while the queue holds {@link QUEUE_BYTES}. A failure, or the body ending before its
 * last byte, errors the stream with `mapError(err)`; cancelling destroys the body, which
 * frees the connection.
 */
export function responseBodyStream(body: Readable, mapError: (err: unknown) => unknown): ReadableStream<Uint8Array> {
  let settled = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        body.on("data", (chunk: Buffer) => {
          if (settled) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) body.pause();
        });
        // `finished` also reports a body destroyed before `end` (a premature close) as an error.
        finished(body, (err) => {
          if (settled) return;
          settled = true;
          if (err) controller.error(mapError(err));
          else controller.close();
        });
      },
      pull() {
        if (body.isPaused()) body.resume();
      },
      cancel() {
        settled = true;
        body.destroy();
      },
    },
    { highWaterMark: QUEUE_BYTES, size: (chunk) => chunk.byteLength },
  );
}
