import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEsaKvStore } from "@stowage/adapter-esa-kv";
import { isStorageError } from "@stowage/core";
import { describe, expect, it } from "vitest";
import { parseEmulatorArgs, runEmulatorCommand } from "./emulator-command.js";

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

/** Runs the command in-process until its start-up text is printed; `stop()` ends it like Ctrl-C. */
async function startCommand(argv: string[]): Promise<{ text: string; field(label: string): string; stop(): Promise<number> }> {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let print!: (text: string) => void;
  const printed = new Promise<string>((resolve) => (print = resolve));
  const exit = runEmulatorCommand(argv, { write: print, stopped: () => stopped });
  const text = await Promise.race([printed, exit.then(() => Promise.reject(new Error("the command ended before printing")))]);
  const field = (label: string) => {
    const value = new RegExp(`^ *${label}: +(\\S.*)$`, "m").exec(text)?.[1];
    if (value === undefined) throw new Error(`no "${label}" line in:\n${text}`);
    return value;
  };
  return { text, field, stop: () => (stop(), exit) };
}

describe("runEmulatorCommand()", () => {
  it("esa-kv prints endpoints and credentials that work, serves until stopped, and keeps --data-dir across a restart", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "stowage-emulator-command-"));
    try {
      const first = await startCommand(["esa-kv", "--port", "0", "--data-dir", dataDir, "--namespace", "cli_ns"]);
      expect(first.field("data")).toBe(dataDir);
      const storeOn = (run: typeof first) =>
        createEsaKvStore({
          namespace: "cli_ns",
          endpoint: run.field("endpoint"),
          openPlatformEndpoint: run.field("OpenPlatform endpoint"),
          ossEndpoint: run.field("OSS endpoint"),
          accessKeyId: run.field("access key id"),
          accessKeySecret: run.field("access key secret"),
          retry: false,
        });
      const value = new Uint8Array(256).map((_, i) => i);
      const writer = storeOn(first);
      await writer.put("kept", value);
      await writer.close();
      expect(await first.stop()).toBe(0);

      const second = await startCommand(["esa-kv", "--port", "0", "--data-dir", dataDir]);
      const reader = storeOn(second);
      try {
        expect(await reader.get("kept")).toEqual(value);
      } finally {
        await reader.close();
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("esa-kv never prints a secret given with --access-key-secret", async () => {
    const run = await startCommand(["esa-kv", "--port", "0", "--access-key-id", "AKCLI", "--access-key-secret", "user-secret-value"]);
    try {
      expect(run.field("access key id")).toBe("AKCLI");
      expect(run.text).not.toContain("user-secret-value");
    } finally {
      await run.stop();
    }
  });
});
