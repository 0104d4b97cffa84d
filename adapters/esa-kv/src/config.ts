/**
 * Options of the ESA Edge KV adapter, and the parsing of the plain configuration object the DI
 * registry hands over (`{ provider: "esa-kv", namespace, endpoint, … }`).
 */
import {
  AccessKeyPair,
  ESA_KV_LIMITS,
  StorageError,
  readProviderConfig,
  resolveAccessKeyPair,
  systemClock,
  type Clock,
  type KeyValueLimits,
} from "@stowage/core";

/**
 * An AccessKey pair: core's {@link AccessKeyPair}, under the name this adapter has always
 * exported. The secret never shows up in `util.inspect`, `JSON.stringify`, `toString` or an
 * error's `cause`; only the signer reads it.
 */
export const EsaKvCredentials = AccessKeyPair;
/** An AccessKey pair (see the value of the same name). */
export type EsaKvCredentials = AccessKeyPair;

/** Where the credentials come from when no {@link EsaKvCredentials} object is given. */
const ESA_KV_KEYS = {
  provider: "esa-kv",
  idField: "accessKeyId",
  secretField: "accessKeySecret",
  idVariable: "ALIBABA_CLOUD_ACCESS_KEY_ID",
  secretVariable: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  providerCode: "InvalidCredentials",
} as const;

/** Options of {@link createEsaKvStore} and of the driver behind it. */
export interface EsaKvOptions {
  /** The namespace this store reads and writes (created with CreateKvNamespace). */
  namespace: string;
  /**
   * The ESA OpenAPI endpoint, a full URL such as `https://esa.cn-hangzhou.aliyuncs.com` or an
   * emulator's `http://127.0.0.1:PORT`. Default: `https://esa.{regionId}.aliyuncs.com`.
   */
  endpoint?: string;
  /** Region of the account; sent to AuthorizeFileUpload. Default `cn-hangzhou`. */
  regionId?: string;
  /** AccessKey ID; default `ALIBABA_CLOUD_ACCESS_KEY_ID`. */
  accessKeyId?: string;
  /** AccessKey secret; default `ALIBABA_CLOUD_ACCESS_KEY_SECRET`. */
  accessKeySecret?: string;
  /** Credentials object, instead of the two fields above. */
  credentials?: EsaKvCredentials;
  /**
   * Where AuthorizeFileUpload (product OpenPlatform) is called for values over
   * `putMaxValueBytes`. Default: `https://openplatform.aliyuncs.com` (the SDK's default host)
   * when `endpoint` is an Alibaba Cloud host, else `endpoint` itself (an emulator or proxy
   * serves all three), so a store pointed elsewhere never sends anything to Alibaba Cloud.
   */
  openPlatformEndpoint?: string;
  /**
   * Where the OSS PostObject upload of a large value goes. Default: the bucket host
   * AuthorizeFileUpload names, `https://{Bucket}.{Endpoint}`, when `endpoint` is an Alibaba
   * Cloud host, else `endpoint` itself (as for `openPlatformEndpoint`).
   */
  ossEndpoint?: string;
  /** Overrides of the limits manifest, e.g. smaller values for cheap boundary tests. */
  limits?: Partial<KeyValueLimits>;
  /** Keep-alive connections per origin. Default 16. */
  connections?: number;
  /** Milliseconds without response headers (or without body data) before a call fails with `Timeout`. Default 30,000. (The DI config's `timeoutMs` is the per-call timeout layer instead.) */
  idleTimeoutMs?: number;
  /** The clock for `x-acs-date`; share the emulator's clock in tests. Default: the system clock. */
  clock?: Clock;
}

/** {@link EsaKvOptions} with every default applied. */
export interface ResolvedEsaKvOptions {
  /** The namespace the store is bound to; never empty. */
  readonly namespace: string;
  /** ESA OpenAPI origin (scheme, host, port; any path dropped). */
  readonly endpoint: string;
  /** Region sent to AuthorizeFileUpload; `cn-hangzhou` unless configured. */
  readonly regionId: string;
  /** AccessKey pair: the one given, else from the config fields or `ALIBABA_CLOUD_ACCESS_KEY_*`. */
  readonly credentials: EsaKvCredentials;
  /** OpenPlatform origin for AuthorizeFileUpload. */
  readonly openPlatformEndpoint: string;
  /** Origin that overrides the bucket host for OSS uploads; undefined to use `https://{Bucket}.{Endpoint}`. */
  readonly ossEndpoint: string | undefined;
  /** Limit overrides as given (empty when none); merged over the ESA manifest by the driver. */
  readonly limits: Partial<KeyValueLimits>;
  /** Keep-alive connections per origin, a positive integer (16 unless configured). */
  readonly connections: number;
  /** Headers and body idle timeout in ms, positive (30,000 unless configured). */
  readonly idleTimeoutMs: number;
  /** Clock for request dates and for turning a remaining TTL into an instant. */
  readonly clock: Clock;
}

