/**
 * Test helper (never shipped: tsconfig excludes test-*.ts): the kill -9 harness the emulators'
 * crash-safety tests share. An emulator runs in a child process so that a test can SIGKILL it
 * at any moment; a load writes to a few hot keys until the kill; after each restart every key
 * must hold its last acknowledged version or the version in flight at the kill.
 *
 * The child runs the built package (`dist/`, which `pnpm build` and CI's `.ci/run` produce
 * before `pnpm test`): vitest's TypeScript loading exists only inside vitest's own process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { expect, onTestFinished } from "vitest";

/** A running child emulator: the fields its start function returned, and the process. */
export type ChildEmulator<Fields extends string> = Record<Fields, string> & {
  process: ChildProcess;
  /** SIGKILLs the child and waits until it is gone. */
  kill(): Promise<void>;
};

/** What {@link spawnChildEmulator} runs: `start(options)` exported by the built package at `dist`. */
export interface ChildEmulatorSpec<Fields extends string> {
  /** The package's built entry point, e.g. `new URL("../dist/index.js", import.meta.url)`. */
  dist: URL;
  /** The exported start function, e.g. `startKs3Emulator`. */
  start: string;
  /** The string fields of the started emulator the test needs, e.g. `endpoint`. */
  fields: readonly Fields[];
}

/** Starts `spec.start(options)` in a child process; resolves once it listens. */
export async function spawnChildEmulator<Fields extends string>(spec: ChildEmulatorSpec<Fields>, options: Record<string, unknown>): Promise<ChildEmulator<Fields>> {
  try {
    await access(spec.dist);
  } catch {
    throw new Error(`${fileURLToPath(spec.dist)} is missing: run \`pnpm build\` before this test`);
  }
  const code = [
    `import { ${spec.start} } from ${JSON.stringify(spec.dist.href)};`,
    `const emu = await ${spec.start}(JSON.parse(process.env.STOWAGE_CHILD_OPTIONS));`,
    `const fields = ${JSON.stringify(spec.fields)};`,
    `process.stdout.write(JSON.stringify(Object.fromEntries(fields.map((f) => [f, emu[f]]))) + "\\n");`,
  ].join("\n");
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], {
    env: { ...process.env, STOWAGE_CHILD_OPTIONS: JSON.stringify(options) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const started = await new Promise<Record<Fields, string>>((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.indexOf("\n");
      if (line >= 0) resolve(JSON.parse(out.slice(0, line)) as Record<Fields, string>);
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`child emulator exited (${code}) before listening: ${err}`)));
  });
  return Object.assign(started, {
    process: child,
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  });
}

/** A fresh data directory for the emulator, removed when the test ends. */
export async function tempDataDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** What the test knows of one hot key. */
export interface CrashKeyState<V> {
  /** The last version the emulator acknowledged. */
  acked: V;
  /** The write in flight when the emulator died, whose effect may or may not have landed. */
  inFlight: V | undefined;
  /** The number of the next write to this key, from 1. */
  next: number;
}

/** `count` hot keys named by `name`, each holding `initial`. */
export function crashKeys<V>(count: number, name: (i: number) => string, initial: V): Map<string, CrashKeyState<V>> {
  return new Map(Array.from({ length: count }, (_, i) => [name(i), { acked: initial, inFlight: undefined, next: 1 }]));
}

/** How many writes were issued to `keys` so far. */
export function writesIssued(keys: Map<string, CrashKeyState<unknown>>): number {
  return [...keys.values()].reduce((n, s) => n + s.next - 1, 0);
}

/**
 * Writes to every key, one write at a time per key, version `versionOf(next)`, until a write
 * fails (the emulator is gone): that write stays `inFlight`, as the write it may have applied.
 */
export async function writeUntilKilled<V>(
  keys: Map<string, CrashKeyState<V>>,
  versionOf: (n: number) => V,
  write: (key: string, version: V) => Promise<void>,
): Promise<void> {
  await Promise.all(
    [...keys].map(async ([key, state]) => {
      for (;;) {
        const version = versionOf(state.next);
        state.next++;
        state.inFlight = version;
        try {
          await write(key, version);
        } catch {
          return;
        }
        state.acked = version;
        state.inFlight = undefined;
      }
    }),
  );
}

/**
 * Expects each key to hold its acknowledged version or the one in flight at the kill, as
 * `read` finds it (`matched`: which of `allowed` the key holds; `seen`: what it holds, for the
 * failure message). Whichever landed becomes the acknowledged version.
 */
export async function expectAcknowledged<V>(
  keys: Map<string, CrashKeyState<V>>,
  read: (key: string, allowed: readonly V[]) => Promise<{ matched: V | undefined; seen: string }>,
): Promise<void> {
  for (const [key, state] of keys) {
    const allowed = [state.acked, ...(state.inFlight === undefined ? [] : [state.inFlight])];
    const { matched, seen } = await read(key, allowed);
    expect(matched, `${key}: ${seen}; allowed ${JSON.stringify(allowed)}`).toBeDefined();
    state.acked = matched!;
    state.inFlight = undefined;
  }
}

/**
 * `rounds` times: start the emulator, `check` it (round 0: before any write), run `load` and
 * SIGKILL the emulator 150–500 ms in; then start it once more and `check` it. A child still
 * running when a check fails is killed.
 */
export async function runKillRounds<C extends { kill(): Promise<void> }>(plan: {
  rounds: number;
  start: () => Promise<C>;
  check: (child: C, round: number) => Promise<void>;
  load: (child: C) => Promise<void>;
}): Promise<void> {
  let child: C | undefined;
  try {
    for (let round = 0; round < plan.rounds; round++) {
      child = await plan.start();
      await plan.check(child, round);
      const running = plan.load(child);
      await sleep(150 + Math.floor(Math.random() * 350));
      const killed = child;
      child = undefined;
      await killed.kill();
      await running;
    }
    child = await plan.start();
    await plan.check(child, plan.rounds);
  } finally {
    await child?.kill();
  }
}
