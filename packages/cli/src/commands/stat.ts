/** `stowage stat ADDR`: what a store knows about one object or key-value entry. */
import type { Command } from "commander";
import { StorageError } from "@stowage/core";
import type { CommandRunner } from "./command-runner.js";
import { storeAddress } from "./store-address.js";

/** Registers `stat`. */
export function registerStatCommand(program: Command, runner: CommandRunner): void {
  program
    .command("stat")
    .description("show size, ETag, content type, date and metadata of an object, or size and expiry of a key-value entry")
    .argument("<address>", "<store>:<key>")
    .addHelpText(
      "after",
      `
Examples:
  stowage stat files:reports/2024.csv
  stowage stat --json cache:session/42

A missing key is NotFound (exit 1).`,
    )
    .action((address: string, _options: unknown, cmd: Command) =>
      runner.run(cmd, address, async (ctx) => {
        const { ref, key } = await storeAddress(ctx, address);
        if (ref.type === "objects") {
          const info = await ref.store.headObject(key, { signal: ctx.signal });
          ctx.out.record({
            store: ref.name,
            key,
            size: info.size,
            etag: info.etag,
            lastModified: info.lastModified.toISOString(),
            ...(info.contentType === undefined ? {} : { contentType: info.contentType }),
            metadata: info.metadata,
          });
          ctx.out.line(`address:       ${ref.name}:${key}`);
          ctx.out.line(`size:          ${info.size}`);
          ctx.out.line(`etag:          ${info.etag}`);
          ctx.out.line(`last-modified: ${info.lastModified.toISOString()}`);
          ctx.out.line(`content-type:  ${info.contentType ?? "-"}`);
          for (const [name, value] of Object.entries(info.metadata)) ctx.out.line(`metadata:      ${name}=${value}`);
          return;
        }
        const entry = await ref.store.getWithMetadata(key, { signal: ctx.signal });
        if (entry === undefined) throw new StorageError({ code: "NotFound", message: `${ref.name}:${key} does not exist`, operation: "get", key });
        ctx.out.record({ store: ref.name, key, size: entry.value.byteLength, ...(entry.expiresAt ? { expiresAt: entry.expiresAt.toISOString() } : {}) });
        ctx.out.line(`address:       ${ref.name}:${key}`);
        ctx.out.line(`size:          ${entry.value.byteLength}`);
        ctx.out.line(`expires:       ${entry.expiresAt?.toISOString() ?? "never"}`);
      }),
    );
}
