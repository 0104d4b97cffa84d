/**
 * The wire calls: one node-redis connection (standalone) or cluster client per store, opened on
 * first use, with the failure behaviour the contract needs and node-redis does not default to:
 *
 * - `disableOfflineQueue`: while the connection is down a command fails at once (`Network`)
 *   instead of waiting in a queue for a server that may never come back.
 * - A command timeout that also covers commands already sent (`rejectInFlight`), so a server
 *   that stops answering raises `Timeout` instead of hanging the caller.
 * - Before the first successful connection the client does not retry on its own: the call
 *   that opened it fails promptly and the next call tries again. After it, node-redis
 *   reconnects in the background (capped backoff) and the store works again once the server is
 *   back, without the caller recreating anything.
 */
import { createClient, createCluster, RESP_TYPES } from "redis";
import type { ResolvedRedisOptions } from "./config.js";
import { redisError } from "./errors.js";
import type { RedisScript } from "./scripts.js";

/** A Redis command argument: a string (sent as UTF-8) or raw bytes. */
export type RedisArg = string | Buffer;

/** Replies keep bulk strings as bytes: values are binary, keys are decoded by the caller. */
const TYPE_MAPPING = { [RESP_TYPES.BLOB_STRING]: Buffer } as const;

/** The longest pause between reconnection attempts once connected. */
const MAX_RECONNECT_DELAY_MS = 1_000;

/** What the store needs of either client: send one command routed by its first key. */
interface Transport {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  send(firstKey: RedisArg, readonly: boolean, args: RedisArg[], signal: AbortSignal | undefined): Promise<unknown>;
  close(): Promise<void>;
  destroy(): void;
}

/** The node-redis client or cluster behind a store, opened lazily and reopened after a failed first connection. */
export class RedisConnection {
  /** `host:port` of the server or first seed node: what messages name (never the URL, which may hold a password). */
  readonly endpoint: string;
  private transport: Transport | undefined;
  private connecting: Promise<Transport> | undefined;
  private closed = false;
  /**
   * The SHA1s of the scripts sent as EVAL on the current connection (on a cluster: since any
   * node last (re)connected). Redis runs one connection's commands in the order they arrive, so
   * once an EVAL has been sent, every later call of that script on the connection can be an
   * EVALSHA: the server has cached the script by the time it reads it. A store cannot instead
   * send EVALSHA first and EVAL only after a `NOSCRIPT` reply: the commands issued while that
   * reply travels (a get right behind a delete, a put group flushed before a get) would run
   * before the re-sent script, out of the order the caller issued them. Hence EVAL until one has
   * been sent, and the set is forgotten whenever a connection is (re)established, since the
   * server on the other end may be a restarted (empty) one.
   *
   * What remains is the script cache emptied without a reconnect: SCRIPT FLUSH by an operator,
   * a slot moved to another cluster node (MOVED/ASK, followed by node-redis), or a Redis
   * Enterprise endpoint handoff that swaps sockets without a 'connect' event. Then the server
   * answers EVALSHA with `NOSCRIPT` and {@link evalScript} re-sends it as EVAL: the call
   * succeeds, but the calls issued right behind it may overtake it, once.
   */
  private readonly scriptsSent = new Set<string>();

  constructor(private readonly options: ResolvedRedisOptions) {
    const first = "url" in options ? options.url : options.cluster.rootNodes[0]!;
    const parsed = new URL(first);
    this.endpoint = `${parsed.hostname}:${parsed.port || "6379"}`;
  }

  // get and setIfExists are the hot path: one `then` each (no async frames), which measurably
  // matters at the rates a local server answers.

  /** GET: the value's bytes, or `undefined` when absent (or expired). */
  get(key: string, signal: AbortSignal | undefined, operation: string, userKey: string): Promise<Buffer | undefined> {
    return this.raw(key, true, ["GET", key], signal).then(
      (reply) => (reply === null || reply === undefined ? undefined : (reply as Buffer)),
      (err: unknown) => {
        throw redisError(err, this.context(operation, userKey));
      },
    );
  }

  /** SET … XX: whether the key existed (and now holds `value`). */
  setIfExists(key: string, value: Buffer, signal: AbortSignal | undefined, operation: string, userKey: string): Promise<boolean> {
    return this.raw(key, false, ["SET", key, value, "XX"], signal).then(
      (reply) => reply !== null && reply !== undefined,
      (err: unknown) => {
        throw redisError(err, this.context(operation, userKey));
      },
    );
  }

  /**
   * Runs a script: EVAL (with the source) the first time on the current connection, EVALSHA
   * after that; see {@link scriptsSent} for why, and for the case that still falls back from
   * EVALSHA to EVAL on `NOSCRIPT`.
   */
  evalScript(script: RedisScript, keys: RedisArg[], args: RedisArg[], signal: AbortSignal | undefined, operation: string, userKey?: string): Promise<unknown> {
    const sent = this.scriptsSent;
    const first = !sent.has(script.sha1);
    // Marked when sent, not when answered: the calls issued behind it may name it by SHA1,
    // since the server runs (and so caches) this EVAL before it reads theirs.
    if (first) sent.add(script.sha1);
    // One array for both attempts (a put is on the hot path): a NOSCRIPT retry swaps in EVAL and the source.
    const command: RedisArg[] = first ? ["EVAL", script.source, String(keys.length)] : ["EVALSHA", script.sha1, String(keys.length)];
    for (const key of keys) command.push(key);
    for (const arg of args) command.push(arg);
    return this.raw(keys[0]!, script.readonly, command, signal).catch((err: unknown) => {
      if (first) {
        // It may not have reached the server (aborted while queued, connection lost, refused
        // before it ran, e.g. -OOM): the next call sends the source again.
        sent.delete(script.sha1);
        throw redisError(err, this.context(operation, userKey));
      }
      if (!(err instanceof Error && err.message.startsWith("NOSCRIPT"))) throw redisError(err, this.context(operation, userKey));
      command[0] = "EVAL";
      command[1] = script.source;
      return this.command(keys[0]!, script.readonly, command, signal, operation, userKey);
    });
  }

