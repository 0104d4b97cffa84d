import { randomUUID } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import {
  createStorageContainer,
  normalizeStorageConfig,
  StorageError,
  type KeyValueStore,
  type MultipartObjectStore,
  type StorageConfig,
  type StorageContainer,
  type StorageProvider,
  type StoreConfig,
} from "@stowage/core";
import { keyPrefixDriver, objectKeyPrefixDriver, redactCredentials, type ConformanceTarget } from "@stowage/conformance";
import { BUILTIN_MODULES } from "./builtin-modules.js";
import { loadAdapterModules, type AdapterModuleSpecifier } from "./load-adapter-modules.js";

/** Options of {@link configTargets}. */
export interface ConfigTargetsOptions {
  /** Adapter modules to load besides the built-in adapters and the file's own `modules` (`--module`). */
  modules?: readonly AdapterModuleSpecifier[];
}

/** A configuration file is a few stores, not a data set. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Reads a `--config` file: a storage configuration, plus an optional `modules` list of adapter
 * packages or paths (relative to the file) that provide the providers it names. Errors call it
 * "the --config file" rather than echo the path typed.
 */
async function readConfigFile(file: string): Promise<{ config: StorageConfig; modules: AdapterModuleSpecifier[] }> {
  const fail = (why: string, cause?: unknown) => new StorageError({ code: "InvalidArgument", message: `the --config file ${why}`, cause });
  let text: string;
  try {
    if ((await stat(file)).size > MAX_FILE_BYTES) throw fail(`is larger than ${MAX_FILE_BYTES} bytes`);
    text = await readFile(file, "utf8");
  } catch (err) {
    if (err instanceof StorageError) throw err;
    throw fail("cannot be read", err);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // No cause: V8's message quotes the text around the error, which may be a secret.
    throw fail("is not valid JSON");
  }
  let modules: AdapterModuleSpecifier[] = [];
  if (typeof json === "object" && json !== null && !Array.isArray(json) && "modules" in json) {
    const { modules: list, ...rest } = json as Record<string, unknown>;
    if (!Array.isArray(list) || !list.every((m): m is string => typeof m === "string" && m !== "")) throw fail("must give modules as a list of package names or paths");
    modules = list.map((specifier, i) => ({ specifier, baseDir: dirname(resolve(file)), label: `modules[${i}] of the --config file` }));
    json = rest;
  }
  return { config: normalizeStorageConfig(json), modules };
}

/** The provider, with every driver it creates seen through a key-prefix view. */
function prefixedProvider(provider: StorageProvider, prefix: string): StorageProvider {
  const { createKeyValueStoreDriver: kv, createMultipartObjectStoreDriver: objects } = provider;
  return {
    id: provider.id,
    description: provider.description,
    ...(kv && { createKeyValueStoreDriver: async (config) => keyPrefixDriver(await kv.call(provider, config), prefix) }),
    ...(objects && { createMultipartObjectStoreDriver: async (config) => objectKeyPrefixDriver(await objects.call(provider, config), prefix) }),
  };
}

/** The endpoint a store names, with any credentials in it redacted; `undefined` when it names none. */
function describeEndpoint(store: StoreConfig): string | undefined {
  return typeof store.endpoint === "string" ? redactCredentials(store.endpoint) : undefined;
}

/**
 * Conformance targets from a storage configuration file: one target per configured store,
 * checked on the contracts its provider offers.
 *
 * A configured store names one namespace or bucket that may hold data and that the cases share.
 * So every case runs in a key-prefix view of its own (`stowage-conformance-<run>-<n>-`): it
 * sees only the keys it wrote, whatever runs beside it, and its cleanup deletes only inside its
 * view. Nothing outside the run's prefixes is ever read as the case's data or deleted.
 */
