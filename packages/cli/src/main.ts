#!/usr/bin/env node
// The `stowage` command. (reflect-metadata, which inversify needs, is imported once by @stowage/core's DI entry.)
import { redactCredentials } from "@stowage/conformance";
import { isStorageError } from "@stowage/core";
import { runCommand } from "./run-command.js";

// A reader that stops early (`stowage ls … | head`) closes the pipe: that ends the output, and
// is not a crash. Any other stdout failure is still thrown.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
  process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
});

runCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Only the normalized code and message: a cause could carry request details.
    const message = isStorageError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
    process.stderr.write(`stowage: ${redactCredentials(message)}\n`);
    process.exitCode = 2;
  },
);
