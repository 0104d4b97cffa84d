import { describe, expect, it } from "vitest";
import { isStorageError } from "@stowage/core";
import { parseRedisConfig } from "./config.js";
import { REDIS_DEFAULT_COMMAND_TIMEOUT_MS, REDIS_KV_LIMITS } from "./limits.js";

function refusal(config: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): string {
  try {
    parseRedisConfig(config, env);
  } catch (err) {
    expect(isStorageError(err, "InvalidArgument")).toBe(true);
    return (err as Error).message;
  }
  throw new Error("expected InvalidArgument");
}

describe("parseRedisConfig", () => {
  it("reads url, namespace, timeouts and limits overrides; defaults the rest", () => {
    const parsed = parseRedisConfig({ provider: "redis", url: "redis://127.0.0.1:6380", namespace: "sessions", connectTimeoutMs: "2000", limits: { keyMaxBytes: "512" } }, {});
    expect(parsed).toMatchObject({ url: "redis://127.0.0.1:6380", namespace: "sessions", connectTimeoutMs: 2000, commandTimeoutMs: REDIS_DEFAULT_COMMAND_TIMEOUT_MS });
    expect(parsed.limits).toEqual({ ...REDIS_KV_LIMITS, keyMaxBytes: 512 });
    expect(Object.isFrozen(parsed.limits)).toBe(true);
  });

  it("takes REDIS_URL when neither url nor cluster is configured", () => {
    expect(parseRedisConfig({}, { REDIS_URL: "rediss://user:pw@cache.example:6380" })).toMatchObject({ url: "rediss://user:pw@cache.example:6380", namespace: "default" });
  });

  it("reads cluster.rootNodes", () => {
    expect(parseRedisConfig({ cluster: { rootNodes: ["redis://10.0.0.1:7000", "redis://10.0.0.2:7000"] } }, {})).toMatchObject({ cluster: { rootNodes: ["redis://10.0.0.1:7000", "redis://10.0.0.2:7000"] } });
  });

  it("refuses a missing target, both targets, bad URLs, unknown fields and braces in the namespace", () => {
    expect(refusal({})).toContain("REDIS_URL");
    expect(refusal({ url: "redis://a:1", cluster: { rootNodes: ["redis://b:1"] } })).toContain("not both");
    expect(refusal({ url: "http://a:1" })).toContain("redis:// or rediss://");
    expect(refusal({ cluster: { rootNodes: [] } })).toContain("cluster.rootNodes");
    expect(refusal({ cluster: { seeds: [] } })).toContain("cluster.seeds");
    expect(refusal({ url: "redis://a:1", host: "a" })).toContain('"host"');
    expect(refusal({ url: "redis://a:1", namespace: "a}b" })).toContain("namespace");
    expect(refusal({ url: "redis://a:1", limits: { maxThings: 1 } })).toContain("limits.maxThings");
  });

  it("never quotes a URL or password in its messages", () => {
    const message = refusal({ url: "redis://user:hunter2@", password: "hunter2" });
    expect(message).not.toContain("hunter2");
    expect(refusal({ cluster: { rootNodes: ["ftp://user:hunter2@x"] } })).not.toContain("hunter2");
  });
});
