import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EsaKvEmulatorError, errorBody } from "./errors.js";
import { FaultInjector } from "./faults.js";
import { resolveEsaKvEmulatorOptions, type EsaKvEmulatorOptions, type ResolvedEsaKvEmulatorOptions } from "./options.js";
import { handleOssPost, ossErrorAnswer } from "./oss-post.js";
import { SnapshotFile } from "./persistence.js";
import { RateLimiter } from "./rate-limiter.js";
import { parseFormUrlEncoded, RequestParams } from "./request-params.js";
import { route } from "./router.js";
import { bodyCapOf } from "./body-limits.js";
import { NonceCache } from "./nonce-cache.js";
import { verifyHead } from "./signature-verify.js";
import { EsaKvStore } from "./store.js";
import { OssError, UploadStore } from "./upload-store.js";

/**
 * The emulator's HTTP server. One port serves all three endpoints, told apart the way the
 * real ones are addressed:
 * - ESA OpenAPI (RPC, pathname `/`): action and version from `x-acs-action`/`x-acs-version`
 *   (V3) or the `Action`/`Version` query parameters (V2), version `2024-09-10`;
 * - OpenPlatform: action `AuthorizeFileUpload` at version `2019-12-19`, same addressing;
 * - OSS PostObject: any `POST` whose body is `multipart/form-data`.
 */

/** A started emulator. */
export interface RunningEsaKvEmulator {
  /** The ESA OpenAPI endpoint, e.g. `http://127.0.0.1:PORT` (RPC, pathname `/`). */
  endpoint: string;
  /** Where AuthorizeFileUpload is served (the same server). */
  openPlatformEndpoint: string;
  /** The OSS-style PostObject endpoint (the same server); AuthorizeFileUpload's `Endpoint` names its host. */
  ossEndpoint: string;
  /** The access key id requests must be signed with. */
  accessKeyId: string;
  /** Its secret. */
  accessKeySecret: string;
  /** The names of the namespaces that exist now, sorted. */
  namespaces(): string[];
  /** Stops listening, drops open connections and flushes `dataDir`. */
  close(): Promise<void>;
}

interface EmulatorState {
  options: ResolvedEsaKvEmulatorOptions;
  store: EsaKvStore;
  uploads: UploadStore;
  snapshot: SnapshotFile | undefined;
  nonces: NonceCache;
  rateLimiter: RateLimiter;
  faults: FaultInjector;
  keys: ReadonlyMap<string, string>;
}

/** Starts an emulator; resolves once it listens. */
export async function startEsaKvEmulator(options: EsaKvEmulatorOptions = {}): Promise<RunningEsaKvEmulator> {
  const resolved = resolveEsaKvEmulatorOptions(options);
  const { clock, limits } = resolved;
  const store = new EsaKvStore(clock, limits);
  const snapshot = resolved.dataDir === undefined ? undefined : new SnapshotFile(resolved.dataDir, () => store.snapshot());
  const saved = await snapshot?.load();
  if (saved) store.restore(saved);
  const existing = new Set(store.listNamespaces().map((ns) => ns.name.toLowerCase()));
  for (const name of resolved.namespaces) {
    if (!existing.has(name.toLowerCase())) store.createNamespace(name, "");
  }
  if (resolved.namespaces.length > 0) await snapshot?.persist();

  const state: EmulatorState = {
    options: resolved,
    store,
    uploads: new UploadStore(clock, limits.highCapacityBatchMaxBytes),
    snapshot,
    nonces: new NonceCache(clock, limits.clockSkewMs, limits.nonceCacheMaxEntries),
    rateLimiter: new RateLimiter(resolved.rateLimits, clock),
    faults: new FaultInjector(resolved.faults),
    keys: new Map([[resolved.accessKeyId, resolved.accessKeySecret]]),
  };

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    handle(state, req, res).catch(() => {
      // A bug, not a client error: answer the documented shape without leaking the cause.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const error = new EsaKvEmulatorError("InternalError");
      sendJson(res, error.status, {}, errorBody(error, randomUUID().toUpperCase(), req.headers.host ?? "127.0.0.1"), false);
    });
  };
  const server = createServer(serve);
  // Node answers 417 to any `Expect` but `100-continue` unless this event has a listener; the
  // gateways ignore expectations they do not know, so such a request is served as usual.
  server.on("checkExpectation", serve);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = resolved.host.includes(":") ? `[${resolved.host}]` : resolved.host;
  const endpoint = `http://${host}:${port}`;
  state.uploads.endpointHost = `${host}:${port}`;

  return {
    endpoint,
    openPlatformEndpoint: endpoint,
    ossEndpoint: endpoint,
    accessKeyId: resolved.accessKeyId,
    accessKeySecret: resolved.accessKeySecret,
    namespaces: () => store.listNamespaces().map((ns) => ns.name).sort(),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await snapshot?.persist();
    },
  };
}

