import { describe, expect, it } from "vitest";
import { redactCredentials } from "./redact-credentials.js";

describe("redactCredentials()", () => {
  it("masks presigned-URL signatures in a query string and keeps the other parameters", () => {
    expect(redactCredentials("GET /b/k?X-Amz-Date=20260101T000000Z&X-Amz-Signature=0a1b2c&x=1 failed")).toBe(
      "GET /b/k?X-Amz-Date=20260101T000000Z&X-Amz-Signature=[redacted]&x=1 failed",
    );
    expect(redactCredentials("?KSSAccessKeyId=AK&Expires=1&Signature=ab%2Bc%3D")).toBe("?KSSAccessKeyId=AK&Expires=1&Signature=[redacted]");
  });

  it("masks the signature of ACS3 and V2 Authorization headers and keeps the access key id", () => {
    expect(redactCredentials("authorization: ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host,Signature=deadbeef")).toBe(
      "authorization: ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host,Signature=[redacted]",
    );
    expect(redactCredentials("Authorization: KSS AKLTexample:c2lnbmF0dXJl=")).toBe("Authorization: KSS AKLTexample:[redacted]");
  });

  it("masks SSE-C keys and configured secrets but not an SSE-C key's MD5", () => {
    expect(redactCredentials("x-kss-server-side-encryption-customer-key: a2V5 and x-kss-server-side-encryption-customer-key-md5: bWQ1")).toBe(
      "x-kss-server-side-encryption-customer-key: [redacted] and x-kss-server-side-encryption-customer-key-md5: bWQ1",
    );
    expect(redactCredentials(`{"accessKeySecret":"s3cr3t","secretAccessKey": "other"}`)).toBe(
      `{"accessKeySecret":"[redacted]","secretAccessKey": "[redacted]"}`,
    );
  });

  it("leaves a reason without credentials unchanged", () => {
    const reason = `getObject("secret"): expected StorageError NotFound, got Internal (boom: 500)`;
    expect(redactCredentials(reason)).toBe(reason);
  });
});
