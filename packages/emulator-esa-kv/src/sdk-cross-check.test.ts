import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEsaKvEmulator, type RunningEsaKvEmulator } from "./index.js";
import { esa, sdkClient, sdkError } from "./test-sdk-client.js";

// The official SDK, unmodified, against the emulator: every response must parse into the SDK's
// models and every error must surface the documented code and status.
describe("official SDK @alicloud/esa20240910 against the emulator", () => {
  let emulator: RunningEsaKvEmulator;
  let client: ReturnType<typeof sdkClient>;

  beforeAll(async () => {
    emulator = await startEsaKvEmulator({ namespaces: ["cross"] });
    client = sdkClient(emulator);
  });
  afterAll(() => emulator.close());

  it("putKv() answers Length as a string and getKv() returns the value", async () => {
    const put = await client.putKv(new esa.PutKvRequest({ namespace: "cross", key: "greeting", value: "hello" }));
    expect(put.statusCode).toBe(200);
    expect(put.body?.length).toBe("5");
    expect(put.body?.value).toBe("hello");
    expect(put.body?.requestId).toMatch(/^[0-9A-F-]{36}$/);
    const got = await client.getKv(new esa.GetKvRequest({ namespace: "cross", key: "greeting" }));
    expect(got.body?.value).toBe("hello");
  });

  it("putKv() with Base64=true stores bytes that getKv() with Base64=true returns exactly", async () => {
    const bytes = Buffer.from([0, 255, 1, 254, 128, 10, 13]);
    await client.putKv(new esa.PutKvRequest({ namespace: "cross", key: "binary", value: bytes.toString("base64"), base64: true }));
    const got = await client.getKv(new esa.GetKvRequest({ namespace: "cross", key: "binary", base64: true }));
    expect(Buffer.from(got.body?.value ?? "", "base64")).toEqual(bytes);
  });

  it("putKv() of a UTF-8 value with spaces, '+' and '&' round-trips through the form body", async () => {
    const value = "a b+c&d=e ✓ 漢字";
    await client.putKv(new esa.PutKvRequest({ namespace: "cross", key: "tricky", value }));
    const got = await client.getKv(new esa.GetKvRequest({ namespace: "cross", key: "tricky" }));
    expect(got.body?.value).toBe(value);
  });

  it("getKvDetail() returns the value and the remaining ExpirationTtl", async () => {
    await client.putKv(new esa.PutKvRequest({ namespace: "cross", key: "ttl", value: "v", expirationTtl: 3600 }));
    const detail = await client.getKvDetail(new esa.GetKvDetailRequest({ namespace: "cross", key: "ttl" }));
    expect(detail.body?.value).toBe("v");
    expect(Number(detail.body?.expirationTtl)).toBeGreaterThan(3590);
    expect(Number(detail.body?.expirationTtl)).toBeLessThanOrEqual(3600);
  });

  it("listKvs() pages keys by prefix with Name and UpdateTime", async () => {
    for (const key of ["list-c", "list-a", "list-b"]) {
      await client.putKv(new esa.PutKvRequest({ namespace: "cross", key, value: key }));
    }
    const first = await client.listKvs(new esa.ListKvsRequest({ namespace: "cross", prefix: "list-", pageSize: 2, pageNumber: 1 }));
    expect(first.body?.totalCount).toBe(3);
    expect(first.body?.pageSize).toBe(2);
    expect(first.body?.pageNumber).toBe(1);
    expect(first.body?.keys?.map((k) => k.name)).toEqual(["list-a", "list-b"]);
    expect(first.body?.keys?.[0]?.updateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const second = await client.listKvs(new esa.ListKvsRequest({ namespace: "cross", prefix: "list-", pageSize: 2, pageNumber: 2 }));
    expect(second.body?.keys?.map((k) => k.name)).toEqual(["list-c"]);
  });

  it("batchPutKv() writes every item and reports a bad key in FailKeys", async () => {
    const result = await client.batchPutKv(
      new esa.BatchPutKvRequest({
        namespace: "cross",
        kvList: [
          new esa.BatchPutKvRequestKvList({ key: "b1", value: "one" }),
          new esa.BatchPutKvRequestKvList({ key: "b2", value: "two", expirationTtl: 60 }),
          new esa.BatchPutKvRequestKvList({ key: "bad key", value: "x" }),
        ],
      }),
    );
    expect(result.body?.successKeys).toEqual(["b1", "b2"]);
    expect(result.body?.failKeys).toEqual(["bad key"]);
    const got = await client.getKv(new esa.GetKvRequest({ namespace: "cross", key: "b2" }));
    expect(got.body?.value).toBe("two");
  });

  it("batchDeleteKv() deletes the keys and reports them in SuccessKeys", async () => {
    const result = await client.batchDeleteKv(new esa.BatchDeleteKvRequest({ namespace: "cross", keys: ["b1", "b2"] }));
    expect(result.body?.successKeys).toEqual(["b1", "b2"]);
    expect(result.body?.failKeys).toEqual([]);
    const error = await sdkError(client.getKv(new esa.GetKvRequest({ namespace: "cross", key: "b1" })));
    expect(error.code).toBe("InvalidKey.NotFound");
  });

  it("deleteKv() removes the key and a second deleteKv() rejects InvalidKey.NotFound (404)", async () => {
    await client.putKv(new esa.PutKvRequest({ namespace: "cross", key: "gone", value: "x" }));
    const deleted = await client.deleteKv(new esa.DeleteKvRequest({ namespace: "cross", key: "gone" }));
    expect(deleted.statusCode).toBe(200);
    const error = await sdkError(client.deleteKv(new esa.DeleteKvRequest({ namespace: "cross", key: "gone" })));
    expect(error.code).toBe("InvalidKey.NotFound");
    expect(error.statusCode).toBe(404);
  });

  it("createKvNamespace(), getKvNamespace() and deleteKvNamespace() manage a namespace", async () => {
    const created = await client.createKvNamespace(new esa.CreateKvNamespaceRequest({ namespace: "made", description: "for tests" }));
    expect(created.body?.namespace).toBe("made");
    expect(created.body?.namespaceId).toMatch(/^\d+$/);
    expect(created.body?.status).toBe("online");
    await client.putKv(new esa.PutKvRequest({ namespace: "made", key: "k", value: "vvvv" }));
    const info = await client.getKvNamespace(new esa.GetKvNamespaceRequest({ namespace: "made" }));
    expect(info.body?.description).toBe("for tests");
    expect(info.body?.capacity).toBe(1024 ** 3);
    expect(info.body?.capacityString).toBe("1 GB");
    expect(info.body?.capacityUsed).toBe(5);
    await client.deleteKvNamespace(new esa.DeleteKvNamespaceRequest({ namespace: "made" }));
    const error = await sdkError(client.getKvNamespace(new esa.GetKvNamespaceRequest({ namespace: "made" })));
    expect(error.code).toBe("InvalidNameSpace.NotFound");
  });

  it("createKvNamespace() of an existing name rejects InvalidNameSpace.Duplicate (406)", async () => {
    const error = await sdkError(client.createKvNamespace(new esa.CreateKvNamespaceRequest({ namespace: "CROSS" })));
    expect(error.code).toBe("InvalidNameSpace.Duplicate");
    expect(error.statusCode).toBe(406);
  });

  it("getKvAccount() lists the namespaces with quota and capacity", async () => {
    const account = await client.getKvAccount();
    expect(account.body?.status).toBe("online");
    expect(account.body?.namespaceQuota).toBe(10);
    expect(account.body?.namespaceUsed).toBe(1);
    expect(account.body?.namespaceList?.map((ns) => ns.namespace)).toEqual(["cross"]);
    expect(account.body?.capacityUsed).toBeGreaterThan(0);
  });

  it("describeKvAccountStatus() answers online", async () => {
    const status = await client.describeKvAccountStatus();
    expect(status.body?.status).toBe("online");
  });

  it("putKv() with a 513-byte key rejects InvalidKey.ExceedsMaximum (400) with the documented body", async () => {
    const error = await sdkError(client.putKv(new esa.PutKvRequest({ namespace: "cross", key: "k".repeat(513), value: "v" })));
    expect(error.code).toBe("InvalidKey.ExceedsMaximum");
    expect(error.statusCode).toBe(400);
    expect(Object.keys(error.data).sort()).toEqual(["Code", "HostId", "Message", "Recommend", "RequestId"]);
  });

  it("putKv() counts key bytes, not characters: 171 three-byte characters (513 bytes) reject InvalidKey.ExceedsMaximum", async () => {
    const error = await sdkError(client.putKv(new esa.PutKvRequest({ namespace: "cross", key: "漢".repeat(171), value: "v" })));
    expect(error.code).toBe("InvalidKey.ExceedsMaximum");
    const put = await client.putKv(new esa.PutKvRequest({ namespace: "cross", key: "漢".repeat(170), value: "v" }));
    expect(put.body?.length).toBe("1");
  });

  it("getKv() with Base64=true of a value written as text returns the text's bytes in Base64", async () => {
    await client.putKv(new esa.PutKvRequest({ namespace: "cross", key: "as-text", value: "héllo" }));
    const got = await client.getKv(new esa.GetKvRequest({ namespace: "cross", key: "as-text", base64: true }));
    expect(got.body?.value).toBe(Buffer.from("héllo").toString("base64"));
  });

  it("putKv() with a 512-byte key succeeds", async () => {
    const put = await client.putKv(new esa.PutKvRequest({ namespace: "cross", key: "k".repeat(512), value: "v" }));
    expect(put.body?.length).toBe("1");
  });

  it("putKv() with a 2,000,001-byte value rejects InvalidValue.ExceedsMaximum (400)", async () => {
    const error = await sdkError(client.putKv(new esa.PutKvRequest({ namespace: "cross", key: "big", value: "x".repeat(2_000_001) })));
    expect(error.code).toBe("InvalidValue.ExceedsMaximum");
    expect(error.statusCode).toBe(400);
  });

  it("putKv() with a 2,000,000-byte value succeeds", async () => {
    const put = await client.putKv(new esa.PutKvRequest({ namespace: "cross", key: "big", value: "x".repeat(2_000_000) }));
    expect(put.body?.length).toBe("2000000");
    expect(put.body?.value).toBe(`${"x".repeat(100)}...${"x".repeat(100)}`);
  });

  it("getKv() of a missing key rejects InvalidKey.NotFound (404)", async () => {
    const error = await sdkError(client.getKv(new esa.GetKvRequest({ namespace: "cross", key: "never-written" })));
    expect(error.code).toBe("InvalidKey.NotFound");
    expect(error.statusCode).toBe(404);
  });

  it("getKv() in a missing namespace rejects InvalidNameSpace.NotFound (404)", async () => {
    const error = await sdkError(client.getKv(new esa.GetKvRequest({ namespace: "nowhere", key: "k" })));
    expect(error.code).toBe("InvalidNameSpace.NotFound");
    expect(error.statusCode).toBe(404);
  });

  it("a client with the wrong secret rejects SignatureDoesNotMatch (400)", async () => {
    const wrong = sdkClient(emulator, { accessKeySecret: "not-the-secret" });
    const error = await sdkError(wrong.getKv(new esa.GetKvRequest({ namespace: "cross", key: "greeting" })));
    expect(error.code).toBe("SignatureDoesNotMatch");
    expect(error.statusCode).toBe(400);
    expect(JSON.stringify(error.data)).not.toContain("not-the-secret");
  });

  it("a client with an unknown access key id rejects InvalidAccessKeyId.NotFound (404)", async () => {
    const stranger = sdkClient(emulator, { accessKeyId: "nobody" });
    const error = await sdkError(stranger.getKvAccount());
    expect(error.code).toBe("InvalidAccessKeyId.NotFound");
    expect(error.statusCode).toBe(404);
  });

  it("the SDK in V2 mode (signatureAlgorithm v2) signs requests the emulator accepts", async () => {
    const v2 = sdkClient(emulator, { signatureAlgorithm: "v2" });
    await v2.putKv(new esa.PutKvRequest({ namespace: "cross", key: "v2-key", value: "v2 value & more" }));
    const got = await v2.getKv(new esa.GetKvRequest({ namespace: "cross", key: "v2-key" }));
    expect(got.body?.value).toBe("v2 value & more");
    const batch = await v2.batchPutKv(
      new esa.BatchPutKvRequest({ namespace: "cross", kvList: [new esa.BatchPutKvRequestKvList({ key: "v2-b", value: "b" })] }),
    );
    expect(batch.body?.successKeys).toEqual(["v2-b"]);
  });

  it("the SDK in V2 mode with the wrong secret rejects SignatureDoesNotMatch", async () => {
    const v2 = sdkClient(emulator, { signatureAlgorithm: "v2", accessKeySecret: "wrong" });
    const error = await sdkError(v2.getKv(new esa.GetKvRequest({ namespace: "cross", key: "v2-key" })));
    expect(error.code).toBe("SignatureDoesNotMatch");
  });
});
