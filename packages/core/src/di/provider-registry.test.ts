import { describe, expect, it } from "vitest";
import { ProviderRegistry } from "./provider-registry.js";
import { fakeProvider } from "./test-fake-provider.js";

describe("ProviderRegistry", () => {
  it("register() then get() returns the provider, and list() orders by id", () => {
    const b = fakeProvider("b-store");
    const a = fakeProvider("a-store");
    const registry = new ProviderRegistry().register(b).register(a);
    expect(registry.get("a-store")).toBe(a);
    expect(registry.has("b-store")).toBe(true);
    expect(registry.list().map((p) => p.id)).toEqual(["a-store", "b-store"]);
  });

  it("register() of a second provider with a taken id rejects AlreadyExists", () => {
    const registry = new ProviderRegistry().register(fakeProvider("memory"));
    expect(() => registry.register(fakeProvider("memory"))).toThrow(expect.objectContaining({ code: "AlreadyExists" }));
  });

  it("register() of the same provider object twice is a no-op", () => {
    const p = fakeProvider("memory");
    const registry = new ProviderRegistry().register(p).register(p);
    expect(registry.list()).toEqual([p]);
  });

  it("get() of an unknown id raises InvalidArgument listing the known ids", () => {
    const registry = new ProviderRegistry().register(fakeProvider("memory")).register(fakeProvider("esa-kv", ["kv"]));
    expect(() => registry.get("redis")).toThrow(
      expect.objectContaining({ code: "InvalidArgument", message: expect.stringMatching(/"redis".*esa-kv, memory/) }),
    );
  });

  it("get() of a malformed id does not echo it", () => {
    const registry = new ProviderRegistry();
    let message = "";
    try {
      registry.get("AKIA secret/value");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/not a valid id/);
    expect(message).not.toContain("secret");
  });

  it("register() of a provider with a bad id or without driver factories raises InvalidArgument", () => {
    const registry = new ProviderRegistry();
    expect(() => registry.register(fakeProvider("Bad Id"))).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
    expect(() => registry.register(fakeProvider("empty", []))).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
  });
});
