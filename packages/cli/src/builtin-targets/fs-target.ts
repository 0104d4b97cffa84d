import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "@stowage/core";
import type { ConformanceTarget } from "@stowage/conformance";
import { createFsKeyValueStore, createFsObjectStore, type FsKeyValueStore, type FsObjectStore } from "@stowage/adapter-fs";

/** A fresh directory under the system temp dir for one case's store. */
function freshRoot(kind: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `stowage-conformance-fs-${kind}-`));
}

/**
 * The fs adapter on its default manifests, every case on a fresh temp root that is removed
 * after the case; the TTL cases get a store on a manual clock.
 */
export function fsTarget(): ConformanceTarget {
  return {
    id: "fs",
    details: {
      provider: "fs adapter on a fresh temp directory per case",
      notes: ["the fs manifests (FS_KV_LIMITS, FS_OBJECT_LIMITS): any Unicode key, S3's part and page sizes, no SSE-C, one bucket per root"],
    },
    kv: {
      create: async () => createFsKeyValueStore({ root: await freshRoot("kv") }),
      cleanup: async (store) => {
        await store.close();
        await rm((store as FsKeyValueStore).driver.root, { recursive: true, force: true });
      },
      createWithClock: async () => {
        const clock = new ManualClock(Date.now());
        const store = await createFsKeyValueStore({ root: await freshRoot("kv"), clock });
        return { store, clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms) } };
      },
    },
    objects: {
      create: async () => createFsObjectStore({ root: await freshRoot("objects") }),
      cleanup: async (store) => {
        await store.close();
        await rm((store as FsObjectStore).driver.root, { recursive: true, force: true });
      },
    },
  };
}
