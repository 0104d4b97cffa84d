/**
 * What every storage command receives: its streams, the interrupt signal, the global options
 * and the storage configuration (opened on first use, so `--help` and local-only checks need
 * no configuration).
 */
import { parseAddress, type Address } from "./address.js";
import { Output } from "./output.js";
import { StorageSession } from "./storage-session.js";

/** The process-facing side of a command; tests pass streams of their own. */
export interface CommandIo {
  /** Read by `-` sources and by confirmations. */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Results. */
  stdout: NodeJS.WritableStream;
  /** Progress, summaries and errors; bars are drawn only when it is a terminal. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where `STOWAGE_*` configuration is read from, usually `process.env`. */
  env: NodeJS.ProcessEnv;
  /** Fires on Ctrl-C: transfers in flight are cancelled and the command exits 130. */
  interrupt: AbortSignal;
  /**
   * Opens the stores instead of reading the configuration (tests that run several commands on
   * one memory store). The session is not closed by the command.
   */
  openSession?: () => Promise<StorageSession>;
}

/** The options every storage command accepts. */
export interface GlobalOptions {
  /** `--config FILE`. */
  config?: string;
  /** `--json`. */
  json?: boolean;
  /** `--quiet`. */
  quiet?: boolean;
}

/** One command's run: its io, output and lazily opened storage. */
export class CommandContext {
  /** The command's streams and signal. */
  readonly io: CommandIo;
  /** The command's writer. */
  readonly out: Output;
  /** The global options as given. */
  readonly globals: GlobalOptions;
  #session: Promise<StorageSession> | undefined;

  /** A context for one run. */
  constructor(io: CommandIo, globals: GlobalOptions) {
    this.io = io;
    this.globals = globals;
    this.out = new Output({ stdout: io.stdout, stderr: io.stderr, json: globals.json === true, quiet: globals.quiet === true });
  }

  /** The interrupt signal, passed to every storage call. */
  get signal(): AbortSignal {
    return this.io.interrupt;
  }

  /** The configured stores, opened once. */
  session(): Promise<StorageSession> {
    this.#session ??= this.io.openSession
      ? this.io.openSession()
      : StorageSession.open({ ...(this.globals.config === undefined ? {} : { file: this.globals.config }), env: this.io.env });
    return this.#session;
  }

  /** Parses a command-line address (see {@link parseAddress}). */
  address(text: string): Promise<Address> {
    return parseAddress(text, () => this.session());
  }

  /** Closes the stores this run opened. */
  async close(): Promise<void> {
    if (this.#session && !this.io.openSession) await (await this.#session.catch(() => undefined))?.close();
  }
}
