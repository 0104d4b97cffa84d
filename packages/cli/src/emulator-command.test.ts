import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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
    [["esa-kv", "--verbose"], "unknown option --verbose"],
    [["esa-kv", "--port", "70000"], "--port must be an integer in 0..65535"],
    [["esa-kv", "--port", "1e3"], "--port must be an integer in 0..65535"],
    [["esa-kv", "--port"], "--port needs a value"],
    [["esa-kv", "--data-dir="], "--data-dir needs a value"],
    [["esa-kv", "--bucket", "b"], "unknown option --bucket"],
    [["esa-kv", "stray"], "unexpected argument #1"],
    [["ks3", "--profile", "gcs"], "--profile must be ks3 or s3"],
    [["ks3", "--port", "http"], "--port must be an integer in 0..65535"],
    [["ks3", "--namespace", "n"], "unknown option --namespace"],
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

  it("parseEmulatorArgs() of an unknown emulator rejects InvalidArgument naming both, without echoing the word", () => {
    expect(() => parseEmulatorArgs(["gcs-SECRET-VALUE"])).toThrow("emulator must be esa-kv or ks3");
    expect(() => parseEmulatorArgs(["gcs-SECRET-VALUE"])).not.toThrow("SECRET");
  });

  it.each([
    [["ks3", "wJalrXUtnFEMI-K7MDENG"]],
    [["ks3", "--port", "0", "wJalrXUtnFEMI-K7MDENG"]],
    [["esa-kv", "--access-key-id", "AK", "wJalrXUtnFEMI-K7MDENG"]],
    [["ks3", "--secret-access-keyy=wJalrXUtnFEMI-K7MDENG"]],
    [["wJalrXUtnFEMI-K7MDENG"]],
  ])("parseEmulatorArgs(%j) never echoes an argument value in its error", (argv) => {
    let caught: unknown;
    try {
      parseEmulatorArgs(argv);
    } catch (err) {
      caught = err;
    }
    expect(isStorageError(caught, "InvalidArgument")).toBe(true);
    expect((caught as Error).message).not.toContain("wJalrXUtnFEMI");
  });

  it("parseEmulatorArgs() takes credentials from STOWAGE_EMULATOR_* variables, and a flag wins over a variable", () => {
    const env = { STOWAGE_EMULATOR_ACCESS_KEY_ID: "AKENV", STOWAGE_EMULATOR_ACCESS_KEY_SECRET: "esa-env-secret", STOWAGE_EMULATOR_SECRET_ACCESS_KEY: "ks3-env-secret" };
    expect(parseEmulatorArgs(["esa-kv"], env)).toEqual({ emulator: "esa-kv", options: { accessKeyId: "AKENV", accessKeySecret: "esa-env-secret", namespaces: ["stowage"] } });
    expect(parseEmulatorArgs(["ks3"], env)).toEqual({ emulator: "ks3", options: { accessKeyId: "AKENV", secretAccessKey: "ks3-env-secret", buckets: ["stowage"] } });
    expect(parseEmulatorArgs(["ks3", "--access-key-id", "AKFLAG"], env).options.accessKeyId).toBe("AKFLAG");
    expect(parseEmulatorArgs(["ks3"], {})).toEqual({ emulator: "ks3", options: { buckets: ["stowage"] } });
  });

  it("parseEmulatorArgs() creates the default bucket / namespace unless named ones or --no-default-* are given", () => {
    expect(parseEmulatorArgs(["ks3"]).options).toEqual({ buckets: ["stowage"] });
    expect(parseEmulatorArgs(["ks3", "--bucket", "reports"]).options).toEqual({ buckets: ["reports"] });
    expect(parseEmulatorArgs(["ks3", "--no-default-bucket"]).options).toEqual({ buckets: [] });
    expect(parseEmulatorArgs(["esa-kv"]).options).toEqual({ namespaces: ["stowage"] });
    expect(parseEmulatorArgs(["esa-kv", "--no-default-namespace"]).options).toEqual({ namespaces: [] });
  });
});

describe("stowage emulator --help", () => {
  it.each([[["--help"]], [["-h"]], [["esa-kv", "--help"]], [["ks3", "--help"]], [["ks3", "--port", "0", "-h"]]])("runEmulatorCommand(%j) prints usage with examples and how to stop, and resolves 0", async (argv) => {
    let text = "";
    const code = await runEmulatorCommand(argv, { write: (t) => (text += t), stopped: () => Promise.resolve(), env: {} });
    expect(code).toBe(0);
    expect(text).toContain("usage: stowage emulator");
    expect(text).toContain("Examples:");
    expect(text).toContain("kill $EMULATOR");
  });
});

/** Runs the command in-process until its start-up text is printed; `stop()` ends it like Ctrl-C. */
async function startCommand(argv: string[]): Promise<{ text: string; field(label: string): string; stop(): Promise<number> }> {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let print!: (text: string) => void;
  const printed = new Promise<string>((resolve) => (print = resolve));
  const exit = runEmulatorCommand(argv, { write: print, stopped: () => stopped, env: {} });
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

describe("stowage emulator started by a package manager", () => {
  it("stops when the package manager's process is killed (pnpm does not pass the signal on)", async () => {
    const { spawn } = await import("node:child_process");
    const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
    // `sh` stands in for pnpm: it starts the emulator with a package manager's environment,
    // prints the emulator's pid, and is then killed without a chance to pass anything on.
    const parent = spawn("sh", ["-c", `"${process.execPath}" "${main}" emulator ks3 --port 0 & echo "pid $!"; wait`], {
      env: { PATH: process.env.PATH ?? "", npm_config_user_agent: "pnpm/10.34.8 npm/? node/v20 linux x64" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    // Killed once the emulator is up (its banner is printed), as a user would.
    let output = "";
    await new Promise<void>((resolve, reject) => {
      parent.stdout!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Press Ctrl-C")) resolve();
      });
      parent.once("exit", () => reject(new Error(`the emulator did not start:\n${output}`)));
    });
    const pid = Number(/^pid (\d+)$/m.exec(output)?.[1]);
    // A process that has exited but is not yet reaped by its new parent (a zombie) counts as gone.
    const alive = () => {
      try {
        process.kill(pid, 0);
      } catch {
        return false;
      }
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
      } catch {
        return true;
      }
    };
    try {
      expect(pid).toBeGreaterThan(1);
      expect(alive()).toBe(true);
      parent.kill("SIGKILL");
      // Bounded: the emulator polls its parent every 250 ms; 200 × 50 ms is generous on a busy machine.
      for (let i = 0; i < 200 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(alive()).toBe(false);
    } finally {
      if (alive()) process.kill(pid, "SIGKILL");
    }
  }, 30_000);
});
