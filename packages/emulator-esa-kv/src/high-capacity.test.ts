import { afterEach, describe, expect, it } from "vitest";
import { startEsaKvEmulator, type EsaKvEmulatorOptions, type RunningEsaKvEmulator, type UploadGrant } from "./index.js";
import { esa, openApi, openApiClient, sdkClient, sdkError } from "./test-sdk-client.js";

// The high-capacity flow (reference §2), step by step: AuthorizeFileUpload through the SDK's
// OpenAPI client, the OSS PostObject with fetch (the SDK hard-codes HTTPS for it), then the
// *WithHighCapacity call through the ESA SDK with the Url the SDK would build.
describe("high-capacity flow", () => {
  let emulator: RunningEsaKvEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  async function start(options: EsaKvEmulatorOptions = {}) {
    emulator = await startEsaKvEmulator({ namespaces: ["big"], ...options });
    return emulator;
  }

  async function authorize(target: RunningEsaKvEmulator): Promise<UploadGrant> {
    const params = new openApi.$OpenApiUtil.Params({
      action: "AuthorizeFileUpload",
      version: "2019-12-19",
      protocol: "HTTPS",
      pathname: "/",
      method: "GET",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    const request = new openApi.$OpenApiUtil.OpenApiRequest({ query: { Product: "ESA", RegionId: "cn-hangzhou" } });
    const response = (await openApiClient(target).callApi(params, request, {} as never)) as { body: UploadGrant };
    return response.body;
  }

  async function upload(target: RunningEsaKvEmulator, grant: UploadGrant, payload: string, signature = grant.Signature) {
    const form = new FormData();
    form.append("OSSAccessKeyId", grant.AccessKeyId);
    form.append("policy", grant.EncodedPolicy);
    form.append("Signature", signature);
    form.append("key", grant.ObjectKey);
    form.append("success_action_status", "201");
    form.append("file", new Blob([payload]), grant.ObjectKey);
    return fetch(`${target.ossEndpoint}/`, { method: "POST", body: form });
  }

  const urlOf = (grant: UploadGrant) => `http://${grant.Bucket}.${grant.Endpoint}/${grant.ObjectKey}`;

  it("authorizeFileUpload() returns a grant whose Endpoint is the emulator's host", async () => {
    const target = await start();
    const grant = await authorize(target);
    expect(grant.Endpoint).toBe(new URL(target.ossEndpoint).host);
    expect(grant.ObjectKey).toMatch(/^esa-kv\//);
    expect(grant.UseAccelerate).toBe(false);
  });

  it("putKvWithHighCapacity() stores a 2,500,000-byte value that getKv() returns", async () => {
    const target = await start();
    const value = "v".repeat(2_500_000);
    const grant = await authorize(target);
    const posted = await upload(target, grant, JSON.stringify({ Namespace: "big", Key: "large", Value: value }));
    expect(posted.status).toBe(201);
    expect(await posted.text()).toContain(`<Key>${grant.ObjectKey}</Key>`);
    const client = sdkClient(target);
    const put = await client.putKvWithHighCapacity(new esa.PutKvWithHighCapacityRequest({ namespace: "big", key: "large", url: urlOf(grant) }));
    expect(put.body?.length).toBe("2500000");
    const got = await client.getKv(new esa.GetKvRequest({ namespace: "big", key: "large" }));
    expect(got.body?.value?.length).toBe(2_500_000);
  });

  it("putKvWithHighCapacity() past the high-capacity limit rejects InvalidValue.ExceedsMaximum", async () => {
    const target = await start({ limits: { highCapacityValueMaxBytes: 100 } });
    const grant = await authorize(target);
    await upload(target, grant, JSON.stringify({ Namespace: "big", Key: "k", Value: "x".repeat(101) }));
    const error = await sdkError(
      sdkClient(target).putKvWithHighCapacity(new esa.PutKvWithHighCapacityRequest({ namespace: "big", key: "k", url: urlOf(grant) })),
    );
    expect(error.code).toBe("InvalidValue.ExceedsMaximum");
    expect(error.statusCode).toBe(400);
  });

  it("putKvWithHighCapacity() with a Url the emulator never issued rejects InvalidParameter", async () => {
    const target = await start();
    const error = await sdkError(
      sdkClient(target).putKvWithHighCapacity(
        new esa.PutKvWithHighCapacityRequest({ namespace: "big", key: "k", url: "http://example.invalid/some-object" }),
      ),
    );
    expect(error.code).toBe("InvalidParameter");
  });

  it("batchPutKvWithHighCapacity() and batchDeleteKvWithHighCapacity() apply their payloads", async () => {
    const target = await start();
    const client = sdkClient(target);
    const putGrant = await authorize(target);
    await upload(target, putGrant, JSON.stringify({ Namespace: "big", KvList: [{ Key: "h1", Value: "one" }, { Key: "h2", Value: "two" }] }));
    const put = await client.batchPutKvWithHighCapacity(new esa.BatchPutKvWithHighCapacityRequest({ namespace: "big", url: urlOf(putGrant) }));
    expect(put.body?.successKeys).toEqual(["h1", "h2"]);
    const deleteGrant = await authorize(target);
    await upload(target, deleteGrant, JSON.stringify({ Namespace: "big", Keys: ["h1"] }));
    const deleted = await client.batchDeleteKvWithHighCapacity(
      new esa.BatchDeleteKvWithHighCapacityRequest({ namespace: "big", url: urlOf(deleteGrant) }),
    );
    expect(deleted.body?.successKeys).toEqual(["h1"]);
    const listed = await client.listKvs(new esa.ListKvsRequest({ namespace: "big" }));
    expect(listed.body?.keys?.map((k) => k.name)).toEqual(["h2"]);
  });

  it("batchPutKvWithHighCapacity() with a payload in the wrong format returns empty SuccessKeys", async () => {
    const target = await start();
    const grant = await authorize(target);
    await upload(target, grant, "[1,2,3]");
    const put = await sdkClient(target).batchPutKvWithHighCapacity(
      new esa.BatchPutKvWithHighCapacityRequest({ namespace: "big", url: urlOf(grant) }),
    );
    expect(put.body?.successKeys).toEqual([]);
  });

  it("the OSS POST with a forged policy signature answers 403 SignatureDoesNotMatch in XML", async () => {
    const target = await start();
    const grant = await authorize(target);
    const posted = await upload(target, grant, "{}", "Zm9yZ2Vk");
    expect(posted.status).toBe(403);
    const text = await posted.text();
    expect(text).toContain("<Code>SignatureDoesNotMatch</Code>");
  });
});
