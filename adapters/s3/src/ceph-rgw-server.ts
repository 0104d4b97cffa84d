/**
 * A throwaway one-node Ceph cluster with a RADOS Gateway on loopback, for the S3 adapter's
 * conformance run and the `stowage conformance` s3 target: one monitor, one memstore OSD and
 * radosgw (beast), authentication off, everything under one temp directory, stopped by the pids
 * the daemons write (never by name). Recipe and the settings that matter:
 * ../shared/reference/ceph-rgw.md. Needs the Debian packages ceph-mon ceph-osd radosgw ceph-common.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { accessSync, constants } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { systemClock } from "@stowage/core";
import { S3CredentialPair, S3HttpClient } from "@stowage/adapter-s3-family";
import { s3Dialect } from "./dialect.js";

const run = promisify(execFile);

/** The executables the cluster needs. */
const BINARIES = ["monmaptool", "ceph-mon", "ceph-osd", "ceph", "radosgw", "radosgw-admin"] as const;

/** Options of {@link startCephRgw}. */
export interface CephRgwOptions {
  /** Bytes the memstore OSD may hold (RAM, about twice the data stored). Default 1 GiB. */
  memstoreBytes?: number;
  /** Extra `[client.rgw.0]` settings, e.g. `{ "rgw multipart min part size": "5120" }`. */
  gatewaySettings?: Readonly<Record<string, string>>;
  /** Longest wait for each daemon to come up. Default 60,000 ms. */
  startTimeoutMs?: number;
}

