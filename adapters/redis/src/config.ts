/**
 * Options of a Redis store, and the parsing of the plain configuration the DI registry hands to
 * the `redis` provider:
 * `{ "provider": "redis", "url": "redis://user:pass@host:6379", "namespace": "sessions" }` or
 * `{ "provider": "redis", "cluster": { "rootNodes": ["redis://10.0.0.1:6379", …] }, "namespace": "sessions" }`.
 */
import { StorageError, defineLimits, readProviderConfig, type KeyValueLayer, type KeyValueLimits } from "@stowage/core";
import { REDIS_DEFAULT_COMMAND_TIMEOUT_MS, REDIS_DEFAULT_CONNECT_TIMEOUT_MS, REDIS_KV_LIMITS } from "./limits.js";

/** Where the server is: one URL (standalone, or a managed endpoint) or a cluster's seed nodes. */
export type RedisTarget =
  | {
      /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. */
      url: string;
    }
  | {
      /** Seed nodes of a Redis Cluster, each a `redis://` / `rediss://` URL; the client discovers the rest. */
      cluster: {
        /** `redis://` / `rediss://` URLs of some of the cluster's nodes. */
        rootNodes: string[];
      };
    };

/** Options of a Redis key-value store. */
export type RedisKeyValueStoreOptions = RedisTarget & {
  /**
   * The namespace: every Redis key of the store starts with `stowage:{<namespace>}:`, a hash
   * tag, so a namespace lives in one cluster slot. Default `default`. May not contain `{` or `}`.
   */
  namespace?: string;
  /** ACL user; overrides the URL's. */
  username?: string;
  /** Password; overrides the URL's. Never printed. */
  password?: string;
  /** Connection timeout; default {@link REDIS_DEFAULT_CONNECT_TIMEOUT_MS}. */
  connectTimeoutMs?: number;
  /** Command timeout, queued or in flight; default {@link REDIS_DEFAULT_COMMAND_TIMEOUT_MS}. */
  commandTimeoutMs?: number;
  /** The manifest to keep; default {@link REDIS_KV_LIMITS}. */
  limits?: KeyValueLimits;
  /** Layers the facade applies around the driver, first is outermost. */
  layers?: KeyValueLayer[];
};

/** Options after defaults: what the driver is built from. */
export type ResolvedRedisOptions = RedisTarget & {
  /** The namespace, checked. */
  namespace: string;
  /** ACL user, when configured apart from the URL. */
  username?: string;
  /** Password, when configured apart from the URL. */
  password?: string;
  /** Connection timeout in milliseconds. */
  connectTimeoutMs: number;
  /** Command timeout in milliseconds. */
  commandTimeoutMs: number;
  /** The manifest. */
  limits: KeyValueLimits;
};

function invalid(message: string): StorageError {
  return new StorageError({ code: "InvalidArgument", message: `redis config: ${message}` });
}

/** A `redis:` / `rediss:` URL, checked without ever quoting it (it may hold a password). */
function checkUrl(url: string, field: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`"${field}" is not a URL`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") throw invalid(`"${field}" must be a redis:// or rediss:// URL`);
  if (parsed.hostname === "") throw invalid(`"${field}" has no host`);
}

/**
 * Applies defaults and checks options given in code; `InvalidArgument` for a bad namespace, URL
 * or timeout. Without `url` and `cluster`, `env.REDIS_URL` is the URL.
 */
export function resolveRedisOptions(options: Omit<RedisKeyValueStoreOptions, "layers"> | Partial<RedisTarget>, env: NodeJS.ProcessEnv = process.env): ResolvedRedisOptions {
  const o = options as Partial<Omit<RedisKeyValueStoreOptions, "layers">> & { url?: string; cluster?: { rootNodes: string[] } };
  const namespace = o.namespace ?? "default";
  // The namespace is the hash tag: a brace would end it early or start another.
  if (namespace === "" || /[{}]/.test(namespace)) throw invalid(`"namespace" must be non-empty and contain no { or }`);
  const common = {
    namespace,
    connectTimeoutMs: o.connectTimeoutMs ?? REDIS_DEFAULT_CONNECT_TIMEOUT_MS,
    commandTimeoutMs: o.commandTimeoutMs ?? REDIS_DEFAULT_COMMAND_TIMEOUT_MS,
    limits: o.limits ?? REDIS_KV_LIMITS,
    ...(o.username === undefined ? {} : { username: o.username }),
    ...(o.password === undefined ? {} : { password: o.password }),
  };
  for (const field of ["connectTimeoutMs", "commandTimeoutMs"] as const) {
    if (!Number.isSafeInteger(common[field]) || common[field] < 1) throw invalid(`"${field}" must be a positive integer`);
  }
  if (o.url !== undefined && o.cluster !== undefined) throw invalid(`set "url" or "cluster", not both`);
  if (o.cluster !== undefined) {
    const roots = o.cluster.rootNodes;
    if (!Array.isArray(roots) || roots.length === 0) throw invalid(`"cluster.rootNodes" must be a non-empty array of URLs`);
    roots.forEach((url, i) => {
      if (typeof url !== "string") throw invalid(`"cluster.rootNodes[${i}]" must be a URL string`);
      checkUrl(url, `cluster.rootNodes[${i}]`);
    });
    return { ...common, cluster: { rootNodes: [...roots] } };
  }
  const url = o.url ?? env.REDIS_URL;
  if (url === undefined || url === "") throw invalid(`set "url" or "cluster.rootNodes" (or the REDIS_URL variable)`);
  checkUrl(url, o.url === undefined ? "REDIS_URL" : "url");
  return { ...common, url };
}

/** The plain-configuration fields other than `cluster`, which is an object the shared reader does not type. */
const REDIS_CONFIG_SCHEMA = {
  provider: "redis",
  fields: {
    url: "string",
    namespace: "string",
    username: "string",
    password: "string",
    connectTimeoutMs: "integer",
    commandTimeoutMs: "integer",
    limits: { limits: [REDIS_KV_LIMITS] },
  },
} as const;

/**
 * Parses the plain configuration of a Redis store; a bad or unknown field raises
 * `InvalidArgument` naming it, never quoting a value.
 */
export function parseRedisConfig(config: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv = process.env): ResolvedRedisOptions {
  const { cluster, ...rest } = config;
  const read = readProviderConfig(rest, REDIS_CONFIG_SCHEMA);
  let target: Partial<RedisTarget> = {};
  if (cluster !== undefined) {
    if (typeof cluster !== "object" || cluster === null || Array.isArray(cluster)) throw invalid(`"cluster" must be an object { "rootNodes": [ … ] }`);
    const unknown = Object.keys(cluster).filter((k) => k !== "rootNodes");
    if (unknown.length > 0) throw invalid(`"cluster.${unknown[0]}" is not a redis cluster option (known: rootNodes)`);
    target = { cluster: { rootNodes: (cluster as { rootNodes?: unknown }).rootNodes as string[] } };
  }
  const { limits, url, ...others } = read;
  return resolveRedisOptions(
    {
      ...others,
      ...target,
      ...(url === undefined ? {} : { url }),
      ...(limits === undefined ? {} : { limits: defineLimits({ ...REDIS_KV_LIMITS, ...limits }) }),
    },
    env,
  );
}
