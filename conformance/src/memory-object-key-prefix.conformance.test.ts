import { randomUUID } from "node:crypto";
import { createMultipartObjectStore } from "@stowage/core";
import { MemoryObjectStoreDriver, MemoryObjectWorld } from "@stowage/adapter-memory";
import { describeMultipartObjectStore, objectKeyPrefixDriver, type MultipartObjectStoreSubject } from "@stowage/conformance";

// The object suite on key-prefix views of ONE shared memory bucket (as `stowage conformance
// --config` runs a configured bucket), which also holds objects and an open upload sorting
// just before and after every view: listings, uploads and copies must stay inside the view.
const world = new MemoryObjectWorld();
const shared = new MemoryObjectStoreDriver({ world, bucket: "shared" });
const neighbours = createMultipartObjectStore(new MemoryObjectStoreDriver({ world, bucket: "shared" }));
for (const key of ["tenant-", "tenant-0", "tenant-zzzz/x", "u"]) await neighbours.putObject(key, "neighbour");
await neighbours.createMultipartUpload("tenant-1");

const subject: MultipartObjectStoreSubject = {
  create: async () => createMultipartObjectStore(objectKeyPrefixDriver(shared, `tenant-${randomUUID().slice(0, 8)}:`)),
};

describeMultipartObjectStore("memory through a key-prefix view", subject);
