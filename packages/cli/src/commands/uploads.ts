/**
 * `stowage uploads ls|abort STORE[:PREFIX]`: incomplete multipart uploads, which a provider
 * keeps (and bills) until they are completed or aborted.
 */
import type { Command } from "commander";
import type { MultipartUploadSummary } from "@stowage/core";
import type { CommandContext } from "./command-context.js";
import type { CommandRunner } from "./command-runner.js";
import { UsageError } from "./exit-codes.js";
import { storeAddress } from "./store-address.js";
import type { StoreRef } from "./storage-session.js";
import { parseDuration } from "./units.js";

/** Registers `uploads ls` and `uploads abort`. */
export function registerUploadsCommand(program: Command, runner: CommandRunner): void {
  const uploads = program
    .command("uploads")
    .description("list or abort incomplete multipart uploads")
    .addHelpText(
      "after",
      `
Examples:
  stowage uploads ls files:
  stowage uploads abort files: --older-than 24h
  stowage uploads abort files:big.iso --upload-id 2f1c…`,
    );

  uploads
    .command("ls")
    .description("list incomplete multipart uploads under a prefix")
    .argument("<address>", "<store>:<prefix>, or a store name")
    .addHelpText(
      "after",
      `
Examples:
  stowage uploads ls files:
  stowage uploads ls --json files:backups/

Each line is: initiated date, upload id, key.`,
    )
    .action((address: string, _options: unknown, cmd: Command) =>
      runner.run(cmd, address, async (ctx) => {
        const { ref, prefix } = await objectStoreAddress(ctx, address);
        for await (const upload of listUploads(ctx, ref, prefix)) {
          ctx.out.line(`${upload.initiated.toISOString()}  ${upload.uploadId}  ${upload.key}`);
          ctx.out.record({ store: ref.name, key: upload.key, uploadId: upload.uploadId, initiated: upload.initiated.toISOString() });
        }
      }),
    );

  uploads
    .command("abort")
    .description("abort incomplete multipart uploads under a prefix, freeing their parts")
    .argument("<address>", "<store>:<prefix> (a whole key when --upload-id is given), or a store name")
    .option("--older-than <duration>", "only uploads initiated longer ago than this, e.g. 90m, 24h, 7d")
    .option("--upload-id <id>", "only this upload")
    .addHelpText(
      "after",
      `
Examples:
  stowage uploads abort files: --older-than 24h      what crashed runs left behind
  stowage uploads abort files:tmp/                    every upload under tmp/
  stowage uploads abort files:big.iso --upload-id 2f1c…`,
    )
    .action((address: string, options: { olderThan?: string; uploadId?: string }, cmd: Command) =>
      runner.run(cmd, address, async (ctx) => {
        const maxAgeSeconds = options.olderThan === undefined ? undefined : parseDuration(options.olderThan, "--older-than");
        const { ref, prefix } = await objectStoreAddress(ctx, address);
        const cutoff = maxAgeSeconds === undefined ? undefined : Date.now() - maxAgeSeconds * 1000;
        const chosen: MultipartUploadSummary[] = [];
        for await (const upload of listUploads(ctx, ref, prefix)) {
          if (options.uploadId !== undefined && (upload.uploadId !== options.uploadId || upload.key !== prefix)) continue;
          if (cutoff !== undefined && upload.initiated.getTime() > cutoff) continue;
          chosen.push(upload);
        }
        let aborted = 0;
        for (const upload of chosen) {
          if (ctx.signal.aborted) break;
          try {
            await ref.store.abortMultipartUpload(upload.key, upload.uploadId, { signal: ctx.signal });
            aborted++;
            ctx.out.record({ status: "aborted", store: ref.name, key: upload.key, uploadId: upload.uploadId });
            ctx.out.line(`aborted ${upload.uploadId}  ${upload.key}`);
          } catch (err) {
            ctx.out.failure(`${ref.name}:${upload.key} (upload ${upload.uploadId})`, err);
          }
        }
        ctx.out.info(`aborted ${aborted} of ${chosen.length} incomplete uploads under ${ref.name}:${prefix}`);
      }),
    );
}

async function objectStoreAddress(ctx: CommandContext, text: string): Promise<{ ref: Extract<StoreRef, { type: "objects" }>; prefix: string }> {
  const { ref, key } = await storeAddress(ctx, text);
  if (ref.type !== "objects") throw new UsageError(`${ref.name} is a key-value store: it has no multipart uploads`);
  return { ref, prefix: key };
}

async function* listUploads(ctx: CommandContext, ref: Extract<StoreRef, { type: "objects" }>, prefix: string): AsyncIterable<MultipartUploadSummary> {
  let cursor: string | undefined;
  do {
    const page = await ref.store.listMultipartUploads({ ...(prefix === "" ? {} : { prefix }), ...(cursor === undefined ? {} : { cursor }), signal: ctx.signal });
    yield* page.uploads;
    cursor = page.cursor;
  } while (cursor !== undefined);
}