/** A running gateway and what a client needs to reach it. */
export interface RunningCephRgw {
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** The region to sign with (RGW's default zonegroup accepts any; `us-east-1` by convention). */
  readonly region: string;
  /** The test user's access key id. */
  readonly accessKeyId: string;
  /** The test user's secret (a throwaway value, only valid on this cluster). */
  readonly secretAccessKey: string;
  /** Creates a bucket owned by the test user. */
  createBucket(name: string): Promise<void>;
  /** Deletes a bucket and everything in it behind the S3 API's back (`radosgw-admin bucket rm --purge-objects`). */
  deleteBucket(name: string): Promise<void>;
  /** Stops the three daemons by pid (TERM, then KILL after a bounded wait) and removes the directory. */
  close(): Promise<void>;
}

/** Why a cluster cannot be started here (a missing executable), or `undefined` when it can. */
export function cephRgwUnavailableReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env["PATH"] ?? "").split(delimiter).filter(Boolean);
  const missing = BINARIES.filter((bin) =>
    !dirs.some((dir) => {
      try {
        accessSync(join(dir, bin), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
  );
  return missing.length === 0 ? undefined : `Ceph is not installed (missing ${missing.join(", ")}; apt-get install ceph-mon ceph-osd radosgw ceph-common)`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 100 ms until it holds or `timeoutMs` passes (then throws `what`). */
async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Ceph RGW: ${what} did not happen within ${timeoutMs} ms`);
    await sleep(100);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function cephConf(dir: string, fsid: string, monPort: number, rgwPort: number, o: CephRgwOptions): string {
  const gateway = Object.entries(o.gatewaySettings ?? {}).map(([k, v]) => `${k} = ${v}`);
  return [
    "[global]",
    `fsid = ${fsid}`,
    `mon host = v2:127.0.0.1:${monPort}`,
    "auth cluster required = none",
    "auth service required = none",
    "auth client required = none",
    "ms bind msgr1 = false",
    "public addr = 127.0.0.1",
    "osd pool default size = 1",
    "osd pool default min size = 1",
    "osd pool default pg num = 8",
    "osd pool default pgp num = 8",
    "osd pool default pg autoscale mode = off",
    "osd crush chooseleaf type = 0",
    "mon allow pool size one = true",
    "mon max pg per osd = 1000",
    "mon warn on pool no redundancy = false",
    `run dir = ${dir}/run`,
    `pid file = ${dir}/run/$name.pid`,
    `log file = ${dir}/log/$name.log`,
    `admin socket = ${dir}/run/$name.asok`,
    `keyring = ${dir}/keyring`,
    `mon data = ${dir}/mon/$name`,
    `osd data = ${dir}/osd/$name`,
    "[mon]",
    // Without these, start-up takes ~13 s and each first bucket/multipart call ~2 s (ceph-rgw.md).
    "paxos propose interval = 0.05",
    "paxos min wait = 0.01",
    "[osd]",
    "osd objectstore = memstore",
    `memstore device bytes = ${o.memstoreBytes ?? 1024 * 1024 * 1024}`,
    "[client.rgw.0]",
    // Without these radosgw hangs 300 s on get_initial_auth_request returned -13.
    "ms mon client mode = crc",
    "auth client required = none",
    // Without tcp_nodelay every small request takes ~45 ms instead of 4–7 ms.
    `rgw frontends = beast endpoint=127.0.0.1:${rgwPort} tcp_nodelay=1`,
    `rgw data = ${dir}/rgw`,
    ...gateway,
    "",
  ].join("\n");
}

/**
 * Starts the cluster (about 2 s on a memstore OSD) and creates a test user. On any failure
 * whatever was started is stopped again before the error is raised.
 */
export async function startCephRgw(o: CephRgwOptions = {}): Promise<RunningCephRgw> {
  const unavailable = cephRgwUnavailableReason();
  if (unavailable) throw new Error(unavailable);
  const timeout = o.startTimeoutMs ?? 60_000;
  const dir = await mkdtemp(join(tmpdir(), "stowage-ceph-"));
  for (const sub of ["run", "log", "mon", "osd/osd.0", "rgw"]) await mkdir(join(dir, sub), { recursive: true });
  await writeFile(join(dir, "keyring"), "");
  const [monPort, rgwPort] = [await freePort(), await freePort()];
  const fsid = randomUUID();
  const conf = join(dir, "ceph.conf");
  await writeFile(conf, cephConf(dir, fsid, monPort, rgwPort, o));
  const exec = (bin: string, args: string[]) => run(bin, ["-c", conf, ...args], { cwd: dir, timeout });
  const pids: number[] = [];
  const adoptPid = async (name: string) => {
    const pid = Number((await readFile(join(dir, "run", `${name}.pid`), "utf8")).trim());
    if (Number.isSafeInteger(pid) && pid > 0) pids.push(pid);
  };
  const close = async () => {
    for (const pid of pids.reverse()) if (isAlive(pid)) process.kill(pid, "SIGTERM");
    const deadline = Date.now() + 10_000;
    while (pids.some(isAlive) && Date.now() < deadline) await sleep(50);
    for (const pid of pids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    pids.length = 0;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await run("monmaptool", ["--create", "--fsid", fsid, "--addv", "a", `[v2:127.0.0.1:${monPort}]`, join(dir, "monmap")], { timeout });
    await exec("ceph-mon", ["--mkfs", "-i", "a", "--monmap", join(dir, "monmap")]);
    await exec("ceph-mon", ["-i", "a"]);
    await waitFor("the monitor's pid file", timeout, async () => (await readFile(join(dir, "run", "mon.a.pid"), "utf8")).trim() !== "");
    await adoptPid("mon.a");
    const osdUuid = randomUUID();
    const { stdout: osdId } = await exec("ceph", ["osd", "new", osdUuid]);
    if (osdId.trim() !== "0") throw new Error(`Ceph RGW: expected osd 0, got ${osdId.trim()}`);
    await exec("ceph-osd", ["-i", "0", "--mkfs", "--osd-uuid", osdUuid]);
    await exec("ceph-osd", ["-i", "0"]);
    await waitFor("the OSD's pid file", timeout, async () => (await readFile(join(dir, "run", "osd.0.pid"), "utf8")).trim() !== "");
    await adoptPid("osd.0");
    await waitFor("osd.0 up", timeout, async () => /^osd\.0 up/m.test((await exec("ceph", ["osd", "dump"])).stdout));
    await exec("radosgw", ["-n", "client.rgw.0"]);
    await waitFor("the gateway's pid file", timeout, async () => (await readFile(join(dir, "run", "client.rgw.0.pid"), "utf8")).trim() !== "");
    await adoptPid("client.rgw.0");
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    await waitFor("GET / → 200", timeout, async () => (await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(2_000) })).status === 200);
    const accessKeyId = "STOWAGETEST";
    const secretAccessKey = randomUUID().replace(/-/g, "");
    await exec("radosgw-admin", ["user", "create", "--uid=stowage", "--display-name=Stowage", `--access-key=${accessKeyId}`, `--secret-key=${secretAccessKey}`]);
    const region = "us-east-1";
    const client = new S3HttpClient({
      endpoint: new URL(endpoint),
      addressing: "path",
      dialect: s3Dialect,
      maxDocumentBytes: 1024 * 1024,
      signing: { signature: "sigv4", region, headerPrefix: "x-amz-", clock: systemClock, credentials: new S3CredentialPair(accessKeyId, secretAccessKey) },
    });
    return {
      endpoint,
      region,
      accessKeyId,
      secretAccessKey,
      createBucket: async (name) => {
        await client.sendForHeaders({ operation: "createBucket", method: "PUT", bucket: name, query: new URLSearchParams(), headers: {} }, { signal: AbortSignal.timeout(30_000) });
      },
      deleteBucket: async (name) => {
        await exec("radosgw-admin", ["bucket", "rm", `--bucket=${name}`, "--purge-objects"]);
      },
      close: async () => {
        await client.close();
        await close();
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}
