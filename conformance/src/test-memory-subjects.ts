/** Memory subjects for the suite's own tests: fresh stores, a manual clock, a small capacity, drop hooks. */
import { ManualClock, type KeyValueLayer, type ObjectStoreLayer } from "@stowage/core";
import {
  MEMORY_KV_LIMITS,
  MemoryObjectWorld,
  createMemoryKeyValueStore,
  createMemoryObjectStore,
  type MemoryKeyValueStore,
  type MemoryObjectStore,
} from "@stowage/adapter-memory";
import type { KeyValueStoreSubject, MultipartObjectStoreSubject } from "./subject.js";

/** Options of the memory subjects: layers to wrap the driver in, and manifest overrides. */
export interface MemorySubjectOptions<Layer, Limits> {
  layers?: Layer[];
  limits?: Limits;
}

/** A key-value subject over fresh memory namespaces. */
export function memoryKeyValueSubject(options: MemorySubjectOptions<KeyValueLayer, typeof MEMORY_KV_LIMITS> = {}): KeyValueStoreSubject {
  const base = { ...(options.layers ? { layers: options.layers } : {}), ...(options.limits ? { limits: options.limits } : {}) };
  return {
    create: async () => createMemoryKeyValueStore(base),
    createWithClock: async () => {
      const clock = new ManualClock(Date.now());
      return { store: createMemoryKeyValueStore({ ...base, clock }), clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms) } };
    },
    createWithCapacity: async (bytes) => createMemoryKeyValueStore({ ...base, limits: { ...(options.limits ?? MEMORY_KV_LIMITS), namespaceMaxBytes: bytes } }),
    dropNamespace: async (store) => (store as MemoryKeyValueStore).driver.dropNamespace(),
  };
}

/** An object subject over fresh memory buckets, each in its own world. */
export function memoryObjectSubject(options: MemorySubjectOptions<ObjectStoreLayer, NonNullable<Parameters<typeof createMemoryObjectStore>[0]>["limits"]> = {}): MultipartObjectStoreSubject {
  const base = { ...(options.layers ? { layers: options.layers } : {}), ...(options.limits ? { limits: options.limits } : {}) };
  return {
    create: async () => createMemoryObjectStore({ ...base, world: new MemoryObjectWorld(), bucket: "main" }),
    createOtherBucket: async (store) => {
      const world = (store as MemoryObjectStore).driver.world;
      return { bucket: "other", store: createMemoryObjectStore({ ...base, world, bucket: "other" }) };
    },
    dropBucket: async (store) => (store as MemoryObjectStore).driver.dropBucket(),
  };
}
