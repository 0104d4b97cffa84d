/** The DI registration of KS3: selectable by configuration `{ provider: "ks3", bucket, endpoint, … }`. */
import { providerModule, type StorageProvider } from "@stowage/core";
import { parseKs3Config } from "./config.js";
import { createKs3Driver } from "./multipart-object-store.js";

/** The `ks3` provider: a MultipartObjectStore on one Kingsoft Cloud KS3 bucket. */
export const ks3Provider: StorageProvider = {
  id: "ks3",
  description: "Kingsoft Cloud KS3 (MultipartObjectStore on one bucket)",
  createMultipartObjectStoreDriver: (config) => createKs3Driver(parseKs3Config(config)),
};

/** The inversify module that registers {@link ks3Provider}. */
export const ks3Module = providerModule(ks3Provider);
