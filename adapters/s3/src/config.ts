/**
 * Options of the S3 adapter, and the parsing of the plain configuration object the DI registry
 * hands over (`{ provider: "s3", bucket, endpoint?, region?, addressing?, profile?, … }`).
 */
import type { Dispatcher } from "undici";
import { S3_LIMITS, readProviderConfig, systemClock, type Clock, type ObjectStoreLimits } from "@stowage/core";
import { checkAddressingOption, checkBucketOption, checkEndpointOption, configError, resolveS3Credentials, S3_FAMILY_CONFIG_FIELDS } from "@stowage/adapter-s3-family";
import type { Addressing, S3Credentials } from "@stowage/adapter-s3-family";
import type { S3Profile } from "./limits.js";

/** Options of {@link createS3Store}. */
export interface S3Options {
  /** The bucket this store reads and writes. */
  bucket: string;
  /** `https://s3.<region>.amazonaws.com` by default; a compatible engine's `http(s)://host:port`. */
  endpoint?: string;
  /** SigV4 scope region. Default `AWS_REGION`, else `us-east-1`. */
  region?: string;
  /** Default `AWS_ACCESS_KEY_ID`. */
  accessKeyId?: string;
  /** Default `AWS_SECRET_ACCESS_KEY`. */
  secretAccessKey?: string;
  /** Temporary credentials' token. Default `AWS_SESSION_TOKEN` (when the key pair also comes from the environment). */
  sessionToken?: string;
  /** `virtual-host` (`bucket.endpoint`, AWS's default) or `path`; default `virtual-host` for `aws`, `path` for engine profiles. */
  addressing?: Addressing;
  /** The engine: `aws` (default) or a named compatible engine whose manifest declares its divergences. */
  profile?: S3Profile;
  /**
   * Sign streamed bodies chunk by chunk (`aws-chunked`) rather than sending them as
   * `UNSIGNED-PAYLOAD`. Default false. Bodies in memory are always hashed and signed.
   */
  chunkedUploads?: boolean;
  /** Overrides of the profile's manifest, e.g. a small `multipartMinPartBytes` matching a test engine. */
  limits?: Partial<ObjectStoreLimits>;
  /** The clock for `x-amz-date`. Default: the system clock. */
  clock?: Clock;
  /** A shared undici dispatcher; default: one keep-alive Agent per store. */
  dispatcher?: Dispatcher;
  /** Largest stream without `contentLength` a single PUT buffers (default 8 MiB). */
  maxBufferedBodyBytes?: number;
}

/** {@link S3Options} with every default applied. */
export interface ResolvedS3Options {
  /** Bucket name, checked against the S3 naming rule. */
  readonly bucket: string;
  /** Endpoint origin only (scheme, host, port). */
  readonly endpoint: URL;
  /** SigV4 scope region. */
  readonly region: string;
  /** Key pair (and session token) from the options or the `AWS_*` variables; the secret never prints. */
  readonly credentials: S3Credentials;
  /** Addressing style. */
  readonly addressing: Addressing;
  /** The engine profile. */
  readonly profile: S3Profile;
  /** Whether streamed bodies go `aws-chunked`. */
  readonly chunkedUploads: boolean;
  /** Limit overrides as given (empty when none). */
  readonly limits: Partial<ObjectStoreLimits>;
  /** Clock for `x-amz-date`. */
  readonly clock: Clock;
  /** Shared undici dispatcher, or undefined for one Agent per store. */
  readonly dispatcher: Dispatcher | undefined;
  /** Buffering cap for a PUT stream without `contentLength`; undefined for the driver default. */
  readonly maxBufferedBodyBytes: number | undefined;
}

const DEFAULT_REGION = "us-east-1";

/** Where the credentials come from: the two fields, else the standard `AWS_*` variables. */
const AWS_KEYS = {
  provider: "s3",
  idVariable: "AWS_ACCESS_KEY_ID",
  secretVariable: "AWS_SECRET_ACCESS_KEY",
  sessionTokenVariable: "AWS_SESSION_TOKEN",
} as const;

/**
 * Applies defaults and the environment. Raises `InvalidArgument` naming the bad field, and
 * `Unauthorized` when no credentials are found (never echoing a secret).
 */
export function resolveS3Options(options: S3Options, env: NodeJS.ProcessEnv = process.env): ResolvedS3Options {
  const bucket = checkBucketOption("s3", options.bucket);
  const profile = options.profile ?? "aws";
  if (profile !== "aws" && profile !== "ceph-rgw-16") throw configError("s3", "profile", 'must be "aws" or "ceph-rgw-16"');
  const region = options.region ?? (env["AWS_REGION"] || DEFAULT_REGION);
  if (!/^[a-z0-9-]+$/i.test(region)) throw configError("s3", "region", "must be a region name such as us-east-1");
  const endpoint = checkEndpointOption("s3", options.endpoint ?? `https://s3.${region}.amazonaws.com`, "https://s3.eu-west-1.amazonaws.com");
  const addressing = checkAddressingOption("s3", options.addressing ?? (profile === "aws" ? "virtual-host" : "path"), bucket, endpoint);
  const credentials = resolveS3Credentials(AWS_KEYS, options, env);
  return {
    bucket,
    endpoint,
    region,
    credentials,
    addressing,
    profile,
    chunkedUploads: options.chunkedUploads === true,
    limits: options.limits ?? {},
    clock: options.clock ?? systemClock,
    dispatcher: options.dispatcher,
    maxBufferedBodyBytes: options.maxBufferedBodyBytes,
  };
}

/** The fields of the plain configuration; secrets are read as strings and never quoted. */
const S3_CONFIG_SCHEMA = {
  provider: "s3",
  fields: {
    ...S3_FAMILY_CONFIG_FIELDS,
    sessionToken: "string",
    profile: { oneOf: ["aws", "ceph-rgw-16"] },
    chunkedUploads: "boolean",
    limits: { limits: [S3_LIMITS] },
  },
  required: ["bucket"],
} as const;

/**
 * Reads the plain (JSON-compatible) configuration of one named store: `{ bucket, endpoint?,
 * region?, accessKeyId?, secretAccessKey?, sessionToken?, addressing?, profile?,
 * chunkedUploads?, limits?, maxBufferedBodyBytes? }`, numbers and flags also as strings.
 * Unknown fields and wrong types raise `InvalidArgument` naming the field.
 */
export function parseS3Config(config: Readonly<Record<string, unknown>>): S3Options {
  return readProviderConfig(config, S3_CONFIG_SCHEMA);
}
