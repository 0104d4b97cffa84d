import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { AccessKeyPair, resolveAccessKeyPair } from "./access-key-pair.js";

const source = { provider: "demo", idField: "accessKeyId", secretField: "secretAccessKey", idVariable: "DEMO_ID", secretVariable: "DEMO_SECRET" };

describe("resolveAccessKeyPair()", () => {
  it("resolveAccessKeyPair() prefers configured values and falls back to the variables field by field", () => {
    const env = { DEMO_ID: "env-id", DEMO_SECRET: "env-secret" };
    expect(resolveAccessKeyPair(source, { id: "a", secret: "b" }, env)).toMatchObject({ accessKeyId: "a" });
    const mixed = resolveAccessKeyPair(source, { id: "a" }, env);
    expect([mixed.accessKeyId, mixed.revealSecret()]).toEqual(["a", "env-secret"]);
    const fromEnv = resolveAccessKeyPair(source, {}, env);
    expect([fromEnv.accessKeyId, fromEnv.revealSecret()]).toEqual(["env-id", "env-secret"]);
  });

  it("resolveAccessKeyPair() without a secret rejects Unauthorized naming the fields and variables, with the source's providerCode", () => {
    let caught: unknown;
    try {
      resolveAccessKeyPair({ ...source, providerCode: "InvalidCredentials" }, { id: "the-id" }, {});
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: "Unauthorized", providerCode: "InvalidCredentials" });
    const message = (caught as Error).message;
    for (const name of ["accessKeyId", "secretAccessKey", "DEMO_ID", "DEMO_SECRET"]) expect(message).toContain(name);
    expect(message).not.toContain("the-id");
  });

  it("resolveAccessKeyPair() with an empty secret variable rejects Unauthorized", () => {
    expect(() => resolveAccessKeyPair(source, {}, { DEMO_ID: "i", DEMO_SECRET: "" })).toThrow(expect.objectContaining({ code: "Unauthorized" }));
  });
});

describe("AccessKeyPair", () => {
  it("AccessKeyPair never shows the secret in inspect, JSON or toString, and a subclass prints its own name", () => {
    class DemoCredentials extends AccessKeyPair {}
    const pair = new DemoCredentials("my-id", "super-secret-value");
    for (const text of [inspect(pair), inspect({ pair }, { depth: 5 }), JSON.stringify({ pair }), String(pair)]) {
      expect(text).not.toContain("super-secret-value");
    }
    expect(String(pair)).toBe("DemoCredentials(my-id)");
    expect(pair.revealSecret()).toBe("super-secret-value");
  });
});
