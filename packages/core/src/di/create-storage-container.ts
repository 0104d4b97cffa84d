/**
 * Building stores from plain configuration: each configured store becomes a facade over its
 * provider's driver with the layers in this order, outermost first:
 *
 *   validation (always, by the facade) → retry (unless `retry: false`) → timeout (if `timeoutMs`) → driver
 *
 * so retries only repeat calls that passed validation, and each attempt has its own timeout.
 */
import { Container, type ContainerModule } from "inversify";
import { createKeyValueStore } from "../create-key-value-store.js";
import { createMultipartObjectStore } from "../create-multipart-object-store.js";
import type { KeyValueStore } from "../key-value-store.js";
import type { KeyValueLayer, ObjectStoreLayer } from "../layer.js";
import { withObjectRetry, withRetry } from "../layers/with-retry.js";
import { withObjectTimeout, withTimeout } from "../layers/with-timeout.js";
import type { MultipartObjectStore } from "../multipart-object-store.js";
import { isStorageError, StorageError } from "../storage-error.js";
import type { StorageProvider } from "../storage-provider.js";
import { ProviderRegistry } from "./provider-registry.js";
import { normalizeStorageConfig, providerFields, type StorageConfigInput, type StoreConfig, type StoreKind } from "./storage-config.js";
import { KeyValueStoreToken, MultipartObjectStoreToken, StorageProviderToken } from "./tokens.js";

/** Options of {@link createStorageContainer}. */
export interface CreateStorageContainerOptions {
  /** Modules to load, typically the adapters' (`memoryModule`, `esaKvModule`, …) and the application's own. */
  modules?: ContainerModule[];
  /** Providers to register without a module. */
  providers?: StorageProvider[];
}

/** The configured stores, reachable by name and through the inversify container. */
export interface StorageContainer {
  /**
   * The inversify container: the default stores are bound to {@link KeyValueStoreToken} and
   * {@link MultipartObjectStoreToken}, every store also under its name (`{ name: "cache" }`).
   */
  readonly container: Container;
  /** The providers the configuration could name. */
  readonly providers: ProviderRegistry;
  /** The key-value store configured as `name`, or the default one; `InvalidArgument` naming the choices otherwise. */
  getKeyValueStore(name?: string): KeyValueStore;
  /** The object store configured as `name`, or the default one; `InvalidArgument` naming the choices otherwise. */
  getObjectStore(name?: string): MultipartObjectStore;
  /** Closes every store (all are attempted; the first failure is raised). Idempotent. */
  close(): Promise<void>;
}

/**
 * Builds every store of `config` with the providers from `options.modules` and
 * `options.providers`. Raises `InvalidArgument` naming the field for a bad configuration,
 * an unknown provider id (listing the known ones) or a `kind` the provider lacks, and
 * `AlreadyExists` when two different providers claim one id. Stores built before a failure
 * are closed again.
 */
export async function createStorageContainer(config: StorageConfigInput, options: CreateStorageContainerOptions = {}): Promise<StorageContainer> {
  const { stores, default: defaultName } = normalizeStorageConfig(config);
  const container = new Container();
  await container.loadAsync(...(options.modules ?? []));
  const registry = new ProviderRegistry();
  if (container.isBound(StorageProviderToken)) for (const provider of container.getAll(StorageProviderToken)) registry.register(provider);
  for (const provider of options.providers ?? []) registry.register(provider);

  const kv = new Map<string, KeyValueStore>();
  const objects = new Map<string, MultipartObjectStore>();
  try {
    for (const [name, store] of Object.entries(stores)) await buildStore(name, store, registry, kv, objects);
  } catch (err) {
    // The configuration error is what the caller must see, not a failure while cleaning up.
    await closeAll([...kv.values(), ...objects.values()]).catch(() => undefined);
    throw err;
  }

  const defaultKv = pickDefault(defaultName, kv);
  const defaultObjects = pickDefault(defaultName, objects);
  for (const [name, store] of kv) container.bind(KeyValueStoreToken).toConstantValue(store).whenNamed(name);
  for (const [name, store] of objects) container.bind(MultipartObjectStoreToken).toConstantValue(store).whenNamed(name);
  if (defaultKv) container.bind(KeyValueStoreToken).toConstantValue(kv.get(defaultKv)!).whenDefault();
  if (defaultObjects) container.bind(MultipartObjectStoreToken).toConstantValue(objects.get(defaultObjects)!).whenDefault();

  let closing: Promise<void> | undefined;
  return {
    container,
    providers: registry,
    getKeyValueStore: (name) => lookup({ what: "key-value", method: "getKeyValueStore", stores: kv, other: objects, otherWhat: "object", otherMethod: "getObjectStore" }, name ?? defaultKv),
    getObjectStore: (name) => lookup({ what: "object", method: "getObjectStore", stores: objects, other: kv, otherWhat: "key-value", otherMethod: "getKeyValueStore" }, name ?? defaultObjects),
    close: () => (closing ??= closeAll([...kv.values(), ...objects.values()])),
  };
}

