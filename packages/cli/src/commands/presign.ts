/**
 * `stowage presign ADDR`: a URL (and the headers to send with it) that lets someone without
 * credentials read, write, inspect or remove one object until it expires.
 */
import type { Command } from "commander";
import { StorageError, type PresignMethod } from "@stowage/core";
import type { CommandRunner } from "./command-runner.js";
import { parseMetadata } from "./cp.js";
import { UsageError } from "./exit-codes.js";
import { storeAddress } from "./store-address.js";
import { parseDuration } from "./units.js";

/** The options `presign` reads. */
interface PresignCommandOptions {
  method: string;
  expires: string;
  contentType?: string;
  metadata?: string[];
}

const METHODS: readonly PresignMethod[] = ["GET", "PUT", "HEAD", "DELETE"];

/** An hour, as the AWS CLI's `s3 presign` defaults to. */
const DEFAULT_EXPIRES = "3600";

/** `900` (seconds) or a duration such as `15m`, `12h`, `7d` → whole seconds. */
function parseExpires(text: string): number {
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  return parseDuration(text, "--expires");
}

function parseMethod(text: string): PresignMethod {
  const method = text.toUpperCase() as PresignMethod;
  if (!METHODS.includes(method)) throw new UsageError(`--method must be one of ${METHODS.join(", ")} (got "${text}")`);
  return method;
}

/** Registers `presign`. */
export function registerPresignCommand(program: Command, runner: CommandRunner): void {
  program
    .command("presign")
    .description("print a URL, and the headers to send with it, that lets anyone holding it act on one object until it expires")
    .argument("<address>", "<store>:<key>")
    .option("--method <method>", "GET, PUT, HEAD or DELETE", "GET")
    .option("--expires <duration>", "how long the URL stays valid: seconds, or 90s, 15m, 12h, 7d (at most the store's presignMaxExpiresInSeconds)", DEFAULT_EXPIRES)
    .option("--content-type <type>", "PUT: the content type the uploader must send and the object gets")
    .option("--metadata <name=value>", "PUT: user metadata the uploader must send (repeatable)", (value: string, all: string[] = []) => [...all, value])
    .addHelpText(
      "after",
      `
Prints the URL, then each header the request must carry as "Name: value" (with --json one
record { store, key, method, url, headers, expiresInSeconds }). The URL is a bearer token for
that one operation: share it like a password.

Examples:
  stowage presign files:reports/2024.csv
  stowage presign --expires 15m files:reports/2024.csv
  stowage presign --method PUT --content-type image/png --metadata owner=ann files:uploads/a.png
  stowage presign --json --method DELETE --expires 600 files:tmp/old.bin

Only object stores of a provider with URLs presign (s3, ks3); memory, fs and key-value stores
report Unsupported (exit 1).`,
    )
    .action((address: string, options: PresignCommandOptions, cmd: Command) =>
      runner.run(cmd, address, async (ctx) => {
        const method = parseMethod(options.method);
        const expiresInSeconds = parseExpires(options.expires);
        const { ref, key } = await storeAddress(ctx, address);
        if (ref.type !== "objects") {
          throw new StorageError({
            code: "Unsupported",
            message: `${ref.name} is a key-value store; only object stores presign`,
            operation: "presign",
            key,
          });
        }
        const presigned = await ref.store.presign(method, key, {
          expiresInSeconds,
          ...(options.contentType !== undefined ? { contentType: options.contentType } : {}),
          ...(options.metadata !== undefined ? { metadata: parseMetadata(options.metadata) } : {}),
          signal: ctx.signal,
        });
        ctx.out.record({ store: ref.name, key, method: presigned.method, url: presigned.url, headers: presigned.headers, expiresInSeconds });
        ctx.out.line(presigned.url);
        for (const [name, value] of Object.entries(presigned.headers)) ctx.out.line(`${name}: ${value}`);
      }),
    );
}
