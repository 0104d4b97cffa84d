import { expect, test } from "vitest";
import { describeKs3Emulator } from "./describe-ks3-emulator.js";
import { startKs3Emulator } from "./server.js";

test("describeKs3Emulator() prints the endpoint and access key id but never a user-supplied secret", async () => {
  const options = { accessKeyId: "my-ak", secretAccessKey: "super-secret-value" };
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

test("describeKs3Emulator() without a user secret prints the built-in test secret", async () => {
  const emulator = await startKs3Emulator({});
  try {
    expect(describeKs3Emulator(emulator, {}).join("\n")).toContain("secret access key: stowage-test-sk (built-in test secret)");
  } finally {
    await emulator.close();
  }
});
