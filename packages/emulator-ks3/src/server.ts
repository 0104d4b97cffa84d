/**
 * The HTTP server: authenticates, routes and answers each request, writes error documents,
 * streams bodies, and injects faults.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { systemClock } from "@stowage/core";
import { resolveAddress, type Address } from "./addressing.js";
import type { BlobStore } from "./blob-store.js";
import type { EmulatorContext, Ks3Request, Ks3Response } from "./context.js";
import { DiskBlobStore } from "./disk-blob-store.js";
import { Ks3Error, toKs3Error } from "./errors.js";
import { deleteBlobs } from "./object-operations.js";
import { drawFault, type Ks3Faults } from "./faults.js";
import { MemoryBlobStore } from "./memory-blob-store.js";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, type Ks3EmulatorOptions, type RunningKs3Emulator } from "./options.js";
import { limitsFor, quirksFor } from "./profile.js";
import { requestBody } from "./request-body.js";
import { writeBody } from "./response-body.js";
import { RequestHeaders } from "./request-headers.js";
import { routeRequest } from "./route.js";
import { isValidBucketName } from "./bucket-name.js";
import { EmulatorState } from "./state.js";
import { referencedBlobIds, StateFile } from "./state-file.js";
import { verifySignature } from "./verify-signature.js";
import { renderXmlDocument } from "./xml.js";

function errorDocument(err: Ks3Error, address: Address | undefined, requestId: string): string {
  const resource = address?.bucket === undefined ? "/" : `/${address.bucket}/${address.key ?? ""}`;
  return renderXmlDocument(
    "Error",
    [
      ["Code", err.code],
      ["Message", err.message],
      ["Resource", resource],
      ["RequestId", requestId],
    ],
    { namespace: false },
  );
}

/** Consumes about half of the request body, then drops the connection (fault injection). */
function resetMidRequest(req: IncomingMessage): Promise<void> {
  const half = Number(req.headers["content-length"] ?? 0) / 2;
  return new Promise((resolve) => {
    let seen = 0;
    const cut = (): void => {
      req.socket.destroy();
      resolve();
    };
    if (half === 0) return cut();
    req.on("data", (chunk: Buffer) => {
      seen += chunk.byteLength;
      if (seen >= half) cut();
    });
    req.on("end", cut);
    req.on("error", () => resolve());
  });
}

