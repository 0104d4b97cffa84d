import { afterAll, beforeAll, describe, it } from "vitest";
import { describeKeyValueStore } from "@stowage/conformance";
import { canStartRedisCluster, redisAvailability, startTestRedisCluster, startTestRedisServer, type RedisTarget, type TestRedisCluster, type TestRedisServer } from "./index.js";
import { redisKeyValueSubject } from "./test-redis-subject.js";

// The suite runs on a standalone server and on a three-node cluster: STOWAGE_REDIS_URL names
// a standalone server to use instead of starting one. Without either, a visible skip says why.
const availability = redisAvailability();
if (!availability.available) {
  describe("redis conformance", () => {
    // Locally a visible skip with the reason; in CI (.ci/run installs redis-server) a failure, never a pass.
    it("runs on Redis", (ctx) => {
      if (process.env["CI"]) throw new Error(`redis conformance must run in CI: ${availability.reason}`);
      ctx.skip(`redis conformance not run: ${availability.reason}`);
    });
  });
} else {
  let server: TestRedisServer | undefined;
  let cluster: TestRedisCluster | undefined;
  beforeAll(async () => {
    if (availability.via === "spawn") server = await startTestRedisServer();
    if (canStartRedisCluster()) cluster = await startTestRedisCluster();
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await cluster?.close();
  });
  const standalone = (): RedisTarget => ({ url: server?.url ?? process.env.STOWAGE_REDIS_URL! });
  describeKeyValueStore("redis (standalone)", redisKeyValueSubject(standalone));
  if (canStartRedisCluster()) {
    describeKeyValueStore("redis (cluster)", redisKeyValueSubject(() => ({ cluster: { rootNodes: [...cluster!.rootNodes] } })));
  } else {
    describe("redis (cluster)", () => {
      it("is skipped", (ctx) => ctx.skip("redis cluster conformance not run: redis-server and redis-cli are needed to start a cluster"));
    });
  }
}
