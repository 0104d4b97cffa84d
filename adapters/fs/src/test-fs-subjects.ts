/**
 * Conformance subjects over fresh fs stores: every store gets a temp root of its own, removed
 * by `cleanup`. The TTL cases get a store on a manual clock. Test helper, not shipped.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock, type KeyValueLimits, type ObjectStoreLimits } from "@stowage/core";
import type { KeyValueStoreSubject, MultipartObjectStoreSubject } from "@stowage/conformance";
import { createFsKeyValueStore, createFsObjectStore, type FsKeyValueStore, type FsObjectStore } from "./index.js";

/** A fresh temp directory for one store. */
export function freshRoot(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `stowage-fs-${label}-`));
}

/** A key-value subject on fresh fs roots. */
export function fsKeyValueSubject(limits?: KeyValueLimits): KeyValueStoreSubject {
  const base = limits === undefined ? {} : { limits };
  return {
    create: async () => createFsKeyValueStore({ ...base, root: await freshRoot("kv") }),
    cleanup: async (store) => {
      await store.close();
      await rm((store as FsKeyValueStore).driver.root, { recursive: true, force: true });
    },
    createWithClock: async () => {
      const clock = new ManualClock(Date.now());
      const store = await createFsKeyValueStore({ ...base, root: await freshRoot("kv"), clock });
      return { store, clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms) } };
    },
  };
}

/** An object subject on fresh fs roots. */
export function fsObjectSubject(limits?: ObjectStoreLimits): MultipartObjectStoreSubject {
  const base = limits === undefined ? {} : { limits };
  return {
    create: async () => createFsObjectStore({ ...base, root: await freshRoot("objects") }),
    cleanup: async (store) => {
      await store.close();
      await rm((store as FsObjectStore).driver.root, { recursive: true, force: true });
    },
  };
}
