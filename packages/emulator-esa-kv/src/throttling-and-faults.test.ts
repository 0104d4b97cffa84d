import { ManualClock } from "@stowage/core";
import { afterEach, describe, expect, it } from "vitest";
import { startEsaKvEmulator, type EsaKvEmulatorOptions, type RunningEsaKvEmulator } from "./index.js";
import { esa, sdkClient, sdkError } from "./test-sdk-client.js";
import { sendSigned } from "./test-signed-fetch.js";

describe("rate limits and fault injection", () => {
  let emulator: RunningEsaKvEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  async function start(options: EsaKvEmulatorOptions) {
    emulator = await startEsaKvEmulator({ namespaces: ["rl"], ...options });
    return sdkClient(emulator);
  }

  it("putKv() past its per-second limit rejects 429 TooQuickRequests until the next second", async () => {
    const clock = new ManualClock(Date.now());
    const client = await start({ clock, rateLimits: { perAction: { PutKv: 2 }, retryAfterMs: 250 } });
    await client.putKv(new esa.PutKvRequest({ namespace: "rl", key: "a", value: "1" }));
    await client.putKv(new esa.PutKvRequest({ namespace: "rl", key: "b", value: "2" }));
    const error = await sdkError(client.putKv(new esa.PutKvRequest({ namespace: "rl", key: "c", value: "3" })));
    expect(error.code).toBe("TooQuickRequests");
    expect(error.statusCode).toBe(429);
    clock.advance(1000);
    const after = await client.putKv(new esa.PutKvRequest({ namespace: "rl", key: "c", value: "3" }));
    expect(after.body?.length).toBe("1");
  });

  it("a read past the global limit rejects 429 TooManyRequests", async () => {
    const clock = new ManualClock(Date.now());
    const client = await start({ clock, rateLimits: { global: 1 } });
    await client.getKvAccount();
    const error = await sdkError(client.getKvAccount());
    expect(error.code).toBe("TooManyRequests");
    expect(error.statusCode).toBe(429);
  });

  it("the 429 answer carries x-acs-retry-after in milliseconds", async () => {
    const clock = new ManualClock(Date.now());
    const client = await start({ clock, rateLimits: { perAction: { GetKvAccount: 0 }, retryAfterMs: 750 } });
    const error = await sdkError(client.getKvAccount());
    expect(error.code).toBe("TooManyRequests");
    // The SDK keeps no headers on its errors, so read the header from a raw signed request.
    const signed = await sendSigned(emulator as RunningEsaKvEmulator, { action: "GetKvAccount", method: "GET" });
    expect(signed.status).toBe(429);
    expect(signed.headers.get("x-acs-retry-after")).toBe("750");
  });

  it("errorRate 1 for GetKv fails getKv() with 503 ServiceUnavailable and leaves putKv() alone", async () => {
    const client = await start({ faults: { errorRate: { GetKv: 1 } } });
    await client.putKv(new esa.PutKvRequest({ namespace: "rl", key: "k", value: "v" }));
    const error = await sdkError(client.getKv(new esa.GetKvRequest({ namespace: "rl", key: "k" })));
    expect(error.code).toBe("ServiceUnavailable");
    expect(error.statusCode).toBe(503);
  });

  it("dropConnectionRate 1 closes the connection without a response", async () => {
    await start({ faults: { dropConnectionRate: 1 } });
    await expect(fetch(`${emulator?.endpoint}/`, { headers: { "x-acs-action": "GetKvAccount", "x-acs-version": "2024-09-10" } })).rejects.toThrow();
  });

  it("truncateBodyRate 1 cuts a successful body short so the client cannot read it whole", async () => {
    const client = await start({ faults: { truncateBodyRate: 1 } });
    await expect(client.getKvAccount()).rejects.toThrow();
  });

  it("a seeded random source makes errorRate 0.5 fail exactly the draws below 0.5", async () => {
    const draws = [0.9, 0.1, 0.7];
    const client = await start({ faults: { errorRate: { GetKvAccount: 0.5 }, random: () => draws.shift() ?? 1 } });
    await client.getKvAccount();
    expect((await sdkError(client.getKvAccount())).code).toBe("ServiceUnavailable");
    await client.getKvAccount();
  });

  it("errorRate 1 for OssPostObject answers the OSS POST with 503 and an XML Error", async () => {
    await start({ faults: { errorRate: { OssPostObject: 1 } } });
    const form = new FormData();
    form.append("key", "k");
    form.append("file", new Blob(["x"]), "k");
    const response = await fetch(`${emulator?.endpoint}/`, { method: "POST", body: form });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("<Code>ServiceUnavailable</Code>");
  });
});
