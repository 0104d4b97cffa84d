/**
 * Hostile and unusual requests (issue #9 §3, issue #13 §5): SigV4 presigned URLs past seven
 * days or dated in the future, V2 dates checked before signatures, and `Expect` values other
 * than `100-continue`.
 */
import { sigV4Sign } from "@stowage/adapter-s3-family";
import { ManualClock } from "@stowage/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningKs3Emulator } from "./options.js";
import { startKs3Emulator } from "./server.js";
import { putObject } from "./test-ks3-calls.js";
import { rawRequest } from "./test-raw-client.js";

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const PATH = "/hostile/object";

function amzDateOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** A presigned SigV4 GET of PATH dated `signedAt`, valid `expires` seconds. */
function presign(emulator: RunningKs3Emulator, signedAt: number, expires: number): Record<string, string> {
  const amzDate = amzDateOf(signedAt);
  const query = new URLSearchParams({
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Credential": `${emulator.accessKeyId}/${amzDate.slice(0, 8)}/${emulator.region}/s3/aws4_request`,
    "X-Amz-Date": amzDate,
    "X-Amz-Expires": String(expires),
    "X-Amz-SignedHeaders": "host",
  });
  const { signature } = sigV4Sign({
    method: "GET",
    path: PATH,
    query,
    headers: { host: new URL(emulator.endpoint).host },
    payloadHash: "UNSIGNED-PAYLOAD",
    region: emulator.region,
    service: "s3",
    amzDate,
    accessKeyId: emulator.accessKeyId,
    secret: emulator.secretAccessKey,
    signedHeaders: ["host"],
  });
  return { ...Object.fromEntries(query), "X-Amz-Signature": signature };
}

for (const profile of ["ks3", "s3"] as const) {
  describe(`${profile} profile`, () => {
    let emulator: RunningKs3Emulator;
    const clock = new ManualClock(NOW);

    beforeAll(async () => {
      emulator = await startKs3Emulator({ profile, clock, buckets: ["hostile"] });
      await putObject(emulator, "hostile", "object", "x", { date: new Date(NOW).toUTCString() });
    });
    afterAll(async () => {
      await emulator.close();
    });

    describe("SigV4 presigned URLs", () => {
      test("X-Amz-Expires of exactly 604800 (seven days) is accepted", async () => {
        const res = await rawRequest(emulator, { method: "GET", path: PATH, query: presign(emulator, NOW, 604_800), sign: false });
        expect(res.status).toBe(200);
      });

      test("X-Amz-Expires of 604801 rejects 403 AuthorizationQueryParametersError, although correctly signed", async () => {
        const res = await rawRequest(emulator, { method: "GET", path: PATH, query: presign(emulator, NOW, 604_801), sign: false });
        expect(res.status).toBe(403);
        expect(res.code).toBe("AuthorizationQueryParametersError");
        expect(res.text).toContain("604800");
      });

      test("a URL dated 20 minutes in the future rejects 403 AccessDenied (not valid yet); 10 minutes is within the skew", async () => {
        const future = await rawRequest(emulator, { method: "GET", path: PATH, query: presign(emulator, NOW + 20 * 60_000, 3600), sign: false });
        expect(future.status).toBe(403);
        expect(future.code).toBe("AccessDenied");
        expect(future.text).toContain("not valid yet");
        const near = await rawRequest(emulator, { method: "GET", path: PATH, query: presign(emulator, NOW + 10 * 60_000, 3600), sign: false });
        expect(near.status).toBe(200);
      });
    });

    describe("V2 signatures: the date is checked before the signature", () => {
      test("a malformed Date with a wrong signature rejects 403 AccessDenied, not SignatureDoesNotMatch", async () => {
        const res = await rawRequest(emulator, { method: "GET", path: PATH, headers: { date: "not a date" }, secret: "wrong" });
        expect(res.status).toBe(403);
        expect(res.code).toBe("AccessDenied");
      });

      test("a Date 30 minutes off with a wrong signature rejects 403 RequestTimeTooSkewed", async () => {
        const res = await rawRequest(emulator, { method: "GET", path: PATH, date: new Date(NOW - 30 * 60_000), secret: "wrong" });
        expect(res.status).toBe(403);
        expect(res.code).toBe("RequestTimeTooSkewed");
      });
    });

    describe("Expect", () => {
      for (const value of ["200", ""]) {
        test(`a signed GET with Expect: ${JSON.stringify(value)} is served as usual, not 417`, async () => {
          const res = await rawRequest(emulator, { method: "GET", path: PATH, date: new Date(NOW), headers: { expect: value } });
          expect(res.status).toBe(200);
          expect(res.text).toBe("x");
        });
      }
    });
  });
}
