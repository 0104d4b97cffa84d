/** `stowage stores`: the configured stores, their providers, contracts and capabilities. */
import type { Command } from "commander";
import type { KeyValueLimits, ObjectStoreLimits } from "@stowage/core";
import type { CommandRunner } from "./command-runner.js";
import { formatBytes } from "./units.js";

/** Registers `stores`. */
export function registerStoresCommand(program: Command, runner: CommandRunner): void {
  program
    .command("stores")
    .description("list the configured stores with their providers and capabilities")
    .addHelpText(
      "after",
      `
Examples:
  stowage stores --config storage.json
  STOWAGE_PROVIDER=memory stowage stores
  stowage stores --json | jq -r 'select(.objects) | .name'

Capabilities are the yes/no entries of each store's limits manifest that are true.`,
    )
    .action((_options: unknown, cmd: Command) =>
      runner.run(cmd, "stores", async (ctx) => {
        const session = await ctx.session();
        for (const name of session.names) {
          const objects = session.objectStore(name)?.limits;
          const kv = session.keyValueStore(name)?.limits;
          const contracts = [objects ? "objects" : "", kv ? "kv" : ""].filter(Boolean);
          const capabilities = [...capabilitiesOf(objects), ...capabilitiesOf(kv)];
          const sizes = [
            objects ? `parts ${formatBytes(objects.multipartMinPartBytes)}..${formatBytes(objects.multipartMaxPartBytes)}` : "",
            kv ? `values ≤ ${formatBytes(kv.putMaxValueBytes)}` : "",
          ].filter(Boolean);
          ctx.out.line(`${name.padEnd(16)} ${session.provider(name).padEnd(10)} ${contracts.join("+").padEnd(12)} ${[...sizes, ...capabilities].join(", ")}`);
          ctx.out.record({
            name,
            provider: session.provider(name),
            contracts,
            capabilities,
            ...(objects ? { objects } : {}),
            ...(kv ? { kv } : {}),
          });
        }
      }),
    );
}

/** The manifest's yes/no entries that are true (the grammar `<op>With<Option>` and bare `<op>`). */
function capabilitiesOf(limits: ObjectStoreLimits | KeyValueLimits | undefined): string[] {
  if (!limits) return [];
  return Object.entries(limits)
    .filter(([, value]) => value === true)
    .map(([name]) => name);
}
