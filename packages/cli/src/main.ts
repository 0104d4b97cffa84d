#!/usr/bin/env node
// The `stowage` command. (reflect-metadata, which inversify needs, is imported once by @stowage/core's DI entry.)
import { redactCredentials } from "@stowage/conformance";
import { isStorageError } from "@stowage/core";
import { runCommand } from "./run-command.js";

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
