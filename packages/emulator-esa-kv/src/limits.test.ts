import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "@stowage/core";
import { startEsaKvEmulator, type EsaKvEmulatorOptions, type RunningEsaKvEmulator } from "./index.js";
import { esa, sdkClient, sdkError } from "./test-sdk-client.js";

// Documented limits, hit cheaply through configurable values, driven by the official SDK.
describe("emulator limits", () => {
  let emulator: RunningEsaKvEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  async function start(options: EsaKvEmulatorOptions) {
    emulator = await startEsaKvEmulator(options);
    return sdkClient(emulator);
  }

  it("putKv() past the namespace capacity rejects InvalidKey.ExceedsCapacity (403)", async () => {
    const client = await start({ namespaces: ["cap"], limits: { namespaceCapacityBytes: 20 } });
    await client.putKv(new esa.PutKvRequest({ namespace: "cap", key: "a", value: "x".repeat(10) }));
    const error = await sdkError(client.putKv(new esa.PutKvRequest({ namespace: "cap", key: "b", value: "x".repeat(10) })));
    expect(error.code).toBe("InvalidKey.ExceedsCapacity");
    expect(error.statusCode).toBe(403);
    // A configured capacity is named as set, not as the documented 1 GB.
    expect(String(error.data["Message"])).toContain("20 bytes");
  });

  it("putKv() overwriting a key counts only the difference against the capacity", async () => {
    const client = await start({ namespaces: ["cap"], limits: { namespaceCapacityBytes: 20 } });
    await client.putKv(new esa.PutKvRequest({ namespace: "cap", key: "a", value: "x".repeat(19) }));
    const put = await client.putKv(new esa.PutKvRequest({ namespace: "cap", key: "a", value: "y".repeat(19) }));
    expect(put.body?.length).toBe("19");
  });

  it("createKvNamespace() past the quota rejects InvalidNameSpace.QuotaFull (406)", async () => {
    const client = await start({ namespaces: ["one", "two"], limits: { namespaceQuota: 2 } });
    const error = await sdkError(client.createKvNamespace(new esa.CreateKvNamespaceRequest({ namespace: "three" })));
    expect(error.code).toBe("InvalidNameSpace.QuotaFull");
    expect(error.statusCode).toBe(406);
  });

  it("createKvNamespace() with a name holding a space rejects InvalidNameSpace.Malformed (400)", async () => {
    const client = await start({});
    const error = await sdkError(client.createKvNamespace(new esa.CreateKvNamespaceRequest({ namespace: "bad name" })));
    expect(error.code).toBe("InvalidNameSpace.Malformed");
    expect(error.statusCode).toBe(400);
  });

  it("listKvs() with PageSize 101 rejects InvalidParameter and PageSize 100 succeeds", async () => {
    const client = await start({ namespaces: ["ls"] });
    const error = await sdkError(client.listKvs(new esa.ListKvsRequest({ namespace: "ls", pageSize: 101 })));
    expect(error.code).toBe("InvalidParameter");
    expect(error.statusCode).toBe(400);
    const ok = await client.listKvs(new esa.ListKvsRequest({ namespace: "ls", pageSize: 100 }));
    expect(ok.body?.pageSize).toBe(100);
  });

  it("listKvs() with PageNumber × PageSize over 50,000 rejects InvalidParameter and exactly 50,000 succeeds", async () => {
    const client = await start({ namespaces: ["ls"] });
    const error = await sdkError(client.listKvs(new esa.ListKvsRequest({ namespace: "ls", pageSize: 100, pageNumber: 501 })));
    expect(error.code).toBe("InvalidParameter");
    const ok = await client.listKvs(new esa.ListKvsRequest({ namespace: "ls", pageSize: 100, pageNumber: 500 }));
    expect(ok.body?.keys).toEqual([]);
  });

  it("listKvs() without PageSize uses the documented default of 50", async () => {
    const client = await start({ namespaces: ["ls"] });
    const ok = await client.listKvs(new esa.ListKvsRequest({ namespace: "ls" }));
    expect(ok.body?.pageSize).toBe(50);
    expect(ok.body?.pageNumber).toBe(1);
  });

  it("batchDeleteKv() with more keys than the limit rejects InvalidKey.TooManyKeys (400)", async () => {
    const client = await start({ namespaces: ["bd"], limits: { batchDeleteMaxKeys: 3 } });
    const error = await sdkError(client.batchDeleteKv(new esa.BatchDeleteKvRequest({ namespace: "bd", keys: ["a", "b", "c", "d"] })));
    expect(error.code).toBe("InvalidKey.TooManyKeys");
    expect(error.statusCode).toBe(400);
    const ok = await client.batchDeleteKv(new esa.BatchDeleteKvRequest({ namespace: "bd", keys: ["a", "b", "c"] }));
    expect(ok.body?.successKeys).toEqual(["a", "b", "c"]);
  });

  it("batchPutKv() whose values total more than the value limit rejects InvalidValue.ExceedsMaximum", async () => {
    const client = await start({ namespaces: ["bp"], limits: { valueMaxBytes: 10 } });
    const error = await sdkError(
      client.batchPutKv(
        new esa.BatchPutKvRequest({
          namespace: "bp",
          kvList: [
            new esa.BatchPutKvRequestKvList({ key: "a", value: "123456" }),
            new esa.BatchPutKvRequestKvList({ key: "b", value: "123456" }),
          ],
        }),
      ),
    );
    expect(error.code).toBe("InvalidValue.ExceedsMaximum");
    expect(error.statusCode).toBe(400);
  });

  it("putKv() with a key containing '/' rejects InvalidKey.Malformed; keyCharset strict also refuses '.'", async () => {
    const client = await start({ namespaces: ["keys"] });
    const slash = await sdkError(client.putKv(new esa.PutKvRequest({ namespace: "keys", key: "a/b", value: "v" })));
    expect(slash.code).toBe("InvalidKey.Malformed");
    await client.putKv(new esa.PutKvRequest({ namespace: "keys", key: "a.b", value: "v" }));
    await emulator?.close();
    const strict = await start({ namespaces: ["keys"], limits: { keyCharset: "strict" } });
    const dot = await sdkError(strict.putKv(new esa.PutKvRequest({ namespace: "keys", key: "a.b", value: "v" })));
    expect(dot.code).toBe("InvalidKey.Malformed");
  });

  it("putKv() with Expiration in the past rejects InvalidParameter", async () => {
    const client = await start({ namespaces: ["ttl"] });
    const past = Math.floor(Date.now() / 1000) - 60;
    const error = await sdkError(client.putKv(new esa.PutKvRequest({ namespace: "ttl", key: "k", value: "v", expiration: past })));
    expect(error.code).toBe("InvalidParameter");
  });

  it("putKv() with both Expiration and ExpirationTtl lets ExpirationTtl win", async () => {
    const client = await start({ namespaces: ["ttl"] });
    const farFuture = Math.floor(Date.now() / 1000) + 86_400;
    await client.putKv(new esa.PutKvRequest({ namespace: "ttl", key: "k", value: "v", expiration: farFuture, expirationTtl: 120 }));
    const detail = await client.getKvDetail(new esa.GetKvDetailRequest({ namespace: "ttl", key: "k" }));
    expect(Number(detail.body?.expirationTtl)).toBeLessThanOrEqual(120);
  });

  it("a key written with ExpirationTtl disappears from getKv() and listKvs() once the clock passes it", async () => {
    // The SDK stamps real time, so the manual clock starts at now and only moves forward.
    const clock = new ManualClock(Date.now());
    emulator = await startEsaKvEmulator({ namespaces: ["ttl"], clock });
    const client = sdkClient(emulator);
    await client.putKv(new esa.PutKvRequest({ namespace: "ttl", key: "short", value: "v", expirationTtl: 30 }));
    await client.putKv(new esa.PutKvRequest({ namespace: "ttl", key: "long", value: "v", expirationTtl: 600 }));
    clock.advance(31_000);
    const error = await sdkError(client.getKv(new esa.GetKvRequest({ namespace: "ttl", key: "short" })));
    expect(error.code).toBe("InvalidKey.NotFound");
    const listed = await client.listKvs(new esa.ListKvsRequest({ namespace: "ttl" }));
    expect(listed.body?.keys?.map((k) => k.name)).toEqual(["long"]);
  });

  it("putKv() with Base64=true and a malformed Base64 value rejects InvalidParameter", async () => {
    const client = await start({ namespaces: ["b64"] });
    const error = await sdkError(client.putKv(new esa.PutKvRequest({ namespace: "b64", key: "k", value: "not base64!", base64: true })));
    expect(error.code).toBe("InvalidParameter");
  });

  it("putKv() past the account capacity rejects InvalidKey.ExceedsCapacity even when the namespace has room", async () => {
    const client = await start({ namespaces: ["n1", "n2"], limits: { accountCapacityBytes: 30, namespaceCapacityBytes: 25 } });
    await client.putKv(new esa.PutKvRequest({ namespace: "n1", key: "a", value: "x".repeat(19) }));
    const error = await sdkError(client.putKv(new esa.PutKvRequest({ namespace: "n2", key: "b", value: "x".repeat(19) })));
    expect(error.code).toBe("InvalidKey.ExceedsCapacity");
    expect(error.statusCode).toBe(403);
  });
});
