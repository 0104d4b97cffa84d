import { ManualClock } from "@stowage/core";
import { afterEach, describe, expect, it } from "vitest";
import { startEsaKvEmulator, type EsaKvEmulatorOptions, type RunningEsaKvEmulator } from "./index.js";
import { esa, sdkClient, sdkError } from "./test-sdk-client.js";
import { sendSigned, signedRequest } from "./test-signed-fetch.js";

// Gateway behaviour: signatures, dates, nonces, routing and the error body shape.
describe("gateway", () => {
  let emulator: RunningEsaKvEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  async function start(options: EsaKvEmulatorOptions = {}) {
    emulator = await startEsaKvEmulator({ namespaces: ["gw"], ...options });
    return emulator;
  }

  it("an unsigned request answers 400 IncompleteSignature with the documented JSON body", async () => {
    const target = await start();
    const response = await fetch(`${target.endpoint}/?Namespace=gw&Key=k`, { headers: { "x-acs-action": "GetKv", "x-acs-version": "2024-09-10" } });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/json;charset=utf-8");
    const body = (await response.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(["Code", "HostId", "Message", "Recommend", "RequestId"]);
    expect(body.Code).toBe("IncompleteSignature");
    expect(body.Recommend).toContain(body.RequestId);
  });

  it("a signed request whose body was swapped after signing answers 400 SignatureDoesNotMatch", async () => {
    const target = await start();
    const { url, init } = signedRequest(target, {
      action: "PutKv",
      query: { Namespace: "gw", Key: "k" },
      form: { Value: "signed" },
    });
    // Keep the signed x-acs-content-sha256 but send other bytes.
    const response = await fetch(url, { ...init, body: new URLSearchParams({ Value: "forged" }).toString() });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { Code: string }).Code).toBe("SignatureDoesNotMatch");
  });

  it("a signed request whose query was changed after signing answers 400 SignatureDoesNotMatch", async () => {
    const target = await start();
    const { url, init } = signedRequest(target, { action: "GetKvAccount", method: "GET", query: { A: "1" } });
    const response = await fetch(url.replace("A=1", "A=2"), init);
    expect(((await response.json()) as { Code: string }).Code).toBe("SignatureDoesNotMatch");
  });

  it("replaying a signed request with the same nonce answers 400 SignatureNonceUsed", async () => {
    const target = await start();
    const raw = { action: "GetKvAccount", method: "GET" as const, nonce: "fixed-nonce-1" };
    expect((await sendSigned(target, raw)).status).toBe(200);
    const replay = await sendSigned(target, raw);
    expect(replay.status).toBe(400);
    expect(replay.body.Code).toBe("SignatureNonceUsed");
  });

  it("an SDK request 20 minutes off the emulator's clock rejects InvalidTimeStamp.Expired", async () => {
    const target = await start({ clock: new ManualClock(Date.now() + 20 * 60_000) });
    const error = await sdkError(sdkClient(target).getKvAccount());
    expect(error.code).toBe("InvalidTimeStamp.Expired");
    expect(error.statusCode).toBe(400);
  });

  it("a malformed x-acs-date answers 400 InvalidTimeStamp.Format", async () => {
    const target = await start();
    const response = await sendSigned(target, { action: "GetKvAccount", method: "GET", date: "yesterday" });
    expect(response.body.Code).toBe("InvalidTimeStamp.Format");
  });

  it("an unknown action answers 404 InvalidApi.NotFound", async () => {
    const target = await start();
    const response = await sendSigned(target, { action: "ListKvNamespaces", method: "GET" });
    expect(response.status).toBe(404);
    expect(response.body.Code).toBe("InvalidApi.NotFound");
  });

  it("a KV action at the wrong version answers 404 InvalidApi.NotFound", async () => {
    const target = await start();
    const response = await sendSigned(target, { action: "GetKvAccount", method: "GET", version: "2018-01-15" });
    expect(response.body.Code).toBe("InvalidApi.NotFound");
  });

  it("PutKv with Value in the query instead of the form body rejects InvalidParameter", async () => {
    const target = await start();
    const response = await sendSigned(target, { action: "PutKv", query: { Namespace: "gw", Key: "k", Value: "misplaced" } });
    expect(response.status).toBe(400);
    expect(response.body.Code).toBe("InvalidParameter");
  });

  it("CreateKvNamespace with Namespace in the query instead of the form body rejects InvalidNameSpace.Malformed", async () => {
    const target = await start();
    const response = await sendSigned(target, { action: "CreateKvNamespace", query: { Namespace: "elsewhere" } });
    expect(response.body.Code).toBe("InvalidNameSpace.Malformed");
  });

  it("getKv() through the SDK on a key with URL-special characters round-trips", async () => {
    const target = await start();
    const client = sdkClient(target);
    const key = "a+b=c&d%e?f#g*h~i!j'k(l)m";
    await client.putKv(new esa.PutKvRequest({ namespace: "gw", key, value: "special" }));
    const got = await client.getKv(new esa.GetKvRequest({ namespace: "gw", key }));
    expect(got.body?.value).toBe("special");
  });
});
