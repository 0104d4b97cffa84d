import { describe, expect, it } from "vitest";
import { createMultipartObjectStore } from "./create-multipart-object-store.js";
import { defineLimits } from "./limits.js";
import { isStorageError } from "./storage-error.js";
import { SMALL_OBJECT_LIMITS, fakeObjectDriver } from "./test-fake-drivers.js";

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return isStorageError(err) ? err.code : "not a StorageError";
  }
}

const WITH = defineLimits({ ...SMALL_OBJECT_LIMITS, putObjectWithConditions: true });
const ETAG = '"0123456789abcdef0123456789abcdef"';

describe("putObject() conditional writes at the facade", () => {
  it.each([{ ifNoneMatch: "*" as const }, { ifMatch: ETAG }])("with %j and putObjectWithConditions false rejects Unsupported without calling the driver", async (conditions) => {
    const fake = fakeObjectDriver(defineLimits({ ...SMALL_OBJECT_LIMITS, putObjectWithConditions: false }));
    expect(await codeOf(createMultipartObjectStore(fake.driver).putObject("k", "x", conditions))).toBe("Unsupported");
    expect(fake.ops()).toEqual([]);
  });

  it.each([
    ["ifNoneMatch other than *", { ifNoneMatch: ETAG as "*" }],
    ["ifMatch *", { ifMatch: "*" }],
    ["an empty ifMatch", { ifMatch: " " }],
    ["both conditions", { ifMatch: ETAG, ifNoneMatch: "*" as const }],
  ])("with %s rejects InvalidArgument without calling the driver", async (_what, conditions) => {
    const fake = fakeObjectDriver(WITH);
    expect(await codeOf(createMultipartObjectStore(fake.driver).putObject("k", "x", conditions))).toBe("InvalidArgument");
    expect(fake.ops()).toEqual([]);
  });

  it("with putObjectWithConditions passes ifNoneMatch and ifMatch on to the driver", async () => {
    const fake = fakeObjectDriver(WITH);
    const store = createMultipartObjectStore(fake.driver);
    await store.putObject("k", "x", { ifNoneMatch: "*" });
    await store.putObject("k", "x", { ifMatch: ETAG });
    expect(fake.calls.map((c) => c.args[2])).toEqual([expect.objectContaining({ ifNoneMatch: "*" }), expect.objectContaining({ ifMatch: ETAG })]);
  });
});

describe("completeMultipartUpload() conditional writes at the facade", () => {
  const COMPLETE_WITH = defineLimits({ ...SMALL_OBJECT_LIMITS, completeMultipartUploadWithConditions: true });
  const PARTS = [{ partNumber: 1, etag: ETAG }];

  it.each([{ ifNoneMatch: "*" as const }, { ifMatch: ETAG }])(
    "with %j and completeMultipartUploadWithConditions false rejects Unsupported without calling the driver",
    async (conditions) => {
      // putObjectWithConditions alone does not make Complete conditional: each capability is its own.
      const fake = fakeObjectDriver(defineLimits({ ...SMALL_OBJECT_LIMITS, putObjectWithConditions: true }));
      expect(await codeOf(createMultipartObjectStore(fake.driver).completeMultipartUpload("k", "u", PARTS, conditions))).toBe("Unsupported");
      expect(fake.ops()).toEqual([]);
    },
  );

  it.each([
    ["ifNoneMatch other than *", { ifNoneMatch: ETAG as "*" }],
    ["ifMatch *", { ifMatch: "*" }],
    ["an empty ifMatch", { ifMatch: " " }],
    ["a non-string ifMatch", { ifMatch: 7 as unknown as string }],
    ["both conditions", { ifMatch: ETAG, ifNoneMatch: "*" as const }],
  ])("with %s rejects InvalidArgument without calling the driver", async (_what, conditions) => {
    const fake = fakeObjectDriver(COMPLETE_WITH);
    expect(await codeOf(createMultipartObjectStore(fake.driver).completeMultipartUpload("k", "u", PARTS, conditions))).toBe("InvalidArgument");
    expect(fake.ops()).toEqual([]);
  });

  it("with completeMultipartUploadWithConditions passes ifNoneMatch and ifMatch on to the driver, without the signal", async () => {
    const fake = fakeObjectDriver(COMPLETE_WITH);
    const store = createMultipartObjectStore(fake.driver);
    await store.completeMultipartUpload("k", "u", PARTS, { ifNoneMatch: "*", signal: new AbortController().signal });
    await store.completeMultipartUpload("k", "u", PARTS, { ifMatch: ETAG });
    await store.completeMultipartUpload("k", "u", PARTS);
    expect(fake.calls.map((c) => c.args[3])).toEqual([{ ifNoneMatch: "*" }, { ifMatch: ETAG }, {}]);
  });
});
