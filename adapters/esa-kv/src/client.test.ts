import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import {
  acsDate,
  authorizeFileUploadRequest,
  batchDeleteKvRequest,
  batchPutKvRequest,
  createKvNamespaceRequest,
  deleteKvNamespaceRequest,
  deleteKvRequest,
  EsaKvClient,
  formBody,
  getKvAccountRequest,
  getKvDetailRequest,
  getKvNamespaceRequest,
  getKvRequest,
  listKvsRequest,
  maxResponseBytesFor,
  ossPostObjectHttpRequest,
  putKvRequest,
  putKvWithHighCapacityRequest,
  signRpcRequest,
} from "./client.js";
import { EsaKvCredentials } from "./config.js";
import { acs3Authorization, hashPayload } from "./signer.js";

describe("ESA request builders", () => {
  it("putKvRequest() is a POST with Value in the form body and the rest in the query", () => {
    expect(putKvRequest({ Namespace: "ns", Key: "k", Value: "dmFs", Base64: true, ExpirationTtl: 60 })).toEqual({
      service: "esa",
      action: "PutKv",
      version: "2024-09-10",
      method: "POST",
      query: { Namespace: "ns", Key: "k", Base64: "true", ExpirationTtl: "60" },
      form: { Value: "dmFs" },
    });
  });

  it("getKvRequest() and deleteKvRequest() are GETs with query parameters only", () => {
    expect(getKvRequest({ Namespace: "ns", Key: "k", Base64: true })).toMatchObject({ action: "GetKv", method: "GET", query: { Namespace: "ns", Key: "k", Base64: "true" }, form: undefined });
    expect(deleteKvRequest({ Namespace: "ns", Key: "k" })).toMatchObject({ action: "DeleteKv", method: "GET", query: { Namespace: "ns", Key: "k" }, form: undefined });
  });

  it("getKvDetailRequest() is a POST without a body", () => {
    expect(getKvDetailRequest({ Namespace: "ns", Key: "k" })).toMatchObject({ action: "GetKvDetail", method: "POST", form: undefined });
  });

  it("listKvsRequest() omits unset paging parameters", () => {
    expect(listKvsRequest({ Namespace: "ns" }).query).toEqual({ Namespace: "ns" });
    expect(listKvsRequest({ Namespace: "ns", PageNumber: 2, PageSize: 100, Prefix: "a" }).query).toEqual({ Namespace: "ns", PageNumber: "2", PageSize: "100", Prefix: "a" });
  });

  it("batchPutKvRequest() and batchDeleteKvRequest() send the arrays as JSON strings in one form field", () => {
    const put = batchPutKvRequest({ Namespace: "ns", KvList: [{ Key: "k1", Value: "v1", ExpirationTtl: 3600 }] });
    expect(put).toMatchObject({ action: "BatchPutKv", method: "POST", query: { Namespace: "ns" } });
    expect(put.form).toEqual({ KvList: '[{"Key":"k1","Value":"v1","ExpirationTtl":3600}]' });
    expect(batchDeleteKvRequest({ Namespace: "ns", Keys: ["a", "b"] }).form).toEqual({ Keys: '["a","b"]' });
  });

  it("putKvWithHighCapacityRequest() puts Namespace, Key and Url in the query", () => {
    expect(putKvWithHighCapacityRequest({ Namespace: "ns", Key: "k", Url: "http://b.e/o" })).toMatchObject({
      action: "PutKvWithHighCapacity",
      method: "POST",
      query: { Namespace: "ns", Key: "k", Url: "http://b.e/o" },
      form: undefined,
    });
  });

  it("namespace and account builders place parameters as the SDK does", () => {
    expect(createKvNamespaceRequest({ Namespace: "ns", Description: "d" })).toMatchObject({ method: "POST", query: {}, form: { Namespace: "ns", Description: "d" } });
    expect(getKvNamespaceRequest({ Namespace: "ns" })).toMatchObject({ method: "GET", query: { Namespace: "ns" } });
    expect(deleteKvNamespaceRequest({ Namespace: "ns" })).toMatchObject({ method: "POST", query: { Namespace: "ns" }, form: undefined });
    expect(getKvAccountRequest()).toMatchObject({ action: "GetKvAccount", method: "GET", query: {} });
  });

  it("authorizeFileUploadRequest() targets OpenPlatform 2019-12-19 with Product and RegionId", () => {
    expect(authorizeFileUploadRequest({ Product: "ESA", RegionId: "cn-hangzhou" })).toEqual({
      service: "openPlatform",
      action: "AuthorizeFileUpload",
      version: "2019-12-19",
      method: "GET",
      query: { Product: "ESA", RegionId: "cn-hangzhou" },
      form: undefined,
    });
  });

  it("formBody() percent-encodes Base64 and JSON characters", () => {
    expect(formBody({ Value: "a+b/c=", KvList: '[{"K":"x y"}]' })).toBe("Value=a%2Bb%2Fc%3D&KvList=%5B%7B%22K%22%3A%22x%20y%22%7D%5D");
  });

  it("acsDate() renders yyyy-MM-ddTHH:mm:ssZ in UTC", () => {
    expect(acsDate(Date.UTC(2023, 9, 26, 10, 22, 32, 987))).toBe("2023-10-26T10:22:32Z");
  });

  it("acsDate() of instants in turn renders each one's own second (the reused text never goes stale)", () => {
    const second = Date.UTC(2023, 9, 26, 10, 22, 32);
    expect(acsDate(second + 999)).toBe("2023-10-26T10:22:32Z");
    expect(acsDate(second + 1000)).toBe("2023-10-26T10:22:33Z");
    expect(acsDate(second)).toBe("2023-10-26T10:22:32Z");
    expect(acsDate(-500)).toBe("1969-12-31T23:59:59Z");
  });
});

