import { isStorageError } from "@stowage/core";
import { describe, expect, it } from "vitest";
import { parseEmulatorArgs } from "./emulator-command.js";

describe("parseEmulatorArgs()", () => {
  it("parseEmulatorArgs() of esa-kv reads every flag, in both --flag value and --flag=value forms", () => {
    expect(
      parseEmulatorArgs(["esa-kv", "--host", "127.0.0.2", "--port", "0", "--access-key-id=AK", "--access-key-secret", "SK", "--data-dir", "/tmp/x", "--namespace", "a", "--namespace=b"]),
    ).toEqual({ emulator: "esa-kv", options: { host: "127.0.0.2", port: 0, accessKeyId: "AK", accessKeySecret: "SK", dataDir: "/tmp/x", namespaces: ["a", "b"] } });
  });

  it("parseEmulatorArgs() of ks3 reads every flag, in both --flag value and --flag=value forms", () => {
    expect(
      parseEmulatorArgs(["ks3", "--port", "9000", "--profile=s3", "--access-key-id", "AK", "--secret-access-key", "SK", "--data-dir", "/tmp/x", "--bucket", "b1x"]),
    ).toEqual({ emulator: "ks3", options: { port: 9000, profile: "s3", accessKeyId: "AK", secretAccessKey: "SK", dataDir: "/tmp/x", buckets: ["b1x"] } });
  });

  it.each([
    [["esa-kv", "--verbose"], "Unknown option '--verbose'"],
    [["esa-kv", "--port", "70000"], "--port must be an integer in 0..65535"],
    [["esa-kv", "--port", "1e3"], "--port must be an integer in 0..65535"],
    [["esa-kv", "--port"], "argument missing"],
    [["esa-kv", "--data-dir="], "--data-dir needs a value"],
    [["esa-kv", "--bucket", "b"], "Unknown option '--bucket'"],
    [["esa-kv", "stray"], "Unexpected argument 'stray'"],
    [["ks3", "--profile", "gcs"], "--profile must be ks3 or s3"],
    [["ks3", "--port", "http"], "--port must be an integer in 0..65535"],
    [["ks3", "--namespace", "n"], "Unknown option '--namespace'"],
    [["ks3", "--bucket="], "--bucket needs a value"],
  ])("parseEmulatorArgs(%j) rejects InvalidArgument with %j and the emulator's usage", (argv, message) => {
    let caught: unknown;
    try {
      parseEmulatorArgs(argv);
    } catch (err) {
      caught = err;
    }
    expect(isStorageError(caught, "InvalidArgument")).toBe(true);
    expect((caught as Error).message).toContain(message);
    expect((caught as Error).message).toContain(`usage: stowage emulator ${argv[0]}`);
  });

  it("parseEmulatorArgs() of an unknown emulator rejects InvalidArgument naming both", () => {
    expect(() => parseEmulatorArgs(["gcs"])).toThrow('emulator must be esa-kv or ks3, got "gcs"');
  });
});