async function handle(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID().toUpperCase();
  const hostId = req.headers.host ?? "127.0.0.1";
  const { limits } = state.options;
  const contentType = req.headers["content-type"] ?? "";

  if (req.method === "POST" && contentType.toLowerCase().startsWith("multipart/form-data")) {
    await handleOssPostRequest(state, req, res, contentType, requestId, hostId);
    return;
  }

  try {
    const { path, search } = splitTarget(req.url ?? "/");
    const query = parseFormUrlEncoded(search);
    const isV2 = query.some(([name]) => name === "Signature") && req.headers.authorization === undefined;
    const queryParam = (name: string) => query.find(([n]) => n === name)?.[1];
    const action = isV2 ? queryParam("Action") : headerText(req, "x-acs-action");
    const version = isV2 ? queryParam("Version") : headerText(req, "x-acs-version");
    const found = route(action, version);

    const injectedLatency = state.faults.delay();
    if (injectedLatency) await injectedLatency;
    const fault = state.faults.beforeHandling(found.action);
    if (fault === "drop") {
      req.socket.destroy();
      return;
    }
    const { clock } = state.options;
    // Authenticated as far as the head allows before a byte of the body is read.
    const finishVerification = verifyHead({ method: req.method ?? "GET", path, query, headers: req.headers }, state.keys, clock, limits.clockSkewMs, state.nonces);
    const cap = bodyCapOf(found.action, limits);
    const body = await readBody(req, cap.maxBytes);
    if (body === undefined) throw new EsaKvEmulatorError(cap.code, `The request body of ${found.action} exceeds ${cap.maxBytes} bytes.`);
    const form = contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")
      ? parseFormUrlEncoded(Buffer.from(body).toString("utf8"), limits.formMaxFields)
      : [];
    finishVerification(body, form);
    state.rateLimiter.admit(found.action, found.writesKeys);
    if (fault === "fail") throw FaultInjector.injectedError();

    // V2 requests carry the signature fields in the query; the handlers never look at them.
    const result = await found.handler({
      params: new RequestParams(query, form),
      store: state.store,
      uploads: state.uploads,
      limits,
      clock,
    });
    if (found.mutates && state.snapshot) await state.snapshot.persist();
    sendJson(res, 200, {}, { RequestId: requestId, ...result }, state.faults.truncateResponse());
  } catch (error) {
    if (!(error instanceof EsaKvEmulatorError)) throw error;
    sendJson(res, error.status, { ...error.headers, ...closeIfUnread(req) }, errorBody(error, requestId, hostId), false);
  }
}

/**
 * The OSS-style PostObject endpoint. Its credentials travel inside the form, so the body must
 * be read before anything can be refused: it is capped at `requestMaxBytes` (refused as soon
 * as it passes), and its fields are counted before the form is parsed.
 */
async function handleOssPostRequest(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  contentType: string,
  requestId: string,
  hostId: string,
): Promise<void> {
  const { limits } = state.options;
  const injectedLatency = state.faults.delay();
  if (injectedLatency) await injectedLatency;
  const fault = state.faults.beforeHandling("OssPostObject");
  if (fault === "drop") {
    req.socket.destroy();
    return;
  }
  try {
    if (fault === "fail") throw new OssError(503, "ServiceUnavailable", "Injected fault: the emulator was told to fail this request.");
    const body = await readBody(req, limits.requestMaxBytes);
    // OSS: "EntityTooLarge: Your proposed upload exceeds the maximum allowed object size."
    if (body === undefined) throw new OssError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
    const answer = await handleOssPost(state.uploads, contentType, body, requestId, limits.formMaxFields);
    send(res, answer.status, answer.headers, answer.body, state.faults.truncateResponse());
  } catch (error) {
    // A bug, not a client error: still OSS's XML shape (the SDK parses no other), no cause.
    const ossError = error instanceof OssError ? error : new OssError(500, "InternalError", "We encountered an internal error. Please try again.");
    const answer = ossErrorAnswer(ossError, requestId, hostId);
    send(res, answer.status, { ...answer.headers, ...closeIfUnread(req) }, answer.body, false);
  }
}

/**
 * A request refused before its body was read ends its connection: reading the rest only to
 * keep the connection alive would spend on an unauthenticated sender what the early refusal
 * saved.
 */
function closeIfUnread(req: IncomingMessage): Record<string, string> {
  return req.complete ? {} : { connection: "close" };
}

function headerText(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Splits an origin-form request target into its path and query string, as sent: clients sign
 * the path they put on the wire, and parsing it as a URL (which re-encodes) costs every request.
 */
function splitTarget(target: string): { path: string; search: string } {
  const question = target.indexOf("?");
  return question < 0 ? { path: target, search: "" } : { path: target.slice(0, question), search: target.slice(question + 1) };
}

/**
 * Reads the whole body; undefined as soon as it passes `max` bytes, without reading the rest
 * (the caller answers and closes the connection). Events rather than `for await`: an async
 * iterator per request was a measurable share of the cost of a small request, and the
 * emulator's cost is shared by every client a benchmark compares.
 */
function readBody(req: IncomingMessage, max: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const declared = Number(req.headers["content-length"]);
  if (declared > max) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size <= max) {
        chunks.push(chunk);
        return;
      }
      req.off("data", onData);
      req.off("end", onEnd);
      req.pause();
      chunks.length = 0;
      resolve(undefined);
    };
    const onEnd = (): void => resolve(Buffer.concat(chunks, size));
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, headers: Readonly<Record<string, string>>, body: unknown, truncate: boolean): void {
  send(res, status, { ...headers, "content-type": "application/json;charset=utf-8" }, JSON.stringify(body), truncate);
}

/** Writes the response; with `truncate`, only half the body is sent before the socket is cut. */
function send(res: ServerResponse, status: number, headers: Readonly<Record<string, string>>, body: string, truncate: boolean): void {
  res.writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(body)) });
  if (!truncate) {
    // A string, not a Buffer: Node then sends the header and the body in one write.
    res.end(body);
    return;
  }
  const bytes = Buffer.from(body, "utf8");
  res.write(bytes.subarray(0, Math.floor(bytes.byteLength / 2)), () => res.destroy());
}
