/**
 * The memory provider as the DI registry sees it: configuration `{ "provider": "memory" }`
 * gives a fresh, empty store of either kind.
 */
import { providerModule, type StorageProvider } from "@stowage/core";
import { parseMemoryConfig } from "./config.js";
import { MemoryKeyValueStoreDriver } from "./key-value-store.js";
import { MemoryObjectStoreDriver, MemoryObjectWorld } from "./multipart-object-store.js";

/**
 * Creates a memory provider. Object stores it creates that name the same `world` in their
 * configuration share that world's buckets (so one can copy from the other); without a
 * `world`, every store gets a world of its own.
 */
export function createMemoryProvider(): StorageProvider {
  const worlds = new Map<string, MemoryObjectWorld>();
  return {
    id: "memory",
    description: "In-process memory: both contracts, ESA Edge KV and KS3 limits by default; nothing survives the process",
    createKeyValueStoreDriver(config) {
      return new MemoryKeyValueStoreDriver(parseMemoryConfig(config).keyValue);
    },
    createMultipartObjectStoreDriver(config) {
      const { objects: options, world: name } = parseMemoryConfig(config);
      let world: MemoryObjectWorld | undefined;
      if (name !== undefined) {
        world = worlds.get(name) ?? new MemoryObjectWorld();
        worlds.set(name, world);
      }
      return new MemoryObjectStoreDriver(world === undefined ? options : { ...options, world });
    },
  };
}

/** The memory provider (id `memory`), both contracts. */
export const memoryProvider: StorageProvider = createMemoryProvider();

/** The DI module contributing {@link memoryProvider}. */
export const memoryModule: ReturnType<typeof providerModule> = providerModule(memoryProvider);
