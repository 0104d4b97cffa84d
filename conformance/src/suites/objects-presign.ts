/**
 * Presigned requests: `presign(method, key, { expiresInSeconds, … })` hands out a URL and the
 * headers to send with it, and a plain HTTP client (undici, no credentials) performs the
 * operation with them. Gated by `presign`; stores without it raise `Unsupported`.
 *
 * The server is the judge here: these cases send the presigned requests over the network, so
 * the subject's endpoint must be reachable from the test process (emulators and loopback
 * engines are).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "undici";
import type { PresignedRequest } from "@stowage/core";
import type { ObjectRegistry } from "../case-context.js";
import { check, checkBytes, checkEqual, rejects } from "../assertions.js";
import { bytesOf, pattern } from "../case-data.js";
import { objects } from "../requirements.js";

const SIGV4_QUERY = "S3 API Reference, \"Authenticating Requests: Using Query Parameters (AWS Signature Version 4)\"; docs/providers/ks3.md §9 \"Presigned URLs\"";
const CONTRACT = "contract: MultipartObjectStore.presign";

/** What a presigned request answered: status, headers and the whole (small) body. */
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

/** Sends `presigned` as a credential-less client would; `change` alters what is sent (tampering cases). */
async function send(
  presigned: PresignedRequest,
  signal: AbortSignal,
  change: { body?: Uint8Array; url?: string; method?: PresignedRequest["method"]; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const res = await request(change.url ?? presigned.url, {
    method: change.method ?? presigned.method,
    headers: change.headers ?? presigned.headers,
    body: change.body ?? null,
    signal,
  });
  const body = new Uint8Array(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body };
}

function checkStatus(answer: Answer, expected: number | readonly number[], what: string): void {
  const allowed = typeof expected === "number" ? [expected] : expected;
  check(allowed.includes(answer.status), `${what}: expected HTTP ${allowed.join(" or ")}, got ${answer.status} (${Buffer.from(answer.body.subarray(0, 200)).toString("utf8")})`);
}

/** The URL with its expiry parameter (`X-Amz-Expires` or V2 `Expires`) pushed a day later. */
function withLaterExpiry(url: string): string {
  const u = new URL(url);
  const name = ["X-Amz-Expires", "Expires"].find((n) => u.searchParams.has(n));
  check(name !== undefined, `the presigned URL carries an expiry parameter (X-Amz-Expires or Expires): ${u.search.replace(/(Signature=)[^&]*/g, "$1…")}`);
  u.searchParams.set(name, String(Number(u.searchParams.get(name)) + 86_400));
  return u.toString();
}

/** Registers the presign cases. */
export function register(registry: ObjectRegistry): void {
  const presign = objects.claims("presign");

  registry.add({
    id: "objects.presign.get",
    area: "objects.presign",
    rule: "a presigned GET sent by a plain HTTP client answers 200 with the object's exact bytes",
    source: SIGV4_QUERY,
    requires: [presign],
    run: async (ctx) => {
      const body = pattern(1000, 3);
      await ctx.store.putObject("dir/o.bin", body);
      const presigned = await ctx.store.presign("GET", "dir/o.bin", { expiresInSeconds: 300 });
      checkEqual(presigned.method, "GET", "method");
      const answer = await send(presigned, ctx.signal);
      checkStatus(answer, 200, "GET");
      checkBytes(answer.body, body, "body");
    },
  });

  registry.add({
    id: "objects.presign.get-special-key",
    area: "objects.presign",
    rule: "a presigned GET of a key with spaces, '+', '%' and non-ASCII characters answers 200 with the object's bytes",
    source: SIGV4_QUERY,
    requires: [presign],
    run: async (ctx) => {
      const key = "a dir/b+c %41 é.txt";
      const body = pattern(64, 5);
      await ctx.store.putObject(key, body);
      const answer = await send(await ctx.store.presign("GET", key, { expiresInSeconds: 300 }), ctx.signal);
      checkStatus(answer, 200, "GET");
      checkBytes(answer.body, body, "body");
    },
  });

  registry.add({
    id: "objects.presign.get-range",
    area: "objects.presign",
    rule: "a presigned GET with range { first: 10, last: 19 } lists the range among its headers and answers 206 with those 10 bytes",
    source: SIGV4_QUERY,
    requires: [presign, objects.claims("getObjectWithRange")],
    run: async (ctx) => {
      const body = pattern(100, 4);
      await ctx.store.putObject("o", body);
      const presigned = await ctx.store.presign("GET", "o", { expiresInSeconds: 300, range: { first: 10, last: 19 } });
      checkEqual(presigned.headers["range"], "bytes=10-19", "headers.range");
      const answer = await send(presigned, ctx.signal);
      checkStatus(answer, 206, "ranged GET");
      checkBytes(answer.body, body.subarray(10, 20), "body");
    },
  });

  registry.add({
    id: "objects.presign.put",
    area: "objects.presign",
    rule: "a presigned PUT with contentType and metadata, sent with its headers and a body, stores the bytes, the content type and the metadata",
    source: SIGV4_QUERY,
    requires: [presign],
    run: async (ctx) => {
      const body = pattern(777, 6);
      const presigned = await ctx.store.presign("PUT", "up/o.txt", { expiresInSeconds: 300, contentType: "text/plain", metadata: { owner: "ann" } });
      checkEqual(presigned.headers["content-type"], "text/plain", "headers.content-type");
      const answer = await send(presigned, ctx.signal, { body });
      checkStatus(answer, 200, "PUT");
      const got = await ctx.store.getObject("up/o.txt");
      checkBytes(await bytesOf(got.body), body, "body");
      checkEqual(got.info.contentType, "text/plain", "contentType");
      checkEqual(JSON.stringify(got.info.metadata), JSON.stringify({ owner: "ann" }), "metadata");
    },
  });

  registry.add({
    id: "objects.presign.put-default-content-type",
    area: "objects.presign",
    rule: "a presigned PUT without contentType requires content-type application/octet-stream, and the object reports it, as putObject() stores it",
    source: CONTRACT,
    requires: [presign],
    run: async (ctx) => {
      const presigned = await ctx.store.presign("PUT", "o", { expiresInSeconds: 300 });
      checkEqual(presigned.headers["content-type"], "application/octet-stream", "headers.content-type");
      checkStatus(await send(presigned, ctx.signal, { body: pattern(10) }), 200, "PUT");
      checkEqual((await ctx.store.headObject("o")).contentType, "application/octet-stream", "contentType");
    },
  });

  registry.add({
    id: "objects.presign.head",
    area: "objects.presign",
    rule: "a presigned HEAD answers 200 with the object's Content-Length and no body",
    source: SIGV4_QUERY,
    requires: [presign],
    run: async (ctx) => {
      const { etag } = await ctx.store.putObject("o", pattern(321));
      const answer = await send(await ctx.store.presign("HEAD", "o", { expiresInSeconds: 300 }), ctx.signal);
      checkStatus(answer, 200, "HEAD");
      checkEqual(answer.headers["content-length"], "321", "Content-Length");
      checkEqual(answer.headers["etag"], etag, "ETag");
      checkEqual(answer.body.byteLength, 0, "body bytes");
    },
  });

  registry.add({
    id: "objects.presign.delete",
    area: "objects.presign",
    rule: "a presigned DELETE answers 2xx and the object is gone (headObject() rejects NotFound)",
    source: SIGV4_QUERY,
    requires: [presign],
    run: async (ctx) => {
      await ctx.store.putObject("o", pattern(8));
      const answer = await send(await ctx.store.presign("DELETE", "o", { expiresInSeconds: 300 }), ctx.signal);
      checkStatus(answer, [200, 204], "DELETE");
      await rejects(ctx.store.headObject("o"), "NotFound", "headObject() after the presigned DELETE");
    },
  });

  registry.add({
    id: "objects.presign.expired",
    area: "objects.presign",
    rule: "a presigned GET used after its expiry answers 403 (presigned for 1 s, sent 2.5 s later)",
    source: SIGV4_QUERY,
    requires: [presign],
    run: async (ctx) => {
      await ctx.store.putObject("o", pattern(8));
      const presigned = await ctx.store.presign("GET", "o", { expiresInSeconds: 1 });
      // Whole-second timestamps make the URL's life 0 to 2 s; 2.5 s is past it either way.
      await sleep(2_500, undefined, { signal: ctx.signal });
      checkStatus(await send(presigned, ctx.signal), 403, "expired GET");
    },
  });

  registry.add({
    id: "objects.presign.tampered-query",
    area: "objects.presign",
    rule: "a presigned GET whose expiry parameter was changed after signing answers 403",
    source: SIGV4_QUERY,
    requires: [presign],
    run: async (ctx) => {
      await ctx.store.putObject("o", pattern(8));
      const presigned = await ctx.store.presign("GET", "o", { expiresInSeconds: 300 });
      checkStatus(await send(presigned, ctx.signal, { url: withLaterExpiry(presigned.url) }), 403, "tampered GET");
    },
  });

  registry.add({
    id: "objects.presign.other-method",
    area: "objects.presign",
    rule: "a presigned GET URL sent with DELETE answers 403 and the object stays",
    source: SIGV4_QUERY,
    requires: [presign],
    run: async (ctx) => {
      await ctx.store.putObject("o", pattern(8));
      const presigned = await ctx.store.presign("GET", "o", { expiresInSeconds: 300 });
      checkStatus(await send(presigned, ctx.signal, { method: "DELETE" }), 403, "DELETE with a GET URL");
      await ctx.store.headObject("o");
    },
  });

  registry.add({
    id: "objects.presign.put-without-signed-header",
    area: "objects.presign",
    rule: "a presigned PUT with metadata sent without its metadata header answers 403 and stores nothing",
    source: SIGV4_QUERY,
    requires: [presign],
    run: async (ctx) => {
      const presigned = await ctx.store.presign("PUT", "o", { expiresInSeconds: 300, contentType: "text/plain", metadata: { owner: "ann" } });
      const headers = Object.fromEntries(Object.entries(presigned.headers).filter(([name]) => !name.includes("-meta-")));
      check(Object.keys(headers).length < Object.keys(presigned.headers).length, "the presigned PUT lists a metadata header among its headers");
      checkStatus(await send(presigned, ctx.signal, { body: pattern(8), headers }), 403, "PUT without the metadata header");
      await rejects(ctx.store.headObject("o"), "NotFound", "headObject() after the refused PUT");
    },
  });

  registry.add({
    id: "objects.presign.expiry-out-of-range",
    area: "objects.presign",
    rule: "presign() with expiresInSeconds of 0, 1.5 or presignMaxExpiresInSeconds + 1 rejects InvalidArgument, as does a range on a PUT or metadata on a GET",
    source: CONTRACT,
    requires: [presign],
    run: async (ctx) => {
      const max = ctx.limits.presignMaxExpiresInSeconds;
      for (const expiresInSeconds of [0, 1.5, max + 1]) {
        await rejects(ctx.store.presign("GET", "o", { expiresInSeconds }), "InvalidArgument", `presign() with expiresInSeconds ${expiresInSeconds}`);
      }
      await ctx.store.presign("GET", "o", { expiresInSeconds: max });
      await rejects(ctx.store.presign("PUT", "o", { expiresInSeconds: 60, range: { first: 0, last: 1 } }), "InvalidArgument", "presign() PUT with a range");
      await rejects(ctx.store.presign("GET", "o", { expiresInSeconds: 60, metadata: { a: "b" } }), "InvalidArgument", "presign() GET with metadata");
      await rejects(ctx.store.presign("POST" as "GET", "o", { expiresInSeconds: 60 }), "InvalidArgument", "presign() with POST");
    },
  });

  registry.add({
    id: "objects.presign.unsupported",
    area: "objects.presign",
    rule: "presign() on a store without presign rejects Unsupported",
    source: "contract: capabilities a manifest lacks raise Unsupported",
    requires: [objects.lacks("presign")],
    run: async (ctx) => {
      for (const method of ["GET", "PUT", "HEAD", "DELETE"] as const) {
        await rejects(ctx.store.presign(method, "o", { expiresInSeconds: 60 }), "Unsupported", `presign() ${method}`);
      }
    },
  });
}
