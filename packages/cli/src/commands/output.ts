/**
 * What the storage commands write: results on stdout (text, or JSON Lines with `--json`),
 * summaries and errors on stderr. An error shows its normalized code and the address, never a
 * stack trace, and passes through the same credential masking as the conformance reports.
 */
import { redactCredentials } from "@stowage/conformance";
import { isStorageError } from "@stowage/core";
import { UsageError } from "./exit-codes.js";

/** Where and how a command writes. */
export interface OutputOptions {
  /** Receives results. */
  stdout: NodeJS.WritableStream;
  /** Receives summaries and errors. */
  stderr: NodeJS.WritableStream;
  /** Results as JSON Lines instead of text. */
  json: boolean;
  /** No summaries on stderr (errors are still printed). */
  quiet: boolean;
}

/** The writer every command uses; it also counts failures for the exit code. */
export class Output {
  /** Operations reported through {@link Output.failure}. */
  failures = 0;
  readonly #options: OutputOptions;

  /** A writer over the given streams. */
  constructor(options: OutputOptions) {
    this.#options = options;
  }

  /** Whether results are JSON Lines. */
  get json(): boolean {
    return this.#options.json;
  }

  /** Whether summaries are suppressed. */
  get quiet(): boolean {
    return this.#options.quiet;
  }

  /** A text result line (ignored with `--json`, where {@link Output.record} carries the result). */
  line(text: string): void {
    if (!this.#options.json) this.#options.stdout.write(`${text}\n`);
  }

  /** A JSON Lines record (only with `--json`). */
  record(value: Record<string, unknown>): void {
    if (this.#options.json) this.#options.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** A summary or notice on stderr, unless `--quiet`. */
  info(text: string): void {
    if (!this.#options.quiet) this.#options.stderr.write(`${text}\n`);
  }

  /** A notice on stderr even with `--quiet`: what an interruption left behind. */
  notice(text: string): void {
    this.#options.stderr.write(`stowage: ${redactCredentials(text)}\n`);
  }

  /**
   * Reports one failed operation on `where` (an address) and counts it; with `--json` also as
   * a record `{ address, error: { code, message } }` so a script sees every failure in order.
   */
  failure(where: string, err: unknown): void {
    this.failures++;
    const { code, message } = describeError(err);
    this.#options.stderr.write(`stowage: ${where}: ${code ? `${code}: ` : ""}${message}\n`);
    this.record({ address: where, error: { code: code ?? "Error", message } });
  }
}

/** The normalized code (when there is one) and a masked one-line message of any thrown value. */
export function describeError(err: unknown): { code?: string; message: string } {
  if (isStorageError(err)) return { code: err.code, message: oneLine(err.message) };
  if (err instanceof UsageError) return { message: oneLine(err.message) };
  if (err instanceof Error) {
    // Node's system errors (ENOENT, EACCES…) already start with their code.
    return { message: oneLine(err.message) };
  }
  return { message: oneLine(String(err)) };
}

function oneLine(text: string): string {
  return redactCredentials(text.replace(/\s*\n\s*/g, " "));
}
