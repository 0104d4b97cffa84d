/**
 * The KS3 `MultipartObjectStore`: the S3-family driver with the KS3 dialect. Everything
 * multipart lives in `@stowage/adapter-s3-family` and core; this is configuration only.
 */
import { createMultipartObjectStore, withObjectRetry, type MultipartObjectStore, type MultipartObjectStoreDriver, type ObjectStoreLayer, type RetryOptions } from "@stowage/core";
import { createS3FamilyDriver } from "@stowage/adapter-s3-family";
import { resolveKs3Options, type Ks3Options } from "./config.js";
import { ks3Dialect } from "./dialect.js";
import { ks3LimitsWith } from "./limits.js";

/** The KS3 driver (no facade, no layers): what the DI provider hands to the container. */
export function createKs3Driver(options: Ks3Options): MultipartObjectStoreDriver {
  const o = resolveKs3Options(options);
  return createS3FamilyDriver({
    dialect: ks3Dialect,
    limits: ks3LimitsWith(o.limits),
    bucket: o.bucket,
    endpoint: o.endpoint,
    addressing: o.addressing,
    signature: o.signature === "kss-v2" ? "v2" : "sigv4",
    region: o.region,
    credentials: o.credentials,
    sigV4ChunkedStreams: o.sigv4ChunkedUploads,
    clock: o.clock,
    ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
    ...(o.maxBufferedBodyBytes !== undefined ? { maxBufferedBodyBytes: o.maxBufferedBodyBytes } : {}),
  });
}

/** Options of {@link createKs3Store}: the adapter's options plus layers and retry. */
export interface CreateKs3StoreOptions extends Ks3Options {
  /** Extra layers, outermost first, placed outside the retry layer. */
  layers?: ObjectStoreLayer[];
  /** Retry of 5xx, SlowDown and network failures (core's retry layer); `false` disables it. */
  retry?: RetryOptions | false;
}

/** A KS3 bucket as a {@link MultipartObjectStore}, validated, with retries. */
export function createKs3Store(options: CreateKs3StoreOptions): MultipartObjectStore {
  const layers = [...(options.layers ?? []), ...(options.retry === false ? [] : [withObjectRetry(options.retry ?? {})])];
  return createMultipartObjectStore(createKs3Driver(options), { layers });
}
