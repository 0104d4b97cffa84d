import { randomUUID } from "node:crypto";
import { ManualClock, createKeyValueStore } from "@stowage/core";
import { MemoryKeyValueStoreDriver } from "@stowage/adapter-memory";
import { describeKeyValueStore, type KeyValueStoreSubject } from "@stowage/conformance";
import { keyPrefixDriver } from "./key-prefix-driver.js";

// The key-value suite on key-prefix views of ONE shared memory namespace, which also holds
// neighbours sorting just before and after every view: a wrapper must keep every promise,
// including limits shifted by its prefix and listings that stay inside the view.
const shared = new MemoryKeyValueStoreDriver();
const signal = new AbortController().signal;
for (const neighbour of ["tenant-", "tenant-0", "tenant-zzzz", "u"]) await shared.put(neighbour, new Uint8Array([1]), {}, { signal });

const view = (driver: MemoryKeyValueStoreDriver) => createKeyValueStore(keyPrefixDriver(driver, `tenant-${randomUUID().slice(0, 8)}:`));

const subject: KeyValueStoreSubject = {
  create: async () => view(shared),
  createWithClock: async () => {
    const clock = new ManualClock(Date.now());
    return { store: createKeyValueStore(keyPrefixDriver(new MemoryKeyValueStoreDriver({ clock }), "tenant-clocked:"), { clock }), clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms) } };
  },
};

describeKeyValueStore("memory through a key-prefix view", subject);
