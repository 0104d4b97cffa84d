/**
 * Test helpers: running storage commands in-process on streams of our own, and the built
 * `stowage` binary as a child process (for terminals and signals).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { PassThrough, Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { CommandIo } from "./command-context.js";
import { runStorageCommand } from "./storage-program.js";
import type { StorageSession } from "./storage-session.js";

/** What a command printed and returned. */
export interface CliResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Standard input: bytes, or a stream the test feeds; default empty. */
  stdin?: Uint8Array | string | Readable;
  /** Whether stdin claims to be a terminal. */
  stdinTty?: boolean;
  /** Environment (configuration variables); default none. */
  env?: NodeJS.ProcessEnv;
  /** A shared session, for memory stores that must outlive one command. */
  session?: StorageSession;
  /** An interrupt signal; default one that never fires. */
  interrupt?: AbortSignal;
}

/** Runs `stowage <argv>` in-process and collects its output. */
export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const stdin = (
    options.stdin instanceof Readable ? options.stdin : Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)])
  ) as Readable & { isTTY?: boolean };
  if (options.stdinTty) stdin.isTTY = true;
  const io: CommandIo = {
    stdin,
    stdout,
    stderr,
    env: options.env ?? {},
    interrupt: options.interrupt ?? new AbortController().signal,
    ...(options.session ? { openSession: async () => options.session! } : {}),
  };
  const code = await runStorageCommand(argv, io);
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") };
}

/** The JSON Lines of a `--json` run. */
export function jsonLines(result: CliResult): Array<Record<string, unknown>> {
  return result.stdout
    .toString("utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** SHA-256 hex of `bytes`. */
export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The built CLI entry point; tests that spawn it need `pnpm build` first (CI builds before testing). */
export const BUILT_MAIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

/** Spawns the built CLI with pipes; throws when it has not been built. */
export function spawnBuiltCli(argv: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run pnpm build first`);
  return spawn(process.execPath, [BUILT_MAIN, ...argv], { env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
}
