/**
 * Throwaway Redis servers for tests, benchmarks and `stowage conformance --adapter redis`: a
 * standalone server or a three-node cluster, each on 127.0.0.1 ephemeral ports in a temporary
 * directory, without persistence, stopped by pid. Shipped (unlike test helpers) because the
 * CLI starts one when `redis-server` is installed. Needs `redis-server` (and `redis-cli` for a
 * cluster) on PATH.
 *
 * Redis has no "port 0": `--port 0` disables TCP instead of picking a free port. So a free port
 * is found by binding to port 0 first, and a start that loses the race for it is retried.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where the tests find a Redis server, or why they cannot. */
export type RedisAvailability =
  | {
      /** A server is given (`STOWAGE_REDIS_URL`) or can be started (`redis-server` is on PATH). */
      available: true;
      /** `url` when `STOWAGE_REDIS_URL` names a server, `spawn` when the tests start their own. */
      via: "url" | "spawn";
    }
  | {
      /** No server: the Redis tests are skipped. */
      available: false;
      /** Why, for the skip message. */
      reason: string;
    };

/** Whether `command` runs (`<command> --version` exits 0). */
function runs(command: string): boolean {
  const result = spawnSync(command, ["--version"], { stdio: "ignore" });
  return result.error === undefined && result.status === 0;
}

/**
 * How Redis tests reach a server: `STOWAGE_REDIS_URL` first, else a `redis-server` they start;
 * without either they must skip and print the `reason`.
 */
export function redisAvailability(): RedisAvailability {
  if (process.env.STOWAGE_REDIS_URL) return { available: true, via: "url" };
  if (runs("redis-server")) return { available: true, via: "spawn" };
  return {
    available: false,
    reason: "redis-server is not installed and STOWAGE_REDIS_URL is not set (Debian: apt-get install redis-server)",
  };
}

/** Whether a cluster can be started here (`redis-server` and `redis-cli` on PATH). */
export function canStartRedisCluster(): boolean {
  return runs("redis-server") && runs("redis-cli");
}

/** A free TCP port on 127.0.0.1 at the time of asking. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A free port whose cluster bus port could also be chosen; Redis needs both. */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  for (let attempt = 0; ports.size < count && attempt < count * 20; attempt++) ports.add(await freePort());
  if (ports.size < count) throw new Error(`could not find ${count} free ports`);
  return [...ports];
}

/** Waits until `child` prints `marker`, exits, or `timeoutMs` passes. */
function waitForOutput(child: ChildProcess, marker: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => finish(new Error(`redis-server did not report "${marker}" within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes(marker)) finish();
    };
    const onExit = (code: number | null) => finish(new Error(`redis-server exited with ${code}:\n${output}`));
    const finish = (err?: Error) => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      if (err) reject(err);
      else resolve();
    };
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}

/** One redis-server process on 127.0.0.1. */
export class RedisServerProcess {
  /** The TCP port it listens on. */
  readonly port: number;
  private child: ChildProcess | undefined;

  private constructor(
    port: number,
    private readonly dir: string,
    private readonly extraArgs: readonly string[],
  ) {
    this.port = port;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The pid of the running process, if running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts a server on a fresh port, retrying when another process takes the port first. */
  static async start(options: { dir: string; extraArgs?: readonly string[]; bindPort?: number }): Promise<RedisServerProcess> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = options.bindPort ?? (await freePort());
      const server = new RedisServerProcess(port, options.dir, options.extraArgs ?? []);
      try {
        await server.restart();
        return server;
      } catch (err) {
        lastError = err;
        if (options.bindPort !== undefined) break;
      }
    }
    throw lastError;
  }

  /** (Re)starts the process on the same port and directory; resolves once it accepts connections. */
  async restart(): Promise<void> {
    if (this.child !== undefined) return;
    const child = spawn(
      "redis-server",
      // No persistence: a throwaway server; `--save ""` disables RDB snapshots.
      ["--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir, "--save", "", "--appendonly", "no", "--daemonize", "no", ...this.extraArgs],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    child.once("exit", () => {
      if (this.child === child) this.child = undefined;
    });
    try {
      await waitForOutput(child, "Ready to accept connections", 10_000);
    } catch (err) {
      child.kill("SIGKILL");
      this.child = undefined;
      throw err;
    }
    // Keep draining the pipe so a chatty server never blocks on a full buffer.
    child.stdout?.resume();
    child.stderr?.resume();
  }

  /** Stops the process by pid (SIGTERM, SIGKILL after 5 s) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
    this.child = undefined;
  }

  /** Freezes the process (SIGSTOP): connections stay open but nothing is answered. */
  pause(): void {
    this.child?.kill("SIGSTOP");
  }

  /** Thaws a process frozen by {@link pause}. */
  resume(): void {
    this.child?.kill("SIGCONT");
  }
}

/** A throwaway standalone server: its URL, and how to stop it and bring it back. */
export interface TestRedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** The process, for outage tests (stop / restart / pause). */
  readonly process: RedisServerProcess;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

/** Starts a standalone server; `extraArgs` are passed to redis-server (e.g. `--requirepass`). */
export async function startTestRedisServer(extraArgs: readonly string[] = []): Promise<TestRedisServer> {
  const dir = mkdtempSync(join(tmpdir(), "stowage-redis-"));
  try {
    const server = await RedisServerProcess.start({ dir, extraArgs });
    return {
      url: server.url,
      process: server,
      close: async () => {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** A throwaway three-node cluster (three masters, no replicas). */
export interface TestRedisCluster {
  /** `redis://127.0.0.1:<port>` of each node. */
  readonly rootNodes: readonly string[];
  /** Stops every node and removes their directories. */
  close(): Promise<void>;
}

/**
 * Starts three `--cluster-enabled` nodes, joins them with `redis-cli --cluster create` (the
 * 16,384 slots split across the three) and waits until every node reports `cluster_state:ok`.
 * Bus ports are chosen explicitly (`--cluster-port`, Redis 7) because the default, port + 10000,
 * may pass 65535 for an ephemeral port.
 */
export async function startTestRedisCluster(): Promise<TestRedisCluster> {
  const nodes: RedisServerProcess[] = [];
  const dirs: string[] = [];
  const close = async () => {
    for (const node of nodes) await node.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) {
      const dir = mkdtempSync(join(tmpdir(), `stowage-redis-cluster-${i}-`));
      dirs.push(dir);
      const [busPort] = await freePorts(1);
      nodes.push(
        await RedisServerProcess.start({
          dir,
          extraArgs: ["--cluster-enabled", "yes", "--cluster-config-file", join(dir, "nodes.conf"), "--cluster-node-timeout", "5000", "--cluster-port", String(busPort)],
        }),
      );
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    const create = spawnSync("redis-cli", ["--cluster", "create", ...addresses, "--cluster-replicas", "0", "--cluster-yes"], { encoding: "utf8", timeout: 30_000 });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
    // Gossip spreads the configuration over a few hundred milliseconds; bounded wait.
    for (let round = 0; ; round++) {
      const states = nodes.map((n) => spawnSync("redis-cli", ["-p", String(n.port), "cluster", "info"], { encoding: "utf8", timeout: 5_000 }).stdout);
      if (states.every((s) => s.includes("cluster_state:ok"))) break;
      if (round >= 100) throw new Error(`cluster did not reach cluster_state:ok: ${states.join("\n")}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { rootNodes: nodes.map((n) => n.url), close };
  } catch (err) {
    await close();
    throw err;
  }
}
