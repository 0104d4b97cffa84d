/**
 * Hostile input (issue #9 §3): the emulator refuses what it can before reading a body, caps
 * each action's body while it streams in, bounds form fields and the nonce replay cache, and
 * ignores `Expect` values other than `100-continue`. "Refused before the body was read" is
 * shown structurally: the answer arrives while the client still holds most of the body back.
 */
import { request, type IncomingMessage } from "node:http";
import { ManualClock } from "@stowage/core";
import { afterEach, describe, expect, it } from "vitest";
import { startEsaKvEmulator, type EsaKvEmulatorOptions, type RunningEsaKvEmulator } from "./index.js";
import { NonceCache } from "./nonce-cache.js";
import { signedRequest } from "./test-signed-fetch.js";

let emulator: RunningEsaKvEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});
async function start(options: EsaKvEmulatorOptions = {}): Promise<RunningEsaKvEmulator> {
  emulator = await startEsaKvEmulator({ namespaces: ["hostile"], ...options });
  return emulator;
}

interface Answer {
  status: number;
  headers: IncomingMessage["headers"];
  json: Record<string, unknown> | undefined;
  text: string;
}

/**
 * Sends `head` and only the first `sendBytes` of a body that claims `claimBytes` (chunked when
 * `claimBytes` is undefined), and resolves with the answer without ever sending the rest.
 */
function sendPartially(target: RunningEsaKvEmulator, head: { path: string; method?: string; headers: Record<string, string> }, sendBytes: number, claimBytes?: number): Promise<Answer> {
  const url = new URL(target.endpoint);
  const headers = { ...head.headers, ...(claimBytes === undefined ? {} : { "content-length": String(claimBytes) }) };
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: head.path, method: head.method ?? "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json, text });
        req.destroy();
      });
    });
    // The server may close the connection while we still write: that is the point.
    req.on("error", (err) => (req.destroyed ? undefined : reject(err)));
    req.write(Buffer.alloc(sendBytes, 0x61));
  });
}

describe("authentication before the body", () => {
  it("an unsigned POST claiming 100 MB is refused IncompleteSignature after 64 KiB of it were sent", async () => {
    const target = await start();
    const answer = await sendPartially(
      target,
      { path: "/?Namespace=hostile&Key=k", headers: { "x-acs-action": "PutKv", "x-acs-version": "2024-09-10", "content-type": "application/x-www-form-urlencoded" } },
      64 * 1024,
      100 * 1000 * 1000,
    );
    expect(answer.status).toBe(400);
    expect(answer.json?.["Code"]).toBe("IncompleteSignature");
    expect(answer.headers["connection"]).toBe("close");
  });

  it("a POST signed with a wrong secret is refused SignatureDoesNotMatch before its chunked body ends", async () => {
    const target = await start();
    const { url, init } = signedRequest(target, { action: "PutKv", query: { Namespace: "hostile", Key: "k" }, form: { Value: "v" }, secret: "wrong" });
    const answer = await sendPartially(target, { path: new URL(url).pathname + new URL(url).search, headers: init.headers as Record<string, string> }, 256 * 1024);
    expect(answer.json?.["Code"]).toBe("SignatureDoesNotMatch");
  });
});

describe("body caps per action", () => {
  it("a signed PutKv whose streamed body passes 3 × valueMaxBytes + 64 KiB is refused InvalidValue.ExceedsMaximum mid-stream", async () => {
    const target = await start({ limits: { valueMaxBytes: 1000 } });
    const { url, init } = signedRequest(target, { action: "PutKv", query: { Namespace: "hostile", Key: "k" }, form: { Value: "v" } });
    // Chunked, so only the running count can stop it; 1 MiB is sent of a body that never ends.
    const answer = await sendPartially(target, { path: new URL(url).pathname + new URL(url).search, headers: init.headers as Record<string, string> }, 1024 * 1024);
    expect(answer.status).toBe(400);
    expect(answer.json?.["Code"]).toBe("InvalidValue.ExceedsMaximum");
    expect(answer.headers["connection"]).toBe("close");
  });

  it("a signed GetKv claiming a 10 MB body is refused InvalidParameter from its Content-Length alone", async () => {
    const target = await start();
    const { url, init } = signedRequest(target, { action: "GetKv", query: { Namespace: "hostile", Key: "k" } });
    const answer = await sendPartially(target, { path: new URL(url).pathname + new URL(url).search, headers: init.headers as Record<string, string> }, 0, 10 * 1000 * 1000);
    expect(answer.json?.["Code"]).toBe("InvalidParameter");
  });

  it("a signed PutKv of a value exactly valueMaxBytes long with every byte percent-encoded still passes", async () => {
    const target = await start({ limits: { valueMaxBytes: 3000 } });
    const value = "é".repeat(1500); // 3000 UTF-8 bytes, each sent as %XX: 9000 body bytes
    const { url, init } = signedRequest(target, { action: "PutKv", query: { Namespace: "hostile", Key: "k" }, form: { Value: value } });
    const response = await fetch(url, init);
    expect(response.status).toBe(200);
  });
});

