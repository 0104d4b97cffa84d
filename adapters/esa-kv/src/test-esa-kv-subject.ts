/**
 * The conformance subject for ESA Edge KV: every store gets its own in-process emulator on an
 * ephemeral port (so cases are isolated and a case may own the emulator's clock or capacity),
 * and the store is the one applications get, `createEsaKvStore`, with its retry layer.
 */
import { randomUUID } from "node:crypto";
import { ManualClock, type KeyValueStore } from "@stowage/core";
import type { KeyValueStoreSubject } from "@stowage/conformance";
import { startEsaKvEmulator, type EsaKvEmulatorOptions } from "@stowage/emulator-esa-kv";
import { createEsaKvStore, type EsaKvStore } from "./key-value-store.js";
import type { CreateEsaKvStoreOptions } from "./key-value-store.js";

const emulators = new WeakMap<KeyValueStore, { close(): Promise<void> }>();

async function storeOnEmulator(emulatorOptions: EsaKvEmulatorOptions = {}, storeOptions: Partial<CreateEsaKvStoreOptions> = {}): Promise<EsaKvStore> {
  const namespace = `conformance_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const emulator = await startEsaKvEmulator({ namespaces: [namespace], ...emulatorOptions });
  const store = createEsaKvStore({
    namespace,
    endpoint: emulator.endpoint,
    openPlatformEndpoint: emulator.openPlatformEndpoint,
    ossEndpoint: emulator.ossEndpoint,
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: emulator.accessKeySecret,
    ...storeOptions,
  });
  emulators.set(store, emulator);
  return store;
}

/** ESA Edge KV through `createEsaKvStore`, each store on a fresh emulator. */
export function esaKvSubject(): KeyValueStoreSubject {
  return {
    create: () => storeOnEmulator(),
    cleanup: async (store) => {
      await store.close();
      await emulators.get(store)?.close();
    },
    createWithClock: async () => {
      const clock = new ManualClock(Date.now());
      const store = await storeOnEmulator({ clock }, { clock });
      return { store, clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms) } };
    },
    createWithCapacity: (bytes) => storeOnEmulator({ limits: { namespaceCapacityBytes: bytes } }, { limits: { namespaceMaxBytes: bytes } }),
    dropNamespace: (store) => (store as EsaKvStore).deleteNamespace(),
    reportsProviderCodes: true,
  };
}
