/** Conditional GET and HEAD: the four conditions alone and in the RFC 9110 combinations. */
import type { ObjectRegistry } from "../case-context.js";
import { checkBytes, checkEqual, rejects } from "../assertions.js";
import { bytesOf, pattern } from "../case-data.js";
import { CONDITION_SCENARIOS, describeOutcome } from "../condition-scenarios.js";
import { objects } from "../requirements.js";
import { OBJECT_CONTRACT } from "../sources.js";

/** Registers the conditional read cases. */
export function register(registry: ObjectRegistry): void {
  const conditional = objects.claims("getObjectWithConditions");
  for (const scenario of CONDITION_SCENARIOS) {
    registry.add({
      id: `objects.conditional.get.${scenario.slug}`,
      area: "objects.conditional",
      rule: `getObject() with ${scenario.given} ${describeOutcome(scenario.expected, "returns the object")}`,
      source: scenario.source,
      requires: [conditional],
      run: async (ctx) => {
        const body = pattern(64);
        await ctx.store.putObject("o", body);
        const target = await ctx.store.headObject("o");
        const call = ctx.store.getObject("o", scenario.conditions(target));
        if (scenario.expected === "proceed") checkBytes(await bytesOf((await call).body), body, "body");
        else await rejects(call, scenario.expected, "getObject()");
      },
    });
    registry.add({
      id: `objects.conditional.head.${scenario.slug}`,
      area: "objects.conditional",
      rule: `headObject() with ${scenario.given} ${describeOutcome(scenario.expected, "returns the object's info")}`,
      source: scenario.source,
      requires: [conditional],
      run: async (ctx) => {
        await ctx.store.putObject("o", pattern(64));
        const target = await ctx.store.headObject("o");
        const call = ctx.store.headObject("o", scenario.conditions(target));
        if (scenario.expected === "proceed") checkEqual((await call).etag, target.etag, "etag");
        else await rejects(call, scenario.expected, "headObject()");
      },
    });
  }
  registry.add({
    id: "objects.conditional.missing-object",
    area: "objects.conditional",
    rule: "getObject() of a missing key with If-Match rejects NotFound",
    source: OBJECT_CONTRACT,
    requires: [conditional],
    run: async (ctx) => {
      await rejects(ctx.store.getObject("missing", { ifMatch: "*" }), "NotFound", "getObject()");
    },
  });
  registry.add({
    id: "objects.conditional.unsupported",
    area: "objects.conditional",
    rule: "getObject() with a condition on a store that does not claim getObjectWithConditions rejects Unsupported",
    source: OBJECT_CONTRACT,
    requires: [objects.lacks("getObjectWithConditions")],
    run: async (ctx) => {
      const { etag } = await ctx.store.putObject("o", "abc");
      await rejects(ctx.store.getObject("o", { ifMatch: etag }), "Unsupported", "getObject()");
    },
  });
}