async function buildStore(
  name: string,
  store: StoreConfig,
  registry: ProviderRegistry,
  kv: Map<string, KeyValueStore>,
  objects: Map<string, MultipartObjectStore>,
): Promise<void> {
  const path = `stores.${name}`;
  const provider = await withPath(`${path}.provider`, () => registry.get(store.provider));
  const offers: Record<StoreKind, boolean> = {
    kv: typeof provider.createKeyValueStoreDriver === "function",
    objects: typeof provider.createMultipartObjectStoreDriver === "function",
  };
  if (store.kind && !offers[store.kind]) {
    throw new StorageError({ code: "InvalidArgument", message: `storage config: ${path}.kind: provider "${provider.id}" has no "${store.kind}" stores` });
  }
  const fields = providerFields(store);
  const retry = store.retry === false ? undefined : store.retry;
  if ((store.kind ?? "kv") === "kv" && offers.kv) {
    const driver = await withPath(path, () => provider.createKeyValueStoreDriver!(fields));
    const layers: KeyValueLayer[] = [];
    if (retry) layers.push(withRetry(retry));
    if (store.timeoutMs !== undefined) layers.push(withTimeout({ ms: store.timeoutMs }));
    kv.set(name, createKeyValueStore(driver, { layers }));
  }
  if ((store.kind ?? "objects") === "objects" && offers.objects) {
    const driver = await withPath(path, () => provider.createMultipartObjectStoreDriver!(fields));
    const layers: ObjectStoreLayer[] = [];
    if (retry) layers.push(withObjectRetry(retry));
    if (store.timeoutMs !== undefined) layers.push(withObjectTimeout({ ms: store.timeoutMs }));
    objects.set(name, createMultipartObjectStore(driver, { layers }));
  }
}

/** Runs `fn`, prefixing the message of a `StorageError` it raises with the config path. */
async function withPath<T>(path: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!isStorageError(err)) throw err;
    throw new StorageError({
      code: err.code,
      message: `storage config: ${path}: ${err.message}`,
      providerCode: err.providerCode,
      httpStatus: err.httpStatus,
      requestId: err.requestId,
      retryable: err.retryable,
      cause: err,
    });
  }
}

/** The configured default when it provides the contract, else the only store that does. */
function pickDefault<T>(configured: string | undefined, stores: Map<string, T>): string | undefined {
  if (configured !== undefined && stores.has(configured)) return configured;
  return stores.size === 1 ? [...stores.keys()][0] : undefined;
}

/** One contract's stores, and the other contract's, for messages that point the caller the right way. */
interface StoreTable<T> {
  what: string;
  method: string;
  stores: Map<string, T>;
  other: Map<string, unknown>;
  otherWhat: string;
  otherMethod: string;
}

function lookup<T>(t: StoreTable<T>, name: string | undefined): T {
  const store = name === undefined ? undefined : t.stores.get(name);
  if (store) return store;
  const fail = (message: string) => new StorageError({ code: "InvalidArgument", message });
  const listed = (names: Iterable<string>) => [...names].join(", ");
  if (t.stores.size === 0) {
    // The usual first-run mistake: the config has stores, none of this contract.
    const others = t.other.size ? `; it has ${t.otherWhat} stores (${listed(t.other.keys())}), reached with ${t.otherMethod}()` : "";
    throw fail(`${t.method}(): the storage config has no ${t.what} store${others}. Add one with "kind": "${t.what === "object" ? "objects" : "kv"}" and a provider that offers it`);
  }
  if (name === undefined) {
    throw fail(`${t.method}(): no default ${t.what} store; name one of ${listed(t.stores.keys())}, or set "default" in the storage config`);
  }
  const elsewhere = t.other.has(name) ? ` "${name}" is a ${t.otherWhat} store: use ${t.otherMethod}("${name}").` : "";
  throw fail(`${t.method}(): no ${t.what} store named "${name}"; ${t.what} stores: ${listed(t.stores.keys())}.${elsewhere}`);
}

async function closeAll(stores: Array<{ close(): Promise<void> }>): Promise<void> {
  const failures = (await Promise.allSettled(stores.map((s) => s.close()))).filter((r) => r.status === "rejected");
  if (failures.length) throw (failures[0] as PromiseRejectedResult).reason;
}
