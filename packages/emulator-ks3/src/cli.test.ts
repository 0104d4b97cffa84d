import { expect, test } from "vitest";
import { describeKs3Emulator, parseKs3EmulatorArgs } from "./cli.js";
import { startKs3Emulator } from "./server.js";

test("parseKs3EmulatorArgs() reads every documented flag, in both --flag value and --flag=value forms", () => {
  expect(
    parseKs3EmulatorArgs(["--port", "9000", "--profile=s3", "--access-key-id", "AK", "--secret-access-key", "SK", "--data-dir", "/tmp/x", "--bucket", "b1x"]),
  ).toEqual({ port: 9000, profile: "s3", accessKeyId: "AK", secretAccessKey: "SK", dataDir: "/tmp/x", buckets: ["b1x"] });
});

test.each([["--profile", "gcs"], ["--port", "http"], ["--unknown"], ["--port"]])("parseKs3EmulatorArgs(%j) rejects with the usage", (...argv) => {
  expect(() => parseKs3EmulatorArgs(argv)).toThrow(/usage: stowage emulator ks3/);
});

test("describeKs3Emulator() prints the endpoint and access key id but never a user-supplied secret", async () => {
  const options = parseKs3EmulatorArgs(["--access-key-id", "my-ak", "--secret-access-key", "super-secret-value"]);
  const emulator = await startKs3Emulator(options);
  try {
    const text = describeKs3Emulator(emulator, options).join("\n");
    expect(text).toContain(emulator.endpoint);
    expect(text).toContain("my-ak");
    expect(text).not.toContain("super-secret-value");
  } finally {
    await emulator.close();
  }
});
