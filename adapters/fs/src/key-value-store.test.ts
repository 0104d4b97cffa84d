import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ManualClock } from "@stowage/core";
import { createFsKeyValueStore } from "./key-value-store.js";
import { freshRoot } from "./test-fs-subjects.js";

const roots: string[] = [];
async function root(): Promise<string> {
  const dir = await freshRoot("unit");
  roots.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of roots) await rm(dir, { recursive: true, force: true });
});

describe("fs key-value store on disk", () => {
  it("get() of an expired key resolves undefined and removes its file; list() hides it at once", async () => {
    const dir = await root();
    const clock = new ManualClock(Date.now());
    const kv = await createFsKeyValueStore({ root: dir, clock });
    await kv.put("short", "x", { ttlSeconds: 1 });
    await kv.put("kept", "y");
    expect((await readdir(join(dir, "kv"))).length).toBe(2);
    clock.advance(1000);
    expect((await kv.list()).keys.map((k) => k.key)).toEqual(["kept"]);
    expect(await kv.get("short")).toBeUndefined();
    expect((await readdir(join(dir, "kv"))).length).toBe(1);
    expect(await kv.delete("short")).toBe(false);
    await kv.close();
  });

  it("put() with expiresAt stores the expiry with the value: it survives a reopen", async () => {
    const dir = await root();
    const at = new Date(Date.now() + 3_600_000);
    const first = await createFsKeyValueStore({ root: dir });
    await first.put("k", "v", { expiresAt: at });
    await first.close();
    const second = await createFsKeyValueStore({ root: dir });
    expect((await second.getWithMetadata("k"))?.expiresAt?.getTime()).toBe(at.getTime());
    await second.close();
  });

  it("putMany() with the same key twice keeps the later entry; deleteMany() reports every key", async () => {
    const kv = await createFsKeyValueStore({ root: await root() });
    const result = await kv.putMany([
      { key: "a", value: "1" },
      { key: "b", value: "2" },
      { key: "a", value: "3" },
    ]);
    expect(result).toEqual({ succeeded: ["a", "b", "a"], failed: [] });
    expect(await kv.getText("a")).toBe("3");
    expect(await kv.deleteMany(["a", "b", "absent"])).toEqual({ succeeded: ["a", "b", "absent"], failed: [] });
    expect((await kv.list()).keys).toEqual([]);
    await kv.close();
  });
});