describe("signRpcRequest()", () => {
  const credentials = new EsaKvCredentials("AKID", "SECRET");
  const ctx = { origin: "http://127.0.0.1:8080", host: "127.0.0.1:8080", credentials, date: "2026-01-01T00:00:00Z", nonce: "n-1" };

  it("signs a PutKv: the Action and Version travel in headers, the body hash matches, the signature verifies", () => {
    const http = signRpcRequest(putKvRequest({ Namespace: "ns", Key: "k", Value: "v" }), ctx);
    expect(http.method).toBe("POST");
    expect(http.path).toBe("/?Key=k&Namespace=ns");
    expect(http.body).toBe("Value=v");
    expect(http.headers).toMatchObject({
      host: "127.0.0.1:8080",
      "x-acs-action": "PutKv",
      "x-acs-version": "2024-09-10",
      "x-acs-date": "2026-01-01T00:00:00Z",
      "x-acs-signature-nonce": "n-1",
      "x-acs-content-sha256": hashPayload("Value=v"),
      "content-type": "application/x-www-form-urlencoded",
    });
    const { authorization, ...unsigned } = http.headers;
    const expected = acs3Authorization({ method: "POST", pathname: "/", query: { Namespace: "ns", Key: "k" }, headers: unsigned, hashedPayload: hashPayload("Value=v") }, "AKID", "SECRET");
    expect(authorization).toBe(expected);
    expect(authorization).toContain("SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,");
  });

  it("signs a GET without a body or content-type and hashes the empty payload", () => {
    const http = signRpcRequest(getKvAccountRequest(), ctx);
    expect(http.path).toBe("/");
    expect(http.body).toBeUndefined();
    expect(http.headers["content-type"]).toBeUndefined();
    expect(http.headers["x-acs-content-sha256"]).toBe(hashPayload(""));
  });

  it("never puts the secret in the request", () => {
    const http = signRpcRequest(putKvRequest({ Namespace: "ns", Key: "k", Value: "v" }), ctx);
    expect(JSON.stringify(http)).not.toContain("SECRET");
  });
});

describe("ossPostObjectHttpRequest()", () => {
  it("builds a multipart form with the fields first and the file last", () => {
    const http = ossPostObjectHttpRequest(
      { origin: "http://127.0.0.1:9", host: "bucket.127.0.0.1:9", OSSAccessKeyId: "STS.x", policy: "cG9s", Signature: "c2ln", key: "esa-kv/abc", file: new TextEncoder().encode("{}") },
      "BOUNDARY",
      "Thu, 01 Jan 2026 00:00:00 GMT",
    );
    expect(http).toMatchObject({ origin: "http://127.0.0.1:9", path: "/", method: "POST" });
    expect(http.headers).toMatchObject({ host: "bucket.127.0.0.1:9", "content-type": "multipart/form-data; boundary=BOUNDARY" });
    const text = Buffer.from(http.body as Uint8Array).toString("utf8");
    const order = ["OSSAccessKeyId", "policy", "Signature", "key", "success_action_status", "file"].map((name) => text.indexOf(`name="${name}"`));
    expect(order.every((pos, i) => pos >= 0 && (i === 0 || pos > order[i - 1]!))).toBe(true);
    expect(text).toContain('name="success_action_status"\r\n\r\n201\r\n');
    expect(text.endsWith("\r\n\r\n{}\r\n--BOUNDARY--\r\n")).toBe(true);
  });
});

