/**
 * A `getObject` body that survives a dropped connection: when the stream fails with a
 * retryable error, the bytes not yet delivered are asked for again with a range starting at
 * the next byte and `If-Match` pinned to the first answer's ETag, so the reader gets one
 * consistent object or an error (`PreconditionFailed` if it changed meanwhile), never a splice
 * of two versions. Used by the retry layer on stores whose manifest has `getObjectWithRange`.
 */
import type { GetObjectResult } from "../multipart-object-store.js";
import { StorageError } from "../storage-error.js";

/** What a resumable read needs from the retry layer. */
export interface ResumeControl {
  /** Fetches bytes `first..last` (inclusive) of the object, failing unless its ETag is still `etag`. */
  refetch(first: number, last: number, etag: string): Promise<GetObjectResult>;
  /** The wait before resume number `resume` (1-based) after `err`, or `undefined` to give up with `err`. */
  delay(err: unknown, resume: number): number | undefined;
  /** Waits, rejecting with `Aborted` when the caller aborts. */
  sleep(ms: number): Promise<void>;
}

/** `result` with a body that resumes after retryable failures (an empty body is returned as is). */
export function resumableObjectRead(result: GetObjectResult, control: ResumeControl): GetObjectResult {
  if (result.contentLength === 0) return result;
  const first = result.range?.start ?? 0;
  const last = result.range?.end ?? result.info.size - 1;
  const etag = result.info.etag;
  let reader = result.body.getReader();
  let delivered = 0;
  let resumes = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        try {
          const { value, done } = await reader.read();
          if (done) controller.close();
          else {
            delivered += value.byteLength;
            controller.enqueue(value);
          }
          return;
        } catch (err) {
          const wait = control.delay(err, ++resumes);
          if (wait === undefined) throw err;
          await control.sleep(wait);
          const next = await control.refetch(first + delivered, last, etag);
          // A provider that ignored the range would splice the wrong bytes in: refuse.
          if ((next.range?.start ?? 0) !== first + delivered) {
            await next.body.cancel();
            throw new StorageError({ code: "Internal", message: `resumed read did not start at byte ${first + delivered}`, operation: "getObject", key: result.info.key });
          }
          reader = next.body.getReader();
        }
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { ...result, body };
}
