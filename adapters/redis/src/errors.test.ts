import { describe, expect, it } from "vitest";
import { ErrorReply, ReconnectStrategyError, SimpleError, SocketClosedUnexpectedlyError, TimeoutReadError } from "redis";
import { classifyRedisError, redisError } from "./errors.js";

// The live servers in key-value-store.test.ts produce NOAUTH, WRONGPASS, OOM, READONLY,
// CLUSTERDOWN, refused connections and timeouts for real; these rows cover the replies a test
// server cannot be made to send on demand (LOADING, TRYAGAIN, MASTERDOWN, BUSY, NOPERM).
describe("the Redis error table", () => {
  it.each([
    ["LOADING Redis is loading the dataset in memory", "ServiceUnavailable", true],
    ["TRYAGAIN Multiple keys request during rehashing of slot", "ServiceUnavailable", true],
    ["MASTERDOWN Link with MASTER is down", "ServiceUnavailable", true],
    ["BUSY Redis is busy running a script", "ServiceUnavailable", true],
    ["NOPERM User has no permissions to run the 'eval' command", "Forbidden", false],
    ["WRONGTYPE Operation against a key holding the wrong kind of value", "Internal", false],
    ["ERR something unexpected", "Internal", false],
  ] as const)("the reply %s is %s (retryable: %s)", (message, code, retryable) => {
    const { row, providerCode } = classifyRedisError(new SimpleError(message));
    expect([row.code, row.retryable, providerCode]).toEqual([code, retryable, message.split(" ")[0]]);
  });

  it("classifies client-side failures by class and errno", () => {
    expect(classifyRedisError(new SocketClosedUnexpectedlyError()).row.code).toBe("Network");
    expect(classifyRedisError(new TimeoutReadError(300)).row.code).toBe("Timeout");
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(classifyRedisError(new ReconnectStrategyError(refused, refused))).toMatchObject({ row: { code: "Network", retryable: true }, providerCode: "ECONNREFUSED" });
    expect(classifyRedisError(new ReconnectStrategyError(new ErrorReply("WRONGPASS invalid username-password pair"), refused)).row.code).toBe("Unauthorized");
  });

  it("builds a StorageError that names the operation, key and endpoint but not the server's text", () => {
    const err = redisError(new SimpleError("OOM command not allowed when used memory > 'maxmemory'."), { operation: "put", key: "k", endpoint: "10.0.0.1:6379" });
    expect(err.toJSON()).toMatchObject({ code: "QuotaExceeded", providerCode: "OOM", operation: "put", key: "k", retryable: false });
    expect(err.message).toBe("redis put on 10.0.0.1:6379: the server is out of memory (maxmemory) (OOM)");
  });
});