export async function configTargets(file: string, options: ConfigTargetsOptions = {}): Promise<ConformanceTarget[]> {
  const { config, modules: fileModules } = await readConfigFile(file);
  const extra = await loadAdapterModules([...(options.modules ?? []), ...fileModules]);
  const run = randomUUID().replaceAll("-", "").slice(0, 8);
  let cases = 0;

  const targets: ConformanceTarget[] = [];
  for (const [name, store] of Object.entries(config.stores)) {
    // Built once to find the provider and which contracts the store offers, then closed.
    const probe = await createStorageContainer({ stores: { [name]: store } }, { modules: [...BUILTIN_MODULES, ...extra.modules], providers: extra.providers });
    const provider = probe.providers.get(store.provider);
    const kvLimits = attempt(() => probe.getKeyValueStore(name).limits);
    const objectLimits = attempt(() => probe.getObjectStore(name).limits);
    await probe.close();

    const open = (prefix: string): Promise<StorageContainer> =>
      createStorageContainer({ stores: { [name]: store } }, { providers: [prefixedProvider(provider, prefix)] });
    const containers = new WeakMap<object, StorageContainer>();
    const prefixes = new WeakMap<object, string>();
    /** A store of `name` in a container and a view of its own, remembered so cleanup can close both. */
    const openStore = async <Store extends object>(get: (container: StorageContainer) => Store): Promise<Store> => {
      const prefix = `stowage-conformance-${run}-${++cases}-`;
      const container = await open(prefix);
      const opened = get(container);
      containers.set(opened, container);
      prefixes.set(opened, prefix);
      return opened;
    };
    // The case may have closed or broken its own store, so its view is emptied through a fresh
    // store on the same prefix before both are closed.
    const release = async (opened: object, empty: (container: StorageContainer) => Promise<void>): Promise<void> => {
      const prefix = prefixes.get(opened);
      try {
        if (prefix === undefined) return;
        const cleaner = await open(prefix);
        try {
          await empty(cleaner);
        } finally {
          await cleaner.close();
        }
      } finally {
        await containers.get(opened)?.close();
      }
    };

    const target: ConformanceTarget = {
      id: name,
      details: {
        provider: store.provider,
        ...(describeEndpoint(store) !== undefined && { endpoint: describeEndpoint(store) }),
        notes: [`every case runs in a key-prefix view of its own inside the configured store (stowage-conformance-${run}-<case>-); keyMaxBytes is reduced by the prefix's bytes`],
        limits: { ...(kvLimits && { "key-value": kvLimits }), ...(objectLimits && { objects: objectLimits }) },
      },
    };
    if (kvLimits) {
      target.kv = {
        create: () => openStore((container) => container.getKeyValueStore(name)),
        cleanup: (opened) => release(opened, (cleaner) => emptyKeyValueStore(cleaner.getKeyValueStore(name))),
      };
    }
    if (objectLimits) {
      target.objects = {
        create: () => openStore((container) => container.getObjectStore(name)),
        cleanup: (opened) => release(opened, (cleaner) => emptyObjectStore(cleaner.getObjectStore(name))),
      };
    }
    targets.push(target);
  }
  return targets;
}

function attempt<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

/** Deletes every key of a view (the view lists only its own prefix). */
async function emptyKeyValueStore(store: KeyValueStore): Promise<void> {
  const keys: string[] = [];
  for await (const entry of store.keys()) keys.push(entry.key);
  if (keys.length === 0) return;
  if (store.limits.deleteMany) await store.deleteMany(keys);
  else for (const key of keys) await store.delete(key);
}

/** Aborts every open upload and deletes every object of a view (the view lists only its own prefix). */
async function emptyObjectStore(store: MultipartObjectStore): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await store.listMultipartUploads(cursor === undefined ? {} : { cursor });
    for (const upload of page.uploads) await store.abortMultipartUpload(upload.key, upload.uploadId);
    cursor = page.cursor;
  } while (cursor !== undefined);
  for await (const object of store.objects()) await store.deleteObject(object.key);
}
