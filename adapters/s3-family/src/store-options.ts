/**
 * The checks every S3-family store makes on its options (bucket, endpoint, addressing), each
 * raising `InvalidArgument` that names the provider and the field, e.g.
 * `ks3 config: "endpoint" must be …`. Provider defaults stay in each adapter's config.ts.
 */
import { BUCKET_NAME_RULE, StorageError, isValidBucketName, type ProviderFields } from "@stowage/core";
import type { Addressing } from "./s3-request.js";

/** An `InvalidArgument` about one field of `provider`'s configuration. */
export function configError(provider: string, field: string, why: string): StorageError {
  return new StorageError({ code: "InvalidArgument", message: `${provider} config: "${field}" ${why}` });
}

/** The bucket name, checked against core's S3-family naming rule. */
export function checkBucketOption(provider: string, bucket: unknown): string {
  if (!isValidBucketName(bucket)) throw configError(provider, "bucket", `must be ${BUCKET_NAME_RULE}`);
  return bucket;
}

/**
 * The endpoint's origin (scheme, host, port). Anything but an absolute http(s) URL, or one
 * with a path, is refused rather than the path dropped; `example` shows a good value.
 */
export function checkEndpointOption(provider: string, endpoint: unknown, example: string): URL {
  let url: URL | undefined;
  try {
    url = typeof endpoint === "string" ? new URL(endpoint) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || (url.pathname !== "/" && url.pathname !== "")) {
    throw configError(provider, "endpoint", `must be an absolute http(s) URL without a path, e.g. ${example}`);
  }
  return new URL(url.origin);
}

/**
 * The addressing style: `path` or `virtual-host`, and never `virtual-host` for a dotted bucket
 * over HTTPS, whose name as a host label cannot match the wildcard TLS certificate (`*.endpoint`).
 */
export function checkAddressingOption(provider: string, addressing: unknown, bucket: string, endpoint: URL): Addressing {
  if (addressing !== "path" && addressing !== "virtual-host") throw configError(provider, "addressing", 'must be "path" or "virtual-host"');
  if (addressing === "virtual-host" && bucket.includes(".") && endpoint.protocol === "https:") {
    throw configError(provider, "addressing", "virtual-host with a dotted bucket name cannot match the TLS certificate; use path");
  }
  return addressing;
}

/**
 * The plain-configuration fields every S3-family store reads, for its `readProviderConfig`
 * schema to extend with its own; secrets are read as strings and never quoted.
 */
export const S3_FAMILY_CONFIG_FIELDS = {
  /** The bucket name. */
  bucket: "string",
  /** The endpoint URL. */
  endpoint: "string",
  /** The SigV4 scope region. */
  region: "string",
  /** The access key id. */
  accessKeyId: "string",
  /** The secret access key. */
  secretAccessKey: "string",
  /** `virtual-host` or `path`. */
  addressing: {
    /** The accepted values. */
    oneOf: ["virtual-host", "path"],
  },
  /** The buffering cap of a PUT stream without `contentLength`. */
  maxBufferedBodyBytes: "integer",
} as const satisfies ProviderFields;
