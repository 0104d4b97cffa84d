import { Agent, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKs3Emulator, type RunningKs3Emulator } from "@stowage/emulator-ks3";
import { createS3Store } from "./multipart-object-store.js";
import { TEST_SIZE_LIMITS } from "./test-s3-subjects.js";

/**
 * Lets the first CompleteMultipartUpload reach the server and be applied, then loses its
 * answer: the response headers become a socket error, as after a reset on the way back.
 */
class LoseFirstCompleteAnswer extends Agent {
  lost = 0;
  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.lost > 0 || opts.method !== "POST" || !String(opts.path).includes("uploadId=")) return super.dispatch(opts, handler);
    this.lost++;
    // undici's request() handler (legacy callbacks): the answer is read to its end but never
    // shown to it; at the end it is told the socket failed.
    const legacy = handler as Dispatcher.DispatchHandler & { onError(err: Error): void };
    const losing = new Proxy(legacy, {
      get(target, prop, receiver) {
        if (prop === "onHeaders" || prop === "onData") return () => true;
        if (prop === "onComplete") return () => target.onError(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }));
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    return super.dispatch(opts, losing);
  }
}

let n = 0;
const emulators: RunningKs3Emulator[] = [];
afterAll(async () => {
  for (const emu of emulators) await emu.close();
});

describe("a conditional completeMultipartUpload() whose first attempt is applied but its answer lost", () => {
  let repeatSucceeds: RunningKs3Emulator;
  let repeatNoSuchUpload: RunningKs3Emulator;
  beforeAll(async () => {
    repeatSucceeds = await startKs3Emulator({ port: 0, profile: "s3", limits: TEST_SIZE_LIMITS });
    repeatNoSuchUpload = await startKs3Emulator({ port: 0, profile: "s3", limits: TEST_SIZE_LIMITS, quirks: { repeatCompleteSucceeds: false } });
    emulators.push(repeatSucceeds, repeatNoSuchUpload);
  });

  it.each([
    ["answers a repeated Complete with 200 (S3, s3-tests)", () => repeatSucceeds],
    ["answers a repeated Complete with 404 NoSuchUpload", () => repeatNoSuchUpload],
  ])("resolves with the object's ETag, not PreconditionFailed, on a server that %s", async (_what, server) => {
    const emu = server();
    const bucket = `cond-retry-${process.pid}-${++n}`;
    await emu.createBucket(bucket);
    const dispatcher = new LoseFirstCompleteAnswer();
    const store = createS3Store({
      bucket,
      endpoint: emu.endpoint,
      region: "us-east-1",
      accessKeyId: emu.accessKeyId,
      secretAccessKey: emu.secretAccessKey,
      addressing: "path",
      limits: TEST_SIZE_LIMITS,
      dispatcher,
      retry: { baseDelayMs: 0 },
    });
    try {
      const { uploadId } = await store.createMultipartUpload("k");
      const part = await store.uploadPart("k", uploadId, 1, "the only part");
      const done = await store.completeMultipartUpload("k", uploadId, [part], { ifNoneMatch: "*" });
      expect(dispatcher.lost).toBe(1);
      expect(done.etag).toBe((await store.headObject("k")).etag);
      expect(await store.getObjectText("k")).toBe("the only part");
    } finally {
      await store.close();
      await dispatcher.close();
    }
  });
});
