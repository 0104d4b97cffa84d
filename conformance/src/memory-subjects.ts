/**
 * Subjects for the memory adapter: fresh stores, a manual clock for the TTL cases, a small
 * capacity for the quota cases, and the drop hooks. The suite's own tests and `stowage
 * conformance --adapter memory` use them; they are also the worked example of a full subject.
 */
import { ManualClock, type KeyValueLayer, type KeyValueLimits, type ObjectStoreLayer, type ObjectStoreLimits } from "@stowage/core";
import {
  MEMORY_KV_LIMITS,
  MemoryObjectWorld,
  createMemoryKeyValueStore,
  createMemoryObjectStore,
  type MemoryKeyValueStore,
  type MemoryObjectStore,
} from "@stowage/adapter-memory";
import type { KeyValueStoreSubject, MultipartObjectStoreSubject } from "./subject.js";

/** Options of {@link memoryKeyValueSubject}. */
export interface MemoryKeyValueSubjectOptions {
  /** Layers around the memory driver (e.g. core's retry layer, or a deliberately broken one). */
  layers?: KeyValueLayer[];
  /** The manifest the stores keep; default `MEMORY_KV_LIMITS`. */
  limits?: KeyValueLimits;
}

/** Options of {@link memoryObjectSubject}. */
export interface MemoryObjectSubjectOptions {
  /** Layers around the memory driver. */
  layers?: ObjectStoreLayer[];
  /** The manifest the stores keep; default `MEMORY_OBJECT_LIMITS`. */
  limits?: ObjectStoreLimits;
}

/** A key-value subject over fresh memory namespaces, with every optional power. */
export function memoryKeyValueSubject(options: MemoryKeyValueSubjectOptions = {}): KeyValueStoreSubject {
  const base = { ...(options.layers ? { layers: options.layers } : {}), ...(options.limits ? { limits: options.limits } : {}) };
  return {
    create: async () => createMemoryKeyValueStore(base),
    createWithClock: async () => {
      const clock = new ManualClock(Date.now());
      return { store: createMemoryKeyValueStore({ ...base, clock }), clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms) } };
    },
    createWithCapacity: async (bytes) => createMemoryKeyValueStore({ ...base, limits: { ...(options.limits ?? MEMORY_KV_LIMITS), namespaceMaxBytes: bytes } }),
    createWithListWindow: async (keys) => createMemoryKeyValueStore({ ...base, limits: { ...(options.limits ?? MEMORY_KV_LIMITS), listMaxKeys: keys } }),
    dropNamespace: async (store) => (store as MemoryKeyValueStore).driver.dropNamespace(),
  };
}

/** An object subject over fresh memory buckets, each in a world of its own, with every optional power. */
export function memoryObjectSubject(options: MemoryObjectSubjectOptions = {}): MultipartObjectStoreSubject {
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
