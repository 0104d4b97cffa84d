import { createStorageContainer, loadStorageConfig, type KeyValueStore, type MultipartObjectStore, type StorageContainer } from "@stowage/core";
import type { ConformanceTarget } from "@stowage/conformance";
import { BUILTIN_MODULES } from "./builtin-modules.js";

/**
 * Conformance targets from a storage configuration file: one target per configured store,
 * checked on the contracts its provider offers.
 *
 * A configured store names one namespace or bucket, so cases cannot each get a fresh one.
 * Instead every case gets a fresh container on the same configuration and its cleanup
 * empties the store, which is why the configuration must point at scratch namespaces and
 * buckets: the suite writes, lists and deletes everything in them.
 */
export async function configTargets(file: string): Promise<ConformanceTarget[]> {
  const config = await loadStorageConfig({ file });
  const containers = new WeakMap<object, StorageContainer>();

  const open = async (name: string): Promise<StorageContainer> =>
    createStorageContainer({ stores: { [name]: config.stores[name]! } }, { modules: BUILTIN_MODULES });

  /** A store of `name` in a container of its own, remembered so cleanup can close both. */
  const openStore = async <Store extends object>(name: string, get: (container: StorageContainer) => Store): Promise<Store> => {
    const container = await open(name);
    const store = get(container);
    containers.set(store, container);
    return store;
  };

  // The case may have closed or broken its own store, so the namespace is emptied through a
  // fresh one before both containers are closed.
  const release = async (name: string, store: object, empty: (container: StorageContainer) => Promise<void>): Promise<void> => {
    const cleaner = await open(name);
    try {
      await empty(cleaner);
    } finally {
      await cleaner.close();
      await containers.get(store)?.close();
    }
  };

  const targets: ConformanceTarget[] = [];
  for (const name of Object.keys(config.stores)) {
    // Built once to learn which contracts the store offers, then closed.
    const probe = await open(name);
    const hasKv = offers(() => probe.getKeyValueStore(name));
    const hasObjects = offers(() => probe.getObjectStore(name));
    await probe.close();

    const target: ConformanceTarget = { id: name };
    if (hasKv) {
      target.kv = {
        create: () => openStore(name, (container) => container.getKeyValueStore(name)),
        cleanup: (store) => release(name, store, (cleaner) => emptyKeyValueStore(cleaner.getKeyValueStore(name))),
      };
    }
    if (hasObjects) {
      target.objects = {
        create: () => openStore(name, (container) => container.getObjectStore(name)),
        cleanup: (store) => release(name, store, (cleaner) => emptyObjectStore(cleaner.getObjectStore(name))),
      };
    }
    targets.push(target);
  }
  return targets;
}

function offers(get: () => unknown): boolean {
  try {
    get();
    return true;
  } catch {
    return false;
  }
}

async function emptyKeyValueStore(store: KeyValueStore): Promise<void> {
  const keys: string[] = [];
  for await (const entry of store.keys()) keys.push(entry.key);
  if (keys.length === 0) return;
  if (store.limits.deleteMany) await store.deleteMany(keys);
  else for (const key of keys) await store.delete(key);
}

async function emptyObjectStore(store: MultipartObjectStore): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await store.listMultipartUploads(cursor === undefined ? {} : { cursor });
    for (const upload of page.uploads) await store.abortMultipartUpload(upload.key, upload.uploadId);
    cursor = page.cursor;
  } while (cursor !== undefined);
  for await (const object of store.objects()) await store.deleteObject(object.key);
}