describe("EsaKvClient transport", () => {
  /** A server that leaves requests unanswered until the test answers them. */
  async function stallingServer() {
    const pending: ServerResponse[] = [];
    const server = createServer((_req, res) => void pending.push(res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new EsaKvClient({
      endpoint: url,
      openPlatformEndpoint: url,
      credentials: new EsaKvCredentials("AKID", "SECRET"),
      clock: { now: () => Date.now() },
      connections: 1,
      idleTimeoutMs: 5000,
    });
    const answer = (res: ServerResponse, value: string) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ RequestId: "r", Value: value }));
    };
    const received = async (count: number) => {
      while (pending.length < count) await new Promise((resolve) => setTimeout(resolve, 2));
    };
    const close = async () => {
      await client.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
    return { client, pending, answer, received, close };
  }

  async function rejection(p: Promise<unknown>): Promise<unknown> {
    return p.then(
      () => {
        throw new Error("expected a rejection");
      },
      (err: unknown) => err,
    );
  }

  it("getKv() aborted while the server stalls rejects Aborted and frees its only connection for the next call", async () => {
    const { client, pending, answer, received, close } = await stallingServer();
    try {
      const controller = new AbortController();
      const first = client.getKv({ Namespace: "ns", Key: "k1" }, { signal: controller.signal });
      await received(1);
      controller.abort();
      expect(await rejection(first)).toMatchObject({ code: "Aborted", operation: "GetKv", key: "k1" });
      const second = client.getKv({ Namespace: "ns", Key: "k2" });
      await received(2);
      answer(pending[1]!, "djI=");
      expect(await second).toEqual({ RequestId: "r", Value: "djI=" });
    } finally {
      await close();
    }
  });

  it("getKv() whose signal fires while it waits for a connection rejects Aborted and is never sent", async () => {
    const { client, pending, answer, received, close } = await stallingServer();
    try {
      const first = client.getKv({ Namespace: "ns", Key: "k1" });
      await received(1);
      const controller = new AbortController();
      const queued = client.getKv({ Namespace: "ns", Key: "k2" }, { signal: controller.signal });
      controller.abort();
      answer(pending[0]!, "djE=");
      expect(await first).toEqual({ RequestId: "r", Value: "djE=" });
      expect(await rejection(queued)).toMatchObject({ code: "Aborted", key: "k2" });
      expect(pending).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it("getKv() of a 2xx answer whose body is not JSON rejects with status 502 instead of resolving", async () => {
    const server = createServer((_req, res) => res.end("\uFEFF<html>proxy page</html>"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new EsaKvClient({ endpoint: url, openPlatformEndpoint: url, credentials: new EsaKvCredentials("a", "b"), clock: { now: () => Date.now() }, connections: 1, idleTimeoutMs: 5000 });
    try {
      expect(await rejection(client.getKv({ Namespace: "ns", Key: "k" }))).toMatchObject({ httpStatus: 502, operation: "GetKv" });
    } finally {
      await client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("getKv() decodes a JSON answer that starts with a byte order mark and arrives in several chunks", async () => {
    const body = Buffer.from(`\uFEFF${JSON.stringify({ RequestId: "r", Value: "é".repeat(40_000) })}`);
    const server = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      // Split inside a multi-byte character, so decoding per chunk would break it.
      res.write(body.subarray(0, 21));
      setTimeout(() => res.end(body.subarray(21)), 5);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new EsaKvClient({ endpoint: url, openPlatformEndpoint: url, credentials: new EsaKvCredentials("a", "b"), clock: { now: () => Date.now() }, connections: 1, idleTimeoutMs: 5000 });
    try {
      expect(await client.getKv({ Namespace: "ns", Key: "k" })).toEqual({ RequestId: "r", Value: "é".repeat(40_000) });
    } finally {
      await client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("getKv() of an answer longer than maxResponseBytes rejects Internal and stops reading it", async () => {
    const body = Buffer.from(JSON.stringify({ RequestId: "r", Value: "x".repeat(2000) }));
    const server = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const options = { endpoint: url, openPlatformEndpoint: url, credentials: new EsaKvCredentials("a", "b"), clock: { now: () => Date.now() }, connections: 1, idleTimeoutMs: 5000 };
    const capped = new EsaKvClient({ ...options, maxResponseBytes: body.byteLength - 1 });
    const fits = new EsaKvClient({ ...options, maxResponseBytes: body.byteLength });
    try {
      expect(await rejection(capped.getKv({ Namespace: "ns", Key: "k" }))).toMatchObject({ code: "Internal", message: `esa-kv: the answer exceeds ${body.byteLength - 1} bytes` });
      expect((await fits.getKv({ Namespace: "ns", Key: "k" })).Value).toHaveLength(2000);
    } finally {
      await capped.close();
      await fits.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("maxResponseBytesFor() leaves room for the value base64 encoded plus the envelope", () => {
    expect(maxResponseBytesFor(0)).toBe(64 * 1024);
    expect(maxResponseBytesFor(3)).toBe(4 + 64 * 1024);
    expect(maxResponseBytesFor(4)).toBe(8 + 64 * 1024);
  });
});
