/**
 * Options of the KS3 adapter, and the parsing of the plain configuration object the DI
 * registry hands over (`{ provider: "ks3", bucket, endpoint, … }`).
 */
import type { Dispatcher } from "undici";
import { KS3_LIMITS, readProviderConfig, systemClock, type Clock, type ObjectStoreLimits } from "@stowage/core";
import { checkAddressingOption, checkBucketOption, checkEndpointOption, configError, resolveS3Credentials, S3_FAMILY_CONFIG_FIELDS } from "@stowage/adapter-s3-family";
import type { Addressing, S3Credentials } from "@stowage/adapter-s3-family";

/** How requests are signed: KS3's `KSS AK:sig` (HMAC-SHA1) or AWS SigV4 (ks3-api.md §2). */
export type Ks3Signature = "kss-v2" | "sigv4";

/** Options of {@link createKs3Store}. */
export interface Ks3Options {
  /** The bucket this store reads and writes. */
  bucket: string;
  /** `https://ks3-cn-beijing.ksyuncs.com`, or an emulator's `http://127.0.0.1:PORT`. */
  endpoint: string;
  /**
   * SigV4 scope region. Default: taken from a `ks3-<region>.` endpoint host, else `cn-beijing`.
   * (KS3 V4 "兼容 AWS Signature Version 4"; the region string is the caller's to know.)
   */
  region?: string;
  /** Default `KS3_ACCESS_KEY_ID`. */
  accessKeyId?: string;
  /** Default `KS3_SECRET_ACCESS_KEY`. */
  secretAccessKey?: string;
  /**
   * `virtual-host` (`bucket.endpoint`, what every KS3 doc page uses; the default) or `path`.
   * Against an IP-address endpoint the bucket travels in the `Host` header only.
   */
  addressing?: Addressing;
  /** Default `kss-v2`, the scheme of KS3's own SDKs (§9). */
  signature?: Ks3Signature;
  /**
   * With `sigv4`: sign streamed bodies chunk by chunk (`aws-chunked`) rather than sending them
   * as `UNSIGNED-PAYLOAD`. Default false (KS3 documents neither; its official aws-sdk-go fork
   * sends UNSIGNED-PAYLOAD).
   */
  sigv4ChunkedUploads?: boolean;
  /** Overrides of the limits manifest, e.g. a small `multipartMinPartBytes` matching a test emulator. */
  limits?: Partial<ObjectStoreLimits>;
  /** The clock for the `Date` / `x-amz-date` header. Default: the system clock. */
  clock?: Clock;
  /** A shared undici dispatcher; default: one keep-alive Agent per store. */
  dispatcher?: Dispatcher;
  /** Largest stream without `contentLength` a single PUT buffers (default 8 MiB). */
  maxBufferedBodyBytes?: number;
}

/** {@link Ks3Options} with every default applied. */
export interface ResolvedKs3Options {
  /** Bucket name, checked against the S3-family naming rule. */
  readonly bucket: string;
  /** Endpoint origin only (scheme, host, port); a path is refused, not dropped. */
  readonly endpoint: URL;
  /** SigV4 scope region: as given, else from a `ks3-<region>.` host, else `cn-beijing`. */
  readonly region: string;
  /** AccessKey pair from the options or the `KS3_ACCESS_KEY_ID` / `KS3_SECRET_ACCESS_KEY` variables. */
  readonly credentials: S3Credentials;
  /** `virtual-host` unless configured; never `virtual-host` for a dotted bucket over HTTPS. */
  readonly addressing: Addressing;
  /** `kss-v2` unless configured. */
  readonly signature: Ks3Signature;
  /** True only when explicitly enabled; has an effect with `sigv4` only. */
  readonly sigv4ChunkedUploads: boolean;
  /** Limit overrides as given (empty when none); merged over `KS3_LIMITS` by the store. */
  readonly limits: Partial<ObjectStoreLimits>;
  /** Clock for the `Date` / `x-amz-date` header; the system clock unless configured. */
  readonly clock: Clock;
  /** Shared undici dispatcher, or undefined for one keep-alive Agent per store. */
  readonly dispatcher: Dispatcher | undefined;
  /** Buffering cap for a PUT stream without `contentLength`; undefined for the driver default (8 MiB). */
  readonly maxBufferedBodyBytes: number | undefined;
}

const DEFAULT_REGION = "cn-beijing";

/** Where the credentials come from: the two fields, else the two `KS3_*` variables. */
const KS3_KEYS = { provider: "ks3", idVariable: "KS3_ACCESS_KEY_ID", secretVariable: "KS3_SECRET_ACCESS_KEY" } as const;

/**
 * Applies defaults and the environment. Raises `InvalidArgument` naming the bad field, and
 * `Unauthorized` when no credentials are found (never echoing a secret).
 */
export function resolveKs3Options(options: Ks3Options, env: NodeJS.ProcessEnv = process.env): ResolvedKs3Options {
  // Bucket names (ks3-api.md §5, Java `validateBucketName`): core's S3-family rule.
  const bucket = checkBucketOption("ks3", options.bucket);
  const endpoint = checkEndpointOption("ks3", options.endpoint, "https://ks3-cn-beijing.ksyuncs.com");
  const addressing = checkAddressingOption("ks3", options.addressing ?? "virtual-host", bucket, endpoint);
  const signature = options.signature ?? "kss-v2";
  if (signature !== "kss-v2" && signature !== "sigv4") throw configError("ks3", "signature", 'must be "kss-v2" or "sigv4"');
  const region = options.region ?? /^ks3-([a-z0-9-]+)\./.exec(endpoint.hostname)?.[1] ?? DEFAULT_REGION;
  return {
    bucket,
    endpoint,
    region,
    credentials: resolveS3Credentials(KS3_KEYS, options, env),
    addressing,
    signature,
    sigv4ChunkedUploads: options.sigv4ChunkedUploads === true,
    limits: options.limits ?? {},
    clock: options.clock ?? systemClock,
    dispatcher: options.dispatcher,
    maxBufferedBodyBytes: options.maxBufferedBodyBytes,
  };
}

/**
 * The fields of the plain configuration; secrets are read as strings and never quoted.
 * `addressing` and `signature` are checked again by {@link resolveKs3Options}, which also
 * serves callers that pass options directly.
 */
const KS3_CONFIG_SCHEMA = {
  provider: "ks3",
  fields: {
    ...S3_FAMILY_CONFIG_FIELDS,
    signature: { oneOf: ["kss-v2", "sigv4"] },
    sigv4ChunkedUploads: "boolean",
    limits: { limits: [KS3_LIMITS] },
  },
  required: ["bucket", "endpoint"],
} as const;

/**
 * Reads the plain (JSON-compatible) configuration of one named store, as the DI registry passes
 * it: `{ bucket, endpoint, region?, accessKeyId?, secretAccessKey?, addressing?, signature?,
 * sigv4ChunkedUploads?, limits?, maxBufferedBodyBytes? }`, numbers and flags also as strings
 * (as `STOWAGE_*` variables give them). Unknown fields and wrong types raise `InvalidArgument`
 * naming the field.
 */
export function parseKs3Config(config: Readonly<Record<string, unknown>>): Ks3Options {
  return readProviderConfig(config, KS3_CONFIG_SCHEMA);
}
