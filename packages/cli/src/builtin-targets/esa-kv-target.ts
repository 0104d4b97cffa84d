import { randomUUID } from "node:crypto";
import { ManualClock, type KeyValueStore } from "@stowage/core";
import type { ConformanceTarget } from "@stowage/conformance";
import { createEsaKvStore, type CreateEsaKvStoreOptions, type EsaKvStore } from "@stowage/adapter-esa-kv";
import { startEsaKvEmulator, type EsaKvEmulatorOptions } from "@stowage/emulator-esa-kv";

/**
 * The ESA Edge KV adapter (`createEsaKvStore`, as applications get it, with its retry layer)
 * against the ESA emulator in-process. Every case gets its own emulator on an ephemeral port,
 * so a case may own the emulator's clock or capacity without disturbing another.
 */
export function esaKvTarget(): ConformanceTarget {
  const emulators = new WeakMap<KeyValueStore, { close(): Promise<void> }>();
  const storeOnEmulator = async (emulatorOptions: EsaKvEmulatorOptions = {}, storeOptions: Partial<CreateEsaKvStoreOptions> = {}): Promise<EsaKvStore> => {
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
  };
  return {
    id: "esa-kv",
    details: {
      provider: "esa-kv adapter on the ESA Edge KV emulator, in-process (one emulator per case, on an ephemeral 127.0.0.1 port)",
      notes: ["the ESA Edge KV manifest as documented; only the capacity, list-window and clock cases run on emulators configured for them"],
    },
    kv: {
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
      createWithListWindow: (keys) => storeOnEmulator({ limits: { listMaxKeys: keys } }, { limits: { listMaxKeys: keys } }),
      dropNamespace: (store) => (store as EsaKvStore).deleteNamespace(),
      reportsProviderCodes: true,
    },
  };
}
