import { describe, expect, it } from "vitest";
import { awsChunkedBody, awsChunkedLength } from "./aws-chunked.js";
import { sigV4SigningKey } from "./sigv4-signer.js";

// AWS S3 docs, sigv4-streaming.html: 66560 bytes of 'a' in 64 KiB chunks, Content-Length 66824.
const SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

describe("aws-chunked", () => {
  it("awsChunkedLength() of the AWS example (66560 bytes, 64 KiB chunks) is its Content-Length 66824", () => {
    expect(awsChunkedLength(66560)).toBe(66824);
    expect(awsChunkedLength(0)).toBe(86);
  });

  it("awsChunkedBody() of the AWS example frames 65536 + 1024 + 0 bytes with the published chunk signatures", async () => {
    async function* source() {
      // Uneven pieces: the encoder must re-chunk them into 64 KiB.
      yield new Uint8Array(1000).fill(0x61);
      yield new Uint8Array(65560).fill(0x61);
    }
    const signing = { amzDate: "20130524T000000Z", region: "us-east-1", service: "s3", signingKey: sigV4SigningKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3"), seedSignature: SEED };
    const out: Uint8Array[] = [];
    for await (const piece of awsChunkedBody(source(), signing)) out.push(piece);
    const body = Buffer.concat(out);
    expect(body.byteLength).toBe(66824);
    const text = body.toString("latin1");
    expect(text.startsWith("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n")).toBe(true);
    expect(text).toContain("\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n");
    expect(text.endsWith("\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n")).toBe(true);
  });
});
