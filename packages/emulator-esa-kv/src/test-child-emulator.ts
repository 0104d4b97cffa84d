/**
 * Test helper: an emulator in a child process, so that a test can SIGKILL it at any moment.
 * The child runs the built package (`dist/`, which `pnpm build` and CI's `.ci/run` produce
 * before `pnpm test`): vitest's TypeScript loading exists only inside vitest's own process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { access } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const DIST = new URL("../dist/index.js", import.meta.url);

interface Started {
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
}

/** A running child emulator. */
export interface ChildEmulator extends Started {
  process: ChildProcess;
  /** SIGKILLs the child and waits until it is gone. */
  kill(): Promise<void>;
}

/** Starts `startEsaKvEmulator(options)` in a child process; resolves once it listens. */
export async function spawnEsaKvEmulator(options: Record<string, unknown>): Promise<ChildEmulator> {
  try {
    await access(DIST);
  } catch {
    throw new Error(`${fileURLToPath(DIST)} is missing: run \`pnpm build\` before this test`);
  }
  const code = [
    `import { startEsaKvEmulator } from ${JSON.stringify(DIST.href)};`,
    `const emu = await startEsaKvEmulator(JSON.parse(process.env.STOWAGE_CHILD_OPTIONS));`,
    `process.stdout.write(JSON.stringify({ endpoint: emu.endpoint, accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret }) + "\\n");`,
  ].join("\n");
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], {
    env: { ...process.env, STOWAGE_CHILD_OPTIONS: JSON.stringify(options) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const started = await new Promise<Started>((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.indexOf("\n");
      if (line >= 0) resolve(JSON.parse(out.slice(0, line)) as Started);
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`child emulator exited (${code}) before listening: ${err}`)));
  });
  return {
    ...started,
    process: child,
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