const DEFAULT_REGION = "cn-hangzhou";
// The SDK's fallback: `openPlatformEndpoint = client.OpenPlatformEndpoint || "openplatform.aliyuncs.com"`.
const DEFAULT_OPEN_PLATFORM_ENDPOINT = "https://openplatform.aliyuncs.com";

/** Alibaba Cloud's API domains: an endpoint under one of them talks to the real service. */
const ALIBABA_CLOUD_DOMAINS = ["aliyuncs.com", "aliyun.com", "alibabacloud.com"];

/** Whether `origin`'s host is Alibaba Cloud's (`esa.cn-hangzhou.aliyuncs.com`), not an emulator or a proxy. */
export function isAlibabaCloudEndpoint(origin: string): boolean {
  const host = new URL(origin).hostname.toLowerCase().replace(/\.$/, "");
  return ALIBABA_CLOUD_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

function invalid(field: string, why: string): StorageError {
  return new StorageError({ code: "InvalidArgument", message: `esa-kv config: "${field}" ${why}` });
}

function checkUrl(field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(field, "must be an absolute http(s) URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalid(field, "must be an absolute http(s) URL");
  return url.origin;
}

/**
 * Applies defaults and the environment. Raises `InvalidArgument` naming the bad field, and
 * `Unauthorized` when no credentials are found (never echoing a secret).
 */
export function resolveEsaKvOptions(options: EsaKvOptions, env: NodeJS.ProcessEnv = process.env): ResolvedEsaKvOptions {
  if (typeof options.namespace !== "string" || options.namespace === "") throw invalid("namespace", "must be a non-empty string");
  const regionId = options.regionId ?? DEFAULT_REGION;
  const credentials = options.credentials ?? resolveAccessKeyPair(ESA_KV_KEYS, { id: options.accessKeyId, secret: options.accessKeySecret }, env);
  const connections = options.connections ?? 16;
  if (!Number.isSafeInteger(connections) || connections < 1) throw invalid("connections", "must be a positive integer");
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  if (!Number.isFinite(idleTimeoutMs) || idleTimeoutMs <= 0) throw invalid("idleTimeoutMs", "must be a positive number");
  const endpoint = checkUrl("endpoint", options.endpoint ?? `https://esa.${regionId}.aliyuncs.com`);
  // An endpoint that is not Alibaba Cloud's (the emulator, a proxy) serves OpenPlatform and the
  // OSS upload too: deriving them from it keeps a large value from going to the real hosts.
  const onAlibabaCloud = isAlibabaCloudEndpoint(endpoint);
  return {
    namespace: options.namespace,
    endpoint,
    regionId,
    credentials,
    openPlatformEndpoint: checkUrl("openPlatformEndpoint", options.openPlatformEndpoint ?? (onAlibabaCloud ? DEFAULT_OPEN_PLATFORM_ENDPOINT : endpoint)),
    ossEndpoint: options.ossEndpoint !== undefined ? checkUrl("ossEndpoint", options.ossEndpoint) : onAlibabaCloud ? undefined : endpoint,
    limits: options.limits ?? {},
    connections,
    idleTimeoutMs,
    clock: options.clock ?? systemClock,
  };
}

/** The fields of the plain configuration; secrets are read as strings and never quoted. */
const ESA_KV_CONFIG_SCHEMA = {
  provider: "esa-kv",
  fields: {
    namespace: "string",
    endpoint: "string",
    regionId: "string",
    accessKeyId: "string",
    accessKeySecret: "string",
    openPlatformEndpoint: "string",
    ossEndpoint: "string",
    connections: "integer",
    idleTimeoutMs: "integer",
    limits: { limits: [ESA_KV_LIMITS] },
  },
  required: ["namespace"],
} as const;

/**
 * Reads the plain (JSON-compatible) configuration of one named store, as the DI registry passes
 * it: `{ namespace, endpoint?, regionId?, accessKeyId?, accessKeySecret?, openPlatformEndpoint?,
 * ossEndpoint?, connections?, idleTimeoutMs?, limits? }`, numbers also as decimal strings (as
 * `STOWAGE_*` variables give them). Unknown fields and wrong types raise `InvalidArgument`
 * naming the field.
 */
export function parseEsaKvConfig(config: Readonly<Record<string, unknown>>): EsaKvOptions {
  return readProviderConfig(config, ESA_KV_CONFIG_SCHEMA);
}
