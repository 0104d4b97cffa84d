/**
 * The composition root: the one place that knows which adapters exist. It loads the storage
 * configuration (a JSON file named by STOWAGE_CONFIG_FILE and/or STOWAGE_* variables; plain
 * memory when there are none), hands the adapter modules to `createStorageContainer`, and
 * runs a short demonstration of the application.
 *
 *   node docs/examples/dist/main.js
 *   STOWAGE_PROVIDER=memory STOWAGE_PROFILE=s3 node docs/examples/dist/main.js
 *   STOWAGE_CONFIG_FILE=./storage.json node docs/examples/dist/main.js   # e.g. esa-kv + ks3
 */
import { pathToFileURL } from "node:url";
import { esaKvModule } from "@stowage/adapter-esa-kv";
import { ks3Module } from "@stowage/adapter-ks3";
import { memoryModule } from "@stowage/adapter-memory";
import { createStorageContainer, loadStorageConfig, type StorageConfigInput } from "@stowage/core";
import { createDocumentService } from "./document-service.js";

/**
 * Every adapter this build can use; a configuration names one of them by id (`memory`,
 * `esa-kv`, `ks3`). Listing a module costs nothing until a store names its provider.
 */
export const STORAGE_MODULES = [memoryModule, esaKvModule, ks3Module];

/** The configuration from the environment, or a plain memory store when nothing is set. */
async function configFromEnvironment(env: NodeJS.ProcessEnv): Promise<StorageConfigInput> {
  const configured = Object.keys(env).some((name) => name.startsWith("STOWAGE_") && env[name]);
  return configured ? loadStorageConfig({ env }) : { provider: "memory" };
}

/** Runs the demonstration, printing a document and a ranged read of its attachment. */
export async function main(env: NodeJS.ProcessEnv = process.env, print: (line: string) => void = console.log): Promise<void> {
  const storage = await createStorageContainer(await configFromEnvironment(env), { modules: STORAGE_MODULES });
  try {
    const service = createDocumentService(storage);
    await service.saveDocument("welcome", { title: "Welcome", body: "Stored wherever the configuration says." });
    await service.attach("welcome", "notes.txt", "attachments live in the object store");
    print(JSON.stringify(await service.getDocument("welcome")));
    print(new TextDecoder().decode(await service.readAttachment("welcome", "notes.txt", { first: 0, last: 10 })));
  } finally {
    await storage.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
