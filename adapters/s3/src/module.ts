/** The DI registration of S3: selectable by configuration `{ provider: "s3", bucket, endpoint?, region?, addressing?, profile?, … }`. */
import { providerModule, type StorageProvider } from "@stowage/core";
import { parseS3Config } from "./config.js";
import { createS3Driver } from "./multipart-object-store.js";

/** The `s3` provider: a MultipartObjectStore on one AWS S3 (or S3-compatible engine) bucket. */
export const s3Provider: StorageProvider = {
  id: "s3",
  description: "AWS S3 or an S3-compatible engine (MultipartObjectStore on one bucket)",
  createMultipartObjectStoreDriver: (config) => createS3Driver(parseS3Config(config)),
};

/** The inversify module that registers {@link s3Provider}. */
export const s3Module = providerModule(s3Provider);
