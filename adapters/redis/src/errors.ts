/**
 * The one place where Redis and node-redis failures become {@link StorageError}s. Two tables:
 * a server error reply is classified by its first word (the error prefix Redis documents, e.g.
 * `-WRONGPASS …`), a client-side failure by its node-redis error class or socket `errno`.
 * Anything not in a table is `Internal` and not retryable: never a silent miss.
 */
import { StorageError, type StorageErrorCode } from "@stowage/core";

/** How one row of a table classifies an error. */
export interface ErrorClass {
  /** The normalized {@link StorageError} code. */
  readonly code: StorageErrorCode;
  /** Whether repeating the same call may succeed. */
  readonly retryable: boolean;
  /** What went wrong, for the message (never quotes the server's text, which may echo arguments). */
  readonly what: string;
}

const row = (code: StorageErrorCode, retryable: boolean, what: string): ErrorClass => ({ code, retryable, what });

/** Server error replies, by prefix (the reply's first word). */
export const REDIS_REPLY_TABLE: Readonly<Record<string, ErrorClass>> = {
  // "-NOAUTH Authentication required." / "-WRONGPASS invalid username-password pair": the
  // credentials are wrong or missing; repeating the call with them cannot succeed.
  NOAUTH: row("Unauthorized", false, "authentication required"),
  WRONGPASS: row("Unauthorized", false, "invalid username or password"),
  // ACL: the user exists but may not run this command or touch this key.
  NOPERM: row("Forbidden", false, "the ACL user lacks a permission"),
  // "-OOM command not allowed when used memory > 'maxmemory'": the server is full. Not
  // retryable: only freeing memory (or eviction) helps, not repeating the write.
  OOM: row("QuotaExceeded", false, "the server is out of memory (maxmemory)"),
  // "-READONLY You can't write against a read only replica": a failover is in progress or the
  // URL names a replica; after the failover the same write succeeds on the new primary.
  READONLY: row("ServiceUnavailable", true, "the node is a read-only replica"),
  // "-CLUSTERDOWN The cluster is down" / "Hash slot not served": the cluster heals or fails over.
  CLUSTERDOWN: row("ServiceUnavailable", true, "the cluster is down"),
  // "-TRYAGAIN": a multi-key command during resharding.
  TRYAGAIN: row("ServiceUnavailable", true, "the cluster is resharding"),
  // "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'".
  MASTERDOWN: row("ServiceUnavailable", true, "the replica lost its primary"),
  // "-LOADING Redis is loading the dataset in memory".
  LOADING: row("ServiceUnavailable", true, "the server is loading its dataset"),
  // "-BUSY Redis is busy running a script": another client's long script.
  BUSY: row("ServiceUnavailable", true, "the server is busy running a script"),
  // Someone else's data of another type under one of this namespace's Redis keys.
  WRONGTYPE: row("Internal", false, "a Redis key of the namespace holds another data type"),
};

/** Client-side failures, by node-redis error class name or socket errno. */
export const REDIS_CLIENT_TABLE: Readonly<Record<string, ErrorClass>> = {
  // disableOfflineQueue: a command while the connection is down fails at once instead of waiting.
  ClientOfflineError: row("Network", true, "not connected (reconnecting)"),
  ClientClosedError: row("Network", true, "the connection is closed"),
  SocketClosedUnexpectedlyError: row("Network", true, "the connection was lost"),
  DisconnectsClientError: row("Network", true, "the connection was lost"),
  RootNodesUnavailableError: row("Network", true, "no cluster root node is reachable"),
  MaxCommandRedirectionsError: row("ServiceUnavailable", true, "too many cluster redirections"),
  ConnectionTimeoutError: row("Timeout", true, "connecting timed out"),
  SocketTimeoutError: row("Timeout", true, "the socket timed out"),
  // The command timeout: queued too long (TimeoutError) or sent and unanswered (TimeoutReadError,
  // so a write may have been applied; every write here is idempotent, so retrying is safe).
  TimeoutError: row("Timeout", true, "the command timed out"),
  TimeoutReadError: row("Timeout", true, "the command timed out waiting for the reply"),
  ECONNREFUSED: row("Network", true, "connection refused"),
  ECONNRESET: row("Network", true, "connection reset"),
  EPIPE: row("Network", true, "connection closed"),
  EHOSTUNREACH: row("Network", true, "host unreachable"),
  ENETUNREACH: row("Network", true, "network unreachable"),
  ENOTFOUND: row("Network", true, "host name not found"),
  EAI_AGAIN: row("Network", true, "host name lookup failed"),
  ETIMEDOUT: row("Timeout", true, "connecting timed out"),
};

/** What an error is about: the call, the key, and the server as `host:port` (never the URL). */
export interface RedisErrorContext {
  /** The contract operation. */
  operation: string;
  /** The key, when the call has one. */
  key?: string;
  /** `host:port` of the server or seed node, for messages. */
  endpoint: string;
}

/** What {@link classifyRedisError} found. */
export interface RedisErrorClassification {
  /** The table row that applies. */
  row: ErrorClass;
  /** The reply prefix (`WRONGPASS`), node-redis error class or socket errno (`ECONNREFUSED`). */
  providerCode: string;
}

/** The row for `err`, and the provider code to report: the reply prefix, class name or errno. */
export function classifyRedisError(err: unknown): RedisErrorClassification {
  if (err instanceof Error) {
    // node-redis wraps a reply in ErrorReply (SimpleError / BlobError); its message starts with the prefix.
    if (err.constructor.name === "SimpleError" || err.constructor.name === "BlobError" || err.constructor.name === "ErrorReply") {
      const prefix = err.message.split(/\s/, 1)[0] ?? "";
      // A script's runtime error reads "ERR user_script:… OOM …" on some versions: look inside too.
      const found = REDIS_REPLY_TABLE[prefix] ?? Object.entries(REDIS_REPLY_TABLE).find(([p]) => err.message.includes(`-${p} `) || err.message.includes(` ${p} `))?.[1];
      return { row: found ?? row("Internal", false, "the server answered an error"), providerCode: prefix };
    }
    // A connection attempt that gave up (our reconnect strategy refuses to retry before the
    // first success) carries the error that made it give up: a socket error or an AUTH reply.
    if (err.constructor.name === "ReconnectStrategyError") {
      const original = (err as { originalError?: unknown }).originalError;
      if (original instanceof Error && original !== err) return classifyRedisError(original);
    }
    const inner = err;
    const errno = (inner as { code?: unknown }).code;
    if (typeof errno === "string" && REDIS_CLIENT_TABLE[errno]) return { row: REDIS_CLIENT_TABLE[errno], providerCode: errno };
    const name = inner.constructor.name;
    if (REDIS_CLIENT_TABLE[name]) return { row: REDIS_CLIENT_TABLE[name], providerCode: name };
  }
  return { row: row("Internal", false, "unexpected client failure"), providerCode: "Unknown" };
}

/** `err` (anything node-redis or a socket threw) as a {@link StorageError}; a StorageError passes through. */
export function redisError(err: unknown, ctx: RedisErrorContext): StorageError {
  if (err instanceof StorageError) return err;
  const { row: r, providerCode } = classifyRedisError(err);
  return new StorageError({
    code: r.code,
    retryable: r.retryable,
    providerCode,
    message: `redis ${ctx.operation} on ${ctx.endpoint}: ${r.what} (${providerCode})`,
    operation: ctx.operation,
    ...(ctx.key === undefined ? {} : { key: ctx.key }),
    cause: err,
  });
}