/** Starts a KS3 emulator; resolves once it listens. */
export async function startKs3Emulator(options: Ks3EmulatorOptions = {}): Promise<RunningKs3Emulator> {
  const profile = options.profile ?? "ks3";
  const host = options.host ?? "127.0.0.1";
  const accessKeyId = options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID;
  const secretAccessKey = options.secretAccessKey ?? DEFAULT_SECRET_ACCESS_KEY;
  const credentials = new Map([[accessKeyId, secretAccessKey]]);
  const clock = options.clock ?? systemClock;
  const region = options.region ?? (profile === "ks3" ? "cn-beijing" : "us-east-1");
  const virtualHostBases = options.virtualHostBases ?? [...new Set([host, "localhost", "127.0.0.1"])];
  let faults: Ks3Faults | undefined = options.faults;

  let blobs: BlobStore;
  let state: EmulatorState;
  let stateFile: StateFile | undefined;
  if (options.dataDir !== undefined) {
    const disk = new DiskBlobStore(options.dataDir);
    await disk.init();
    blobs = disk;
    stateFile = new StateFile(options.dataDir);
    state = await stateFile.load();
    await disk.removeUnreferenced(referencedBlobIds(state));
  } else {
    blobs = new MemoryBlobStore();
    state = new EmulatorState();
  }
  const ctx: EmulatorContext = {
    state,
    blobs,
    quirks: quirksFor(profile, options.quirks),
    limits: limitsFor(profile, options.limits),
    clock,
    region,
    persist: () => stateFile?.save(state) ?? Promise.resolve(),
  };
  const createBucket = async (name: string): Promise<void> => {
    if (!isValidBucketName(name)) throw new Error(`invalid bucket name: ${name}`);
    if (!state.addBucket(name, clock.now())) throw new Error(`bucket already exists: ${name}`);
    await ctx.persist();
  };
  const deleteBucket = async (name: string): Promise<void> => {
    const bucket = state.buckets.get(name);
    if (!bucket) return;
    state.buckets.delete(name);
    const blobs = [...bucket.objects.values()].flatMap((o) => o.blobs);
    for (const upload of bucket.uploads.values()) for (const part of upload.parts.values()) blobs.push(part.blob);
    await ctx.persist();
    await deleteBlobs(ctx, blobs);
  };
  for (const name of options.buckets ?? []) if (!state.buckets.has(name)) await createBucket(name);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomBytes(12).toString("hex").toUpperCase();
    const common: Record<string, string> = { "x-kss-request-id": requestId, server: "stowage-ks3-emulator" };
    if (profile === "s3") common["x-amz-request-id"] = requestId;
    let address: Address | undefined;
    const method = (req.method ?? "GET").toUpperCase();
    try {
      const url = req.url ?? "/";
      const q = url.indexOf("?");
      const rawPath = q < 0 ? url : url.slice(0, q);
      const query = new URLSearchParams(q < 0 ? "" : url.slice(q + 1));
      const received = RequestHeaders.fromRequest(req.headers);
      address = resolveAddress(received.get("host"), rawPath, virtualHostBases);
      const auth = verifySignature({ method, rawPath, query, headers: received, address }, credentials, clock);
      // From here on only what the signature covers: an unsigned header must not turn a
      // PutObject into a copy, nor add metadata.
      const headers = auth.headers;
      const routed = routeRequest(method, address, query, headers);
      const current = faults;
      if (current?.latencyMs) await sleep(current.latencyMs);
      const fault = drawFault(current, routed.operation);
      if (fault === "error") throw new Ks3Error("InternalError");
      if (fault === "slow-down") throw new Ks3Error("SlowDown", undefined, { "retry-after": "1" });
      if (fault === "reset" && routed.operation !== "GetObject") return await resetMidRequest(req);
      const request: Ks3Request = { method, address, query, headers, body: () => requestBody(req, headers, auth) };
      const answer: Ks3Response = await routed.run(ctx, request);
      const length = typeof answer.body === "string" ? { "content-length": String(Buffer.byteLength(answer.body)) } : {};
      res.writeHead(answer.status, { ...common, ...length, ...answer.headers });
      if (answer.body === undefined || method === "HEAD") {
        res.end();
      } else if (typeof answer.body === "string") {
        res.end(answer.body);
      } else {
        const resetAfter = fault === "reset" ? Math.floor(Number(answer.headers["content-length"] ?? 0) / 2) : undefined;
        await writeBody(res, answer.body, resetAfter, answer.recycle);
      }
    } catch (caught) {
      if (res.headersSent) {
        // The answer was already streaming: the only honest signal left is a broken connection.
        res.destroy();
        return;
      }
      const err = toKs3Error(caught);
      const headers: Record<string, string> = { ...common, ...err.headers };
      // A request whose body was not read would otherwise be drained before the next one.
      if (!req.complete) headers["connection"] = "close";
      if (err.status === 304 || method === "HEAD") {
        res.writeHead(err.status, headers).end();
      } else {
        const body = errorDocument(err, address, requestId);
        res.writeHead(err.status, { ...headers, "content-type": "application/xml", "content-length": String(Buffer.byteLength(body)) }).end(body);
      }
    }
  };

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    // `handle` answers every error itself; what could still escape is a write to a socket
    // that is already gone.
    handle(req, res).catch(() => res.destroy());
  };
  const server = createServer(serve);
  // Node answers 417 to any `Expect` but `100-continue` unless this event has a listener; S3
  // and Ceph ignore expectations they do not know, so such a request is served as usual.
  server.on("checkExpectation", serve);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const endpointHost = host.includes(":") ? `[${host}]` : host;

  return {
    endpoint: `http://${endpointHost}:${port}`,
    port,
    region,
    accessKeyId,
    secretAccessKey,
    profile,
    buckets: () => [...state.buckets.keys()].sort(),
    createBucket,
    deleteBucket,
    setFaults(next) {
      faults = next;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await ctx.persist();
    },
  };
}
