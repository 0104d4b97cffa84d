/**
 * Options of the S3 adapter, and the parsing of the plain configuration object the DI registry
 * hands over (`{ provider: "s3", bucket, endpoint?, region?, addressing?, profile?, … }`).
 */
import type { Dispatcher } from "undici";
import { BUCKET_NAME_RULE, S3_LIMITS, StorageError, isValidBucketName, readProviderConfig, resolveAccessKeyPair, systemClock, type Clock, type ObjectStoreLimits } from "@stowage/core";
import { S3CredentialPair, S3SessionCredentials, type Addressing, type S3Credentials } from "@stowage/adapter-s3-family";
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
  idField: "accessKeyId",
  secretField: "secretAccessKey",
  idVariable: "AWS_ACCESS_KEY_ID",
  secretVariable: "AWS_SECRET_ACCESS_KEY",
} as const;

function invalid(field: string, why: string): StorageError {
  return new StorageError({ code: "InvalidArgument", message: `s3 config: "${field}" ${why}` });
}

function checkEndpoint(endpoint: unknown): URL {
  let url: URL | undefined;
  try {
    url = typeof endpoint === "string" ? new URL(endpoint) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || (url.pathname !== "/" && url.pathname !== "")) {
    throw invalid("endpoint", "must be an absolute http(s) URL without a path, e.g. https://s3.eu-west-1.amazonaws.com");
  }
  return new URL(url.origin);
}

/**
 * Applies defaults and the environment. Raises `InvalidArgument` naming the bad field, and
 * `Unauthorized` when no credentials are found (never echoing a secret).
 */
export function resolveS3Options(options: S3Options, env: NodeJS.ProcessEnv = process.env): ResolvedS3Options {
  if (!isValidBucketName(options.bucket)) throw invalid("bucket", `must be ${BUCKET_NAME_RULE}`);
  const bucket = options.bucket;
  const profile = options.profile ?? "aws";
  if (profile !== "aws" && profile !== "ceph-rgw-16") throw invalid("profile", 'must be "aws" or "ceph-rgw-16"');
  const region = options.region ?? (env["AWS_REGION"] || DEFAULT_REGION);
  if (!/^[a-z0-9-]+$/i.test(region)) throw invalid("region", "must be a region name such as us-east-1");
  const endpoint = checkEndpoint(options.endpoint ?? `https://s3.${region}.amazonaws.com`);
  const addressing = options.addressing ?? (profile === "aws" ? "virtual-host" : "path");
  if (addressing !== "path" && addressing !== "virtual-host") throw invalid("addressing", 'must be "path" or "virtual-host"');
  if (addressing === "virtual-host" && bucket.includes(".") && endpoint.protocol === "https:") {
    // A dotted bucket as a host label breaks the wildcard TLS certificate (*.endpoint).
    throw invalid("addressing", "virtual-host with a dotted bucket name cannot match the TLS certificate; use path");
  }
  const keys = resolveAccessKeyPair(AWS_KEYS, { id: options.accessKeyId, secret: options.secretAccessKey }, env);
  // A token belongs to the key pair it was issued with: the variable is read only when the pair
  // itself came from the variables, never paired with a configured key.
  const token = options.sessionToken ?? (options.accessKeyId === undefined ? env["AWS_SESSION_TOKEN"] : undefined);
  const credentials = token
    ? new S3SessionCredentials(keys.accessKeyId, keys.revealSecret(), token)
    : new S3CredentialPair(keys.accessKeyId, keys.revealSecret());
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
    bucket: "string",
    endpoint: "string",
    region: "string",
    accessKeyId: "string",
    secretAccessKey: "string",
    sessionToken: "string",
    addressing: { oneOf: ["virtual-host", "path"] },
    profile: { oneOf: ["aws", "ceph-rgw-16"] },
    chunkedUploads: "boolean",
    maxBufferedBodyBytes: "integer",
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
