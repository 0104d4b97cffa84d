/**
 * Writing a streamed answer body to the HTTP response, with back-pressure, fault injection's
 * mid-body reset, and the hand-back of each chunk once the socket no longer needs it.
 */

/** The part of an HTTP `ServerResponse` a body is written through. */
export interface BodySink {
  /** Whether the connection is gone. */
  readonly destroyed: boolean;
  /** The connection, dropped by a fault-injected reset. */
  readonly socket?: { destroy(): void } | null;
  /** Queues `chunk`; `callback` runs once it is written (or failed). False: wait for `drain`. */
  write(chunk: Uint8Array, callback?: (err?: Error | null) => void): boolean;
  /** Ends the body. */
  end(): unknown;
  /** `drain`: room again; `close`: the response is over (or the connection gone). */
  once(event: "drain" | "close", listener: () => void): unknown;
  /** Removes a listener added with `once`. */
  off(event: "drain" | "close", listener: () => void): unknown;
}

/** Resolves once `res` can take more, rejects if the connection closes first. */
function drained(res: BodySink): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      res.off("close", onClose);
      resolve();
    };
    const onClose = (): void => {
      res.off("drain", onDrain);
      reject(new Error("the connection closed while the body was being sent"));
    };
    res.once("drain", onDrain);
    res.once("close", onClose);
  });
}

/**
 * Streams a body with the socket's back-pressure, and with `resetAfter` drops the connection
 * once that many bytes are out. Each chunk goes to `recycle` once the socket has sent it (not
 * on a failed write: the buffer's fate is then unknown). Leaving the loop early (a closed
 * connection) ends the body's iterator, which releases what it holds.
 */
export async function writeBody(res: BodySink, body: AsyncIterable<Uint8Array>, resetAfter: number | undefined, recycle: ((chunk: Uint8Array) => void) | undefined): Promise<void> {
  let sent = 0;
  for await (const chunk of body) {
    if (res.destroyed) throw new Error("the connection closed while the body was being sent");
    if (resetAfter !== undefined) {
      const room = resetAfter - sent;
      if (room <= chunk.byteLength) {
        res.write(chunk.subarray(0, Math.max(0, room)));
        res.socket?.destroy();
        return;
      }
    }
    sent += chunk.byteLength;
    const written = recycle === undefined ? res.write(chunk) : res.write(chunk, (err) => err || recycle(chunk));
    if (!written) await drained(res);
  }
  res.end();
}