describe("form field counts", () => {
  it("a signed form with 1,000 fields is refused InvalidParameter", async () => {
    const target = await start();
    const form = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`f${i}`, "x"]));
    const { url, init } = signedRequest(target, { action: "PutKv", query: { Namespace: "hostile", Key: "k" }, form: { Value: "v", ...form } });
    const response = await fetch(url, init);
    const body = (await response.json()) as { Code: string; Message: string };
    expect(body.Code).toBe("InvalidParameter");
    expect(body.Message).toContain("64 fields");
  });

  it("an OSS POST with 1,000 form fields is refused 400 InvalidArgument before the form is parsed", async () => {
    const target = await start();
    const form = new FormData();
    for (let i = 0; i < 1000; i++) form.append(`f${i}`, "x");
    const response = await fetch(target.ossEndpoint, { method: "POST", body: form });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain("<Code>InvalidArgument</Code>");
    expect(text).toContain("64 fields");
  });
});

describe("nonce replay cache", () => {
  it("forgets a nonce once its request's timestamp leaves the accepted window", () => {
    const clock = new ManualClock(1_000_000);
    const cache = new NonceCache(clock, 60_000);
    for (let i = 0; i < 10; i++) cache.use(`n${i}`);
    expect(cache.size).toBe(10);
    expect(() => cache.use("n3")).toThrow(expect.objectContaining({ code: "SignatureNonceUsed" }));
    clock.advance(60_001);
    cache.use("fresh");
    expect(cache.size).toBe(1);
    // A request stamped 50 s ago needs remembering only for the 10 s its stamp stays valid.
    const stamped = new NonceCache(clock, 60_000);
    stamped.use("old", clock.now() - 50_000);
    clock.advance(10_001);
    stamped.use("later");
    expect(stamped.size).toBe(1);
  });

  it("never holds more than its hard cap, however many requests arrive inside the window", () => {
    const clock = new ManualClock(1_000_000);
    const cache = new NonceCache(clock, 15 * 60_000, 1000);
    for (let i = 0; i < 25_000; i++) cache.use(`n${i}`);
    expect(cache.size).toBe(1000);
    // The newest are the ones kept.
    expect(() => cache.use("n24999")).toThrow(expect.objectContaining({ code: "SignatureNonceUsed" }));
  });

  it("the emulator's cache is capped by limits.nonceCacheMaxEntries", async () => {
    const target = await start({ limits: { nonceCacheMaxEntries: 3 } });
    for (let i = 0; i < 5; i++) {
      const { url, init } = signedRequest(target, { action: "GetKvAccount", method: "GET" });
      expect((await fetch(url, init)).status).toBe(200);
    }
    // The first nonce was evicted by the cap, so its replay is no longer recognised; the last is.
    const first = signedRequest(target, { action: "GetKvAccount", method: "GET", nonce: "first" });
    expect((await fetch(first.url, first.init)).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const { url, init } = signedRequest(target, { action: "GetKvAccount", method: "GET" });
      await fetch(url, init);
    }
    const replay = signedRequest(target, { action: "GetKvAccount", method: "GET", nonce: "first" });
    expect((await fetch(replay.url, replay.init)).status).toBe(200);
  });
});

describe("Expect", () => {
  for (const value of ["200", ""]) {
    it(`a signed request with Expect: ${JSON.stringify(value)} is served as usual, not 417`, async () => {
      const target = await start();
      const { url, init } = signedRequest(target, { action: "GetKvAccount", method: "GET" });
      const u = new URL(url);
      const answer = await new Promise<number>((resolve, reject) => {
        const req = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: "GET", headers: { ...(init.headers as Record<string, string>), expect: value } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
      });
      expect(answer).toBe(200);
    });
  }
});
