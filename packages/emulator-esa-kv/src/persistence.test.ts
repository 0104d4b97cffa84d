import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startEsaKvEmulator } from "./index.js";
import { esa, sdkClient, sdkError } from "./test-sdk-client.js";

describe("persistence with dataDir", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("values, binary values, TTLs and namespaces written before close() are there after a restart", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "esa-kv-emulator-"));
    dirs.push(dataDir);
    const first = await startEsaKvEmulator({ dataDir, namespaces: ["keep"] });
    const client = sdkClient(first);
    await client.createKvNamespace(new esa.CreateKvNamespaceRequest({ namespace: "second", description: "d" }));
    await client.putKv(new esa.PutKvRequest({ namespace: "keep", key: "text", value: "persisted" }));
    await client.putKv(new esa.PutKvRequest({ namespace: "keep", key: "bin", value: Buffer.from([0, 1, 255]).toString("base64"), base64: true }));
    await client.putKv(new esa.PutKvRequest({ namespace: "keep", key: "ttl", value: "t", expirationTtl: 3600 }));
    await client.putKv(new esa.PutKvRequest({ namespace: "keep", key: "deleted", value: "x" }));
    await client.deleteKv(new esa.DeleteKvRequest({ namespace: "keep", key: "deleted" }));
    await first.close();

    const second = await startEsaKvEmulator({ dataDir, namespaces: ["keep"] });
    try {
      const again = sdkClient(second);
      expect((await again.getKv(new esa.GetKvRequest({ namespace: "keep", key: "text" }))).body?.value).toBe("persisted");
      const bin = await again.getKv(new esa.GetKvRequest({ namespace: "keep", key: "bin", base64: true }));
      expect(Buffer.from(bin.body?.value ?? "", "base64")).toEqual(Buffer.from([0, 1, 255]));
      const detail = await again.getKvDetail(new esa.GetKvDetailRequest({ namespace: "keep", key: "ttl" }));
      expect(Number(detail.body?.expirationTtl)).toBeGreaterThan(3500);
      expect((await sdkError(again.getKv(new esa.GetKvRequest({ namespace: "keep", key: "deleted" })))).code).toBe("InvalidKey.NotFound");
      const account = await again.getKvAccount();
      expect(account.body?.namespaceList?.map((ns) => ns.namespace)).toEqual(["keep", "second"]);
    } finally {
      await second.close();
    }
  });

  it("without dataDir a restarted emulator starts empty", async () => {
    const first = await startEsaKvEmulator({ namespaces: ["mem"] });
    await sdkClient(first).putKv(new esa.PutKvRequest({ namespace: "mem", key: "k", value: "v" }));
    await first.close();
    const second = await startEsaKvEmulator({ namespaces: ["mem"] });
    try {
      const error = await sdkError(sdkClient(second).getKv(new esa.GetKvRequest({ namespace: "mem", key: "k" })));
      expect(error.code).toBe("InvalidKey.NotFound");
    } finally {
      await second.close();
    }
  });
});
