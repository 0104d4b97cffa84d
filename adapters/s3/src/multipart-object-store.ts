/**
 * The S3 `MultipartObjectStore`: the S3-family driver with the S3 dialect and the profile's
 * manifest. Everything multipart lives in `@stowage/adapter-s3-family` and core.
 */
import { createMultipartObjectStore, withObjectRetry, type MultipartObjectStore, type MultipartObjectStoreDriver, type ObjectStoreLayer, type RetryOptions } from "@stowage/core";
import { createS3FamilyDriver } from "@stowage/adapter-s3-family";
import { resolveS3Options, type S3Options } from "./config.js";
import { s3Dialect } from "./dialect.js";
import { s3LimitsWith } from "./limits.js";

/** The S3 driver (no facade, no layers): what the DI provider hands to the container. */
export function createS3Driver(options: S3Options): MultipartObjectStoreDriver {
  const o = resolveS3Options(options);
  return createS3FamilyDriver({
    dialect: s3Dialect,
    limits: s3LimitsWith(o.profile, o.limits),
    bucket: o.bucket,
    endpoint: o.endpoint,
    addressing: o.addressing,
    signature: "sigv4",
    region: o.region,
    credentials: o.credentials,
    sigV4ChunkedStreams: o.chunkedUploads,
    clock: o.clock,
    ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
    ...(o.maxBufferedBodyBytes !== undefined ? { maxBufferedBodyBytes: o.maxBufferedBodyBytes } : {}),
  });
}

/** Options of {@link createS3Store}: the adapter's options plus layers and retry. */
export interface CreateS3StoreOptions extends S3Options {
  /** Extra layers, outermost first, placed outside the retry layer. */
  layers?: ObjectStoreLayer[];
  /** Retry of 5xx, SlowDown and network failures (core's retry layer); `false` disables it. */
  retry?: RetryOptions | false;
}

/** An S3 (or S3-compatible engine) bucket as a {@link MultipartObjectStore}, validated, with retries. */
export function createS3Store(options: CreateS3StoreOptions): MultipartObjectStore {
  const layers = [...(options.layers ?? []), ...(options.retry === false ? [] : [withObjectRetry(options.retry ?? {})])];
  return createMultipartObjectStore(createS3Driver(options), { layers });
}
