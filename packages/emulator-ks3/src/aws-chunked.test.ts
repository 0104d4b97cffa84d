/** SigV4 bodies: streaming `aws-chunked` with chunk signatures, and the payload hash check. */
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { sigV4ChunkSignature, sigV4Sign, STREAMING_PAYLOAD } from "@stowage/adapter-s3-family";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningKs3Emulator } from "./options.js";
import { startKs3Emulator } from "./server.js";
import { patternBytes } from "./test-s3-client.js";
import { rawRequest } from "./test-raw-client.js";

function amzDateOf(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

interface Signed {
  headers: Record<string, string>;
  signature: string;
  amzDate: string;
}

function signV4(emulator: RunningKs3Emulator, method: string, path: string, payloadHash: string, extra: Record<string, string>): Signed {
  const amzDate = amzDateOf(new Date());
  const headers: Record<string, string> = { host: new URL(emulator.endpoint).host, "x-amz-date": amzDate, "x-amz-content-sha256": payloadHash, ...extra };
  const signed = sigV4Sign({
    method,
    path,
    query: new URLSearchParams(),
    headers,
    payloadHash,
    region: emulator.region,
    service: "s3",
    amzDate,
    accessKeyId: emulator.accessKeyId,
    secret: emulator.secretAccessKey,
  });
  return { headers: { ...headers, authorization: signed.authorization }, signature: signed.signature, amzDate };
}

/** Frames `chunks` as a signed aws-chunked body; `tamper` flips a byte of chunk 1 after signing. */
function frame(emulator: RunningKs3Emulator, seed: Signed, chunks: Buffer[], tamper = false): Buffer {
  const out: Buffer[] = [];
  let previous = seed.signature;
  for (const chunk of [...chunks, Buffer.alloc(0)]) {
    const signature = sigV4ChunkSignature({
      amzDate: seed.amzDate,
      region: emulator.region,
      service: "s3",
      secret: emulator.secretAccessKey,
      previousSignature: previous,
      chunk,
    });
    previous = signature;
    const sent = tamper && chunk === chunks[1] ? Buffer.from(chunk.map((b, i) => (i === 0 ? b ^ 1 : b))) : chunk;
    out.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${signature}\r\n`), sent, Buffer.from("\r\n"));
  }
  return Buffer.concat(out);
}

describe("SigV4 payloads", () => {
  let emulator: RunningKs3Emulator;
  beforeAll(async () => {
    emulator = await startKs3Emulator({ buckets: ["chunked"] });
  });
  afterAll(async () => {
    await emulator.close();
  });

  const data = patternBytes(150_000, 5);
  const chunks = [data.subarray(0, 65_536), data.subarray(65_536, 131_072), data.subarray(131_072)];
  const chunkHeaders = { "content-encoding": "aws-chunked", "x-amz-decoded-content-length": String(data.length) };

  test("PutObject() with a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body stores the decoded bytes", async () => {
    const seed = signV4(emulator, "PUT", "/chunked/signed.bin", STREAMING_PAYLOAD, chunkHeaders);
    const put = await rawRequest(emulator, { method: "PUT", path: "/chunked/signed.bin", headers: seed.headers, body: frame(emulator, seed, chunks), sign: false });
    expect(put.status).toBe(200);
    expect(put.headers["etag"]).toBe(`"${createHash("md5").update(data).digest("hex")}"`);
    const get = await rawRequest(emulator, { method: "GET", path: "/chunked/signed.bin" });
    expect(get.body.equals(data)).toBe(true);
  });

  test("PutObject() with a chunk altered after signing rejects 403 SignatureDoesNotMatch and stores nothing", async () => {
    const seed = signV4(emulator, "PUT", "/chunked/tampered.bin", STREAMING_PAYLOAD, chunkHeaders);
    const put = await rawRequest(emulator, { method: "PUT", path: "/chunked/tampered.bin", headers: seed.headers, body: frame(emulator, seed, chunks, true), sign: false });
    expect(put.status).toBe(403);
    expect(put.code).toBe("SignatureDoesNotMatch");
    const get = await rawRequest(emulator, { method: "GET", path: "/chunked/tampered.bin" });
    expect(get.code).toBe("NoSuchKey");
  });

  test("PutObject() whose body does not match x-amz-content-sha256 rejects XAmzContentSHA256Mismatch", async () => {
    const claimed = createHash("sha256").update("something else").digest("hex");
    const signed = signV4(emulator, "PUT", "/chunked/hash.bin", claimed, {});
    const put = await rawRequest(emulator, { method: "PUT", path: "/chunked/hash.bin", headers: signed.headers, body: "actual body", sign: false });
    expect(put.status).toBe(400);
    expect(put.code).toBe("XAmzContentSHA256Mismatch");
  });

  test("PutObject() with UNSIGNED-PAYLOAD stores the body as sent", async () => {
    const signed = signV4(emulator, "PUT", "/chunked/unsigned.bin", "UNSIGNED-PAYLOAD", {});
    const put = await rawRequest(emulator, { method: "PUT", path: "/chunked/unsigned.bin", headers: signed.headers, body: "unsigned", sign: false });
    expect(put.status).toBe(200);
  });

  test("PutObject() with an unsigned-trailer body whose x-amz-checksum-crc32 trailer is wrong rejects 400 BadDigest and stores nothing", async () => {
    const body = Buffer.from("trailer-checked bytes");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    const headers = { "content-encoding": "aws-chunked", "x-amz-decoded-content-length": String(body.length), "x-amz-trailer": "x-amz-checksum-crc32" };
    const put = (key: string, checksum: string) => {
      const signed = signV4(emulator, "PUT", `/chunked/${key}`, "STREAMING-UNSIGNED-PAYLOAD-TRAILER", headers);
      const framed = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from(`\r\n0\r\nx-amz-checksum-crc32:${checksum}\r\n\r\n`)]);
      return rawRequest(emulator, { method: "PUT", path: `/chunked/${key}`, headers: signed.headers, body: framed, sign: false });
    };
    const wrong = await put("crc-wrong.bin", "AAAAAA==");
    expect(wrong.status).toBe(400);
    expect(wrong.code).toBe("BadDigest");
    expect((await rawRequest(emulator, { method: "GET", path: "/chunked/crc-wrong.bin" })).code).toBe("NoSuchKey");
    const right = await put("crc-right.bin", crc.toString("base64"));
    expect(right.status).toBe(200);
    expect((await rawRequest(emulator, { method: "GET", path: "/chunked/crc-right.bin" })).body.equals(body)).toBe(true);
  });

  test("a SigV4 request using KS3's KSS4-HMAC-SHA256 token is verified like AWS4-HMAC-SHA256", async () => {
    const signed = signV4(emulator, "GET", "/chunked/unsigned.bin", "UNSIGNED-PAYLOAD", {});
    const authorization = sigV4Sign({
      method: "GET",
      path: "/chunked/unsigned.bin",
      query: new URLSearchParams(),
      headers: { host: signed.headers["host"]!, "x-amz-date": signed.amzDate, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      payloadHash: "UNSIGNED-PAYLOAD",
      region: "BEIJING",
      service: "s3",
      amzDate: signed.amzDate,
      accessKeyId: emulator.accessKeyId,
      secret: emulator.secretAccessKey,
      algorithm: "KSS4-HMAC-SHA256",
    }).authorization;
    const get = await rawRequest(emulator, { method: "GET", path: "/chunked/unsigned.bin", headers: { ...signed.headers, authorization }, sign: false });
    expect(get.status).toBe(200);
    expect(get.text).toBe("unsigned");
  });
});
