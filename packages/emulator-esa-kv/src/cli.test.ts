import { describe, expect, it } from "vitest";
import { parseEsaKvEmulatorArgs, runEsaKvEmulatorCli } from "./cli.js";
import { esa, sdkClient } from "./test-sdk-client.js";

describe("command line", () => {
  it("parseEsaKvEmulatorArgs() reads every flag, in both --flag value and --flag=value forms", () => {
    const parsed = parseEsaKvEmulatorArgs(["--port", "0", "--access-key-id=AK", "--access-key-secret", "SK", "--data-dir", "/tmp/x", "--namespace", "a", "--namespace=b"]);
    expect(parsed.options).toEqual({ port: 0, accessKeyId: "AK", accessKeySecret: "SK", dataDir: "/tmp/x", namespaces: ["a", "b"] });
    expect(parsed.secretFromUser).toBe(true);
  });

  it("parseEsaKvEmulatorArgs() with an unknown flag or a bad port throws", () => {
    expect(() => parseEsaKvEmulatorArgs(["--verbose"])).toThrow("unknown option --verbose");
    expect(() => parseEsaKvEmulatorArgs(["--port", "70000"])).toThrow("--port");
    expect(() => parseEsaKvEmulatorArgs(["--port"])).toThrow("needs a value");
  });

  it("runEsaKvEmulatorCli() with a user secret prints the endpoint and key id but never the secret", async () => {
    const lines: string[] = [];
    const emulator = await runEsaKvEmulatorCli(["--port", "0", "--access-key-id", "cli-ak", "--access-key-secret", "cli-secret-value", "--namespace", "cli"], (line) => lines.push(line));
    try {
      const output = lines.join("\n");
      expect(output).toContain(emulator.endpoint);
      expect(output).toContain("cli-ak");
      expect(output).not.toContain("cli-secret-value");
      const put = await sdkClient(emulator).putKv(new esa.PutKvRequest({ namespace: "cli", key: "k", value: "v" }));
      expect(put.body?.length).toBe("1");
    } finally {
      await emulator.close();
    }
  });

  it("runEsaKvEmulatorCli() without a secret uses and prints the built-in test secret", async () => {
    const lines: string[] = [];
    const emulator = await runEsaKvEmulatorCli(["--port", "0"], (line) => lines.push(line));
    try {
      expect(emulator.accessKeySecret).toBe("stowage-test-sk");
      expect(lines.join("\n")).toContain("access key secret:      stowage-test-sk");
      expect((await sdkClient(emulator).describeKvAccountStatus()).body?.status).toBe("online");
    } finally {
      await emulator.close();
    }
  });
});
