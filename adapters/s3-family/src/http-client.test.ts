import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock, StorageError, normalizeBody } from "@stowage/core";
import { S3HttpClient } from "./http-client.js";
import { kssV2Authorization } from "./kss-v2-signer.js";
import type { S3Request } from "./s3-request.js";
import { testDialect } from "./test-dialect.js";

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
let handler: Handler = (_req, res) => res.end();
let server: Server;
let endpoint: URL;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handler(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const SECRET = "test-secret-never-shown";
const clock = new ManualClock(Date.UTC(2021, 10, 30, 6, 29, 38));

function client(addressing: "path" | "virtual-host" = "path"): S3HttpClient {
  return new S3HttpClient({
    endpoint,
    addressing,
    dialect: testDialect,
    maxDocumentBytes: 1024,
    signing: { signature: "v2", headerPrefix: "x-kss-", region: "r", clock, credentials: { accessKeyId: "AK", secretAccessKey: SECRET } },
  });
}

const ctx = () => ({ signal: new AbortController().signal });
const get = (key = "k"): S3Request => ({ operation: "getObject", method: "GET", bucket: "b", key, query: new URLSearchParams(), headers: {} });

async function rejection(p: Promise<unknown>): Promise<StorageError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StorageError);
    return err as StorageError;
  }
  throw new Error("expected a rejection");
}

describe("S3HttpClient", () => {
  it("sendForText() signs with KSS V2 over the canonical resource, in virtual-host style with Host carrying the bucket", async () => {
    let seen: IncomingMessage | undefined;
    handler = (req, res) => {
      seen = req;
      res.end("<ok/>");
    };
    const c = client("virtual-host");
    const req: S3Request = { operation: "listParts", method: "GET", bucket: "b", key: "a b", query: new URLSearchParams({ uploadId: "U", "max-parts": "5" }), headers: {} };
    await c.sendForText(req, ctx());
    await c.close();
    expect(seen!.url).toBe("/a%20b?uploadId=U&max-parts=5");
    expect(seen!.headers.host).toBe(`b.${endpoint.host}`);
    expect(seen!.headers.date).toBe("Tue, 30 Nov 2021 06:29:38 GMT");
    const expected = kssV2Authorization(
      { method: "GET", resource: "/b/a%20b", query: req.query, headers: { date: seen!.headers.date! }, headerPrefix: "x-kss-" },
      "AK",
      SECRET,
    );
    expect(seen!.headers.authorization).toBe(expected);
  });

  it("a 404 NoSuchUpload error document maps to UploadNotFound with providerCode, requestId and no secret in the error", async () => {
    handler = (_req, res) => {
      res.writeHead(404, { "content-type": "application/xml", "x-kss-request-id": "hdr-id" });
      res.end("<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message><Resource>/b/k</Resource><RequestId>doc-id</RequestId></Error>");
    };
    const c = client();
    const err = await rejection(c.sendForText({ ...get(), operation: "uploadPart" }, ctx()));
    await c.close();
    expect(err).toMatchObject({ code: "UploadNotFound", providerCode: "NoSuchUpload", httpStatus: 404, requestId: "doc-id", operation: "uploadPart", key: "k", retryable: false });
    expect(JSON.stringify(err.toJSON()) + err.message + String(err.stack)).not.toContain(SECRET);
  });

  it("a 503 SlowDown with Retry-After maps to a retryable RateLimited carrying retryAfterSeconds", async () => {
    handler = (_req, res) => {
      res.writeHead(503, { "retry-after": "3" });
      res.end("<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>");
    };
    const c = client();
    const err = await rejection(c.sendForText(get(), ctx()));
    await c.close();
    expect(err).toMatchObject({ code: "RateLimited", retryable: true, retryAfterSeconds: 3 });
  });

  it("a HEAD 404 (no body) maps by status to NotFound, and a bodyless 502 to the retryable 5xx fallback", async () => {
    handler = (_req, res) => {
      res.writeHead(404, { "x-kss-request-id": "hdr-id" });
      res.end();
    };
    const c = client();
    const err = await rejection(c.sendForHeaders({ ...get(), operation: "headObject", method: "HEAD" }, ctx()));
    expect(err).toMatchObject({ code: "NotFound", requestId: "hdr-id" });
    handler = (_req, res) => {
      res.writeHead(502);
      res.end("bad gateway");
    };
    const err2 = await rejection(c.sendForText(get(), ctx()));
    await c.close();
    expect(err2).toMatchObject({ code: "ServiceUnavailable", retryable: true, httpStatus: 502 });
  });

  it("sendForDocument() of a 200 whose body is an <Error> raises the error it reports", async () => {
    handler = (_req, res) => res.end("<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>");
    const c = client();
    const err = await rejection(c.sendForDocument({ ...get(), operation: "completeMultipartUpload", method: "POST" }, ctx()));
    await c.close();
    expect(err).toMatchObject({ code: "Internal", providerCode: "InternalError", retryable: true });
  });

  it("sendForText() of a document over the size cap rejects Internal", async () => {
    handler = (_req, res) => res.end(`<R>${"x".repeat(4096)}</R>`);
    const c = client();
    const err = await rejection(c.sendForText(get(), ctx()));
    await c.close();
    expect(err.code).toBe("Internal");
  });

  it("a connection reset before the answer maps to a retryable Network error", async () => {
    handler = (req) => req.socket.destroy();
    const c = client();
    const err = await rejection(c.sendForText(get(), ctx()));
    await c.close();
    expect(err).toMatchObject({ code: "Network", retryable: true, operation: "getObject" });
  });

  it("a connection reset mid-body surfaces as a Network StorageError from the body stream", async () => {
    handler = (req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("0123456789");
      setTimeout(() => req.socket.destroy(), 20);
    };
    const c = client();
    const res = await c.sendForStream(get(), ctx());
    const reader = res.body.getReader();
    let failure: unknown;
    try {
      for (;;) if ((await reader.read()).done) break;
    } catch (err) {
      failure = err;
    }
    await c.close();
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as StorageError).code).toBe("Network");
  });

  it("aborting the signal while a streamed body stalls fails the body stream with Aborted", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("0123456789"); // and never the rest
    };
    const c = client();
    const ac = new AbortController();
    const res = await c.sendForStream(get(), { signal: ac.signal });
    const reader = res.body.getReader();
    expect((await reader.read()).value?.byteLength).toBe(10);
    setTimeout(() => ac.abort(), 10);
    const err = await rejection(reader.read());
    await c.close();
    expect(err.code).toBe("Aborted");
  });

  it("an aborted signal while waiting for the answer rejects Aborted", async () => {
    handler = () => undefined; // never answers
    const c = client();
    const ac = new AbortController();
    const p = c.sendForText(get(), { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    const err = await rejection(p);
    await c.close();
    expect(err.code).toBe("Aborted");
  });

  it("a streamed upload body arrives whole with the declared Content-Length", async () => {
    let received: Buffer | undefined;
    let length: string | undefined;
    handler = (req, res, body) => {
      received = body;
      length = req.headers["content-length"];
      res.writeHead(200, { etag: '"e"' });
      res.end();
    };
    async function* gen() {
      yield new Uint8Array([1, 2]);
      yield new Uint8Array([3]);
    }
    const c = client();
    await c.sendForHeaders({ operation: "uploadPart", method: "PUT", bucket: "b", key: "k", query: new URLSearchParams(), headers: { "content-length": "3" }, body: normalizeBody(gen(), 3) }, ctx());
    await c.close();
    expect(length).toBe("3");
    expect([...received!]).toEqual([1, 2, 3]);
  });
});