  /** Closes the connection: QUIT when connected (pending replies arrive first), else drop it. */
  async close(): Promise<void> {
    this.closed = true;
    const transport = this.transport ?? (await this.connecting?.catch(() => undefined));
    this.transport = undefined;
    if (transport === undefined) return;
    if (transport.isReady) await transport.close().catch(() => transport.destroy());
    else transport.destroy();
  }

  private context(operation: string, key: string | undefined) {
    return { operation, endpoint: this.endpoint, ...(key === undefined ? {} : { key }) };
  }

  private command(firstKey: RedisArg, readonly: boolean, args: RedisArg[], signal: AbortSignal | undefined, operation: string, userKey?: string): Promise<unknown> {
    return this.raw(firstKey, readonly, args, signal).catch((err: unknown) => {
      throw redisError(err, this.context(operation, userKey));
    });
  }

  /** The hot path: no extra async frame once connected, so a GET costs what node-redis's own does. */
  private raw(firstKey: RedisArg, readonly: boolean, args: RedisArg[], signal: AbortSignal | undefined): Promise<unknown> {
    const transport = this.transport;
    if (transport !== undefined) return transport.send(firstKey, readonly, args, signal);
    return this.open().then((opened) => opened.send(firstKey, readonly, args, signal));
  }

  /** Opens the transport once for all concurrent callers; a failure is reported to each of them and forgotten. */
  private open(): Promise<Transport> {
    if (this.closed) return Promise.reject(new Error("ClientClosedError"));
    this.connecting ??= (async () => {
      const transport = this.createTransport();
      try {
        await transport.connect();
      } catch (err) {
        transport.destroy();
        // Every call waiting for this connection fails with it, so none of its EVALs was sent.
        this.scriptsSent.clear();
        throw err;
      } finally {
        this.connecting = undefined;
      }
      if (this.closed) {
        transport.destroy();
        throw new Error("ClientClosedError");
      }
      this.transport = transport;
      return transport;
    })();
    return this.connecting;
  }

  private createTransport(): Transport {
    const o = this.options;
    let everReady = false;
    // A new socket may reach a server that has never seen the scripts (see scriptsSent). The
    // client emits 'connect' (the cluster 'node-connect') as each socket connects, before its
    // handshake, and no command is sent before 'ready' (offline queue disabled), so no command
    // of the new socket can see the old set. The first connection needs no clearing: the calls
    // waiting for it chose EVAL or EVALSHA in their order, and a failed one is cleared in open().
    const forgetScripts = () => {
      if (everReady) this.scriptsSent.clear();
    };
    const socket = {
      connectTimeout: o.connectTimeoutMs,
      // See the file comment: no retries before the first connection, capped backoff after it.
      reconnectStrategy: (retries: number, cause: Error) => (everReady ? Math.min(50 * 2 ** Math.min(retries, 5), MAX_RECONNECT_DELAY_MS) : cause),
    };
    const credentials = { ...(o.username === undefined ? {} : { username: o.username }), ...(o.password === undefined ? {} : { password: o.password }) };
    const commandOptions = { typeMapping: TYPE_MAPPING, timeout: o.commandTimeoutMs, rejectInFlight: true };
    // node-redis reports connection trouble as 'error' events (an unhandled one would crash the
    // process); the calls themselves reject with the failure, so the events are only drained.
    const ignore = () => {};
    if ("url" in o) {
      const client = createClient({ url: o.url, ...credentials, socket, disableOfflineQueue: true, commandOptions });
      client.on("error", ignore);
      client.on("connect", forgetScripts);
      client.on("ready", () => (everReady = true));
      return {
        get isReady() {
          return client.isReady;
        },
        connect: () => client.connect(),
        send: (_firstKey, _readonly, args, signal) => client.sendCommand(args, signal === undefined ? commandOptions : { ...commandOptions, abortSignal: signal }),
        close: () => client.close(),
        destroy: () => client.destroy(),
      };
    }
    // Discovery connects to the seed nodes; the nodes it finds are reached with `defaults`, so
    // the seed URL's credentials and TLS must be repeated there.
    const seed = new URL(o.cluster.rootNodes[0]!);
    const seedCredentials = {
      ...(seed.username === "" ? {} : { username: decodeURIComponent(seed.username) }),
      ...(seed.password === "" ? {} : { password: decodeURIComponent(seed.password) }),
      ...credentials,
    };
    const cluster = createCluster({
      rootNodes: o.cluster.rootNodes.map((url) => ({ url, ...credentials, socket, disableOfflineQueue: true })),
      defaults: { ...seedCredentials, socket: { ...socket, ...(seed.protocol === "rediss:" ? { tls: true as const } : {}) }, disableOfflineQueue: true },
      commandOptions,
    });
    cluster.on("error", ignore);
    // Any node's (re)connect forgets every script: a store's keys live in one slot, so one
    // node, and forgetting too much costs only one more EVAL per script.
    cluster.on("node-connect", forgetScripts);
    return {
      get isReady() {
        return cluster.isReady;
      },
      connect: async () => {
        await cluster.connect();
        everReady = true;
      },
      send: (firstKey, readonly, args, signal) => cluster.sendCommand(firstKey, readonly, args, signal === undefined ? commandOptions : { ...commandOptions, abortSignal: signal }),
      close: () => cluster.close(),
      destroy: () => cluster.destroy(),
    };
  }
}
