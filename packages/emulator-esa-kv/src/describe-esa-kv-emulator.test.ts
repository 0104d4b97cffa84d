import { describe, expect, it } from "vitest";
import { describeEsaKvEmulator } from "./describe-esa-kv-emulator.js";
import { startEsaKvEmulator } from "./server.js";
import { esa, sdkClient } from "./test-sdk-client.js";

describe("describeEsaKvEmulator()", () => {
  it("describeEsaKvEmulator() with a user secret prints the endpoint and key id but never the secret", async () => {
    const options = { port: 0, accessKeyId: "cli-ak", accessKeySecret: "cli-secret-value", namespaces: ["cli"] };
    const emulator = await startEsaKvEmulator(options);
    try {
      const output = describeEsaKvEmulator(emulator, options).join("\n");
      expect(output).toContain(emulator.endpoint);
      expect(output).toContain("cli-ak");
      expect(output).not.toContain("cli-secret-value");
      const put = await sdkClient(emulator).putKv(new esa.PutKvRequest({ namespace: "cli", key: "k", value: "v" }));
      expect(put.body?.length).toBe("1");
    } finally {
      await emulator.close();
    }
  });

  it("describeEsaKvEmulator() without a user secret prints the built-in test secret the emulator uses", async () => {
    const emulator = await startEsaKvEmulator({ port: 0 });
    try {
      expect(emulator.accessKeySecret).toBe("stowage-test-sk");
      expect(describeEsaKvEmulator(emulator, {}).join("\n")).toContain("access key secret:      stowage-test-sk");
      expect((await sdkClient(emulator).describeKvAccountStatus()).body?.status).toBe("online");
    } finally {
      await emulator.close();
    }
  });

  it("describeEsaKvEmulator() lists the namespaces, or says how to create one; a missing namespace is named in the error", async () => {
    const empty = await startEsaKvEmulator({ port: 0 });
    const some = await startEsaKvEmulator({ port: 0, namespaces: ["stowage", "cache"] });
    try {
      expect(describeEsaKvEmulator(empty, {}).join("\n")).toContain("namespaces:             (none: create one with --namespace NAME)");
      expect(describeEsaKvEmulator(some, {}).join("\n")).toContain("namespaces:             cache, stowage");
      const error = await sdkClient(empty)
        .getKv(new esa.GetKvRequest({ namespace: "sessions", key: "k" }))
        .then(() => undefined, (err: unknown) => err as { message: string });
      expect(error?.message).toContain("sessions");
    } finally {
      await empty.close();
      await some.close();
    }
  });
});
