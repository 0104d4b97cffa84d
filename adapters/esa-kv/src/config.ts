/**
 * Options of the ESA Edge KV adapter, and the parsing of the plain configuration object the DI
 * registry hands over (`{ provider: "esa-kv", namespace, endpoint, … }`).
 */
import { inspect } from "node:util";
import { StorageError, systemClock, type Clock, type KeyValueLimits } from "@stowage/core";

/**
 * An AccessKey pair. The secret lives in a private field, so it never shows up in
 * `util.inspect`, `JSON.stringify`, `toString` or an error's `cause`; only the signer reads it.
 */
export class EsaKvCredentials {
  /** The AccessKey ID (not a secret: it travels in every `Authorization` header). */
  readonly accessKeyId: string;
  readonly #accessKeySecret: string;

  constructor(accessKeyId: string, accessKeySecret: string) {
    this.accessKeyId = accessKeyId;
    this.#accessKeySecret = accessKeySecret;
  }

  /** The secret, for the signer only. Never log or store what this returns. */
  revealSecret(): string {
    return this.#accessKeySecret;
  }

  /** Only the key id; the secret is never serialised. */
  toJSON(): { accessKeyId: string } {
    return { accessKeyId: this.accessKeyId };
  }

  /** Only the key id; the secret is never printed. */
  toString(): string {
    return `EsaKvCredentials(${this.accessKeyId})`;
  }

  /** What `console.log` and `util.inspect` show. */
  [inspect.custom](): string {
    return this.toString();
  }
}

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
   * `putMaxValueBytes`. Default `https://openplatform.aliyuncs.com` (the SDK's default host).
   */
  openPlatformEndpoint?: string;
  /**
   * Where the OSS PostObject upload of a large value goes. Default: the bucket host
   * AuthorizeFileUpload names, `https://{Bucket}.{Endpoint}`.
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
  readonly namespace: string;
  readonly endpoint: string;
  readonly regionId: string;
  readonly credentials: EsaKvCredentials;
  readonly openPlatformEndpoint: string;
  readonly ossEndpoint: string | undefined;
  readonly limits: Partial<KeyValueLimits>;
  readonly connections: number;
  readonly idleTimeoutMs: number;
  readonly clock: Clock;
}

const DEFAULT_REGION = "cn-hangzhou";
// The SDK's fallback: `openPlatformEndpoint = client.OpenPlatformEndpoint || "openplatform.aliyuncs.com"`.
const DEFAULT_OPEN_PLATFORM_ENDPOINT = "https://openplatform.aliyuncs.com";

function invalid(field: string, why: string): StorageError {
  return new StorageError({ code: "InvalidArgument", message: `esa-kv config: ${field} ${why}` });
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
  const credentials = options.credentials ?? credentialsFrom(options, env);
  const connections = options.connections ?? 16;
  if (!Number.isSafeInteger(connections) || connections < 1) throw invalid("connections", "must be a positive integer");
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  if (!Number.isFinite(idleTimeoutMs) || idleTimeoutMs <= 0) throw invalid("idleTimeoutMs", "must be a positive number");
  return {
    namespace: options.namespace,
    endpoint: checkUrl("endpoint", options.endpoint ?? `https://esa.${regionId}.aliyuncs.com`),
    regionId,
    credentials,
    openPlatformEndpoint: checkUrl("openPlatformEndpoint", options.openPlatformEndpoint ?? DEFAULT_OPEN_PLATFORM_ENDPOINT),
    ossEndpoint: options.ossEndpoint === undefined ? undefined : checkUrl("ossEndpoint", options.ossEndpoint),
    limits: options.limits ?? {},
    connections,
    idleTimeoutMs,
    clock: options.clock ?? systemClock,
  };
}

function credentialsFrom(options: EsaKvOptions, env: NodeJS.ProcessEnv): EsaKvCredentials {
  const id = options.accessKeyId ?? env["ALIBABA_CLOUD_ACCESS_KEY_ID"];
  const secret = options.accessKeySecret ?? env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"];
  if (!id || !secret) {
    throw new StorageError({
      code: "Unauthorized",
      providerCode: "InvalidCredentials",
      message:
        "esa-kv config: no credentials; set accessKeyId and accessKeySecret or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    });
  }
  return new EsaKvCredentials(id, secret);
}

const STRING_FIELDS = ["namespace", "endpoint", "regionId", "accessKeyId", "accessKeySecret", "openPlatformEndpoint", "ossEndpoint"] as const;
const NUMBER_FIELDS = ["connections", "idleTimeoutMs"] as const;
const KNOWN_FIELDS: ReadonlySet<string> = new Set<string>([...STRING_FIELDS, ...NUMBER_FIELDS, "limits", "provider"]);

/**
 * Reads the plain (JSON-compatible) configuration of one named store, as the DI registry passes
 * it: `{ namespace, endpoint?, regionId?, accessKeyId?, accessKeySecret?, openPlatformEndpoint?,
 * ossEndpoint?, connections?, idleTimeoutMs?, limits? }`. Unknown fields and wrong types raise
 * `InvalidArgument` naming the field.
 */
export function parseEsaKvConfig(config: Readonly<Record<string, unknown>>): EsaKvOptions {
  for (const field of Object.keys(config)) {
    if (!KNOWN_FIELDS.has(field)) throw invalid(field, "is not an esa-kv option");
  }
  const options: Record<string, unknown> = {};
  for (const field of STRING_FIELDS) {
    const value = config[field];
    if (value === undefined) continue;
    if (typeof value !== "string") throw invalid(field, "must be a string");
    options[field] = value;
  }
  for (const field of NUMBER_FIELDS) {
    const value = config[field];
    if (value === undefined) continue;
    if (typeof value !== "number") throw invalid(field, "must be a number");
    options[field] = value;
  }
  const limits = config["limits"];
  if (limits !== undefined) {
    if (typeof limits !== "object" || limits === null || Array.isArray(limits)) throw invalid("limits", "must be an object");
    options["limits"] = limits;
  }
  if (options["namespace"] === undefined) throw invalid("namespace", "is required");
  return options as unknown as EsaKvOptions;
}
