/**
 * How a commander action becomes a run: a {@link CommandContext} from the global options,
 * errors turned into printed failures, and the exit code derived from what happened.
 */
import type { Command } from "commander";
import { CommandContext, type CommandIo, type GlobalOptions } from "./command-context.js";
import { EXIT_CODES, UsageError, type ExitCode } from "./exit-codes.js";

/** Runs command bodies and remembers the outcome of the last one. */
export class CommandRunner {
  /** The exit code of the last run. */
  exitCode: ExitCode = EXIT_CODES.ok;
  readonly #io: CommandIo;

  /** A runner over `io`. */
  constructor(io: CommandIo) {
    this.#io = io;
  }

  /**
   * Runs `body` for the commander command `command` (whose global options are read). A
   * {@link UsageError} is rethrown for the caller to print; any other error is printed as a
   * failure of `where` (the command's main address).
   */
  async run(command: Command, where: string, body: (ctx: CommandContext) => Promise<void>): Promise<void> {
    const ctx = new CommandContext(this.#io, command.optsWithGlobals<GlobalOptions>());
    try {
      await body(ctx);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      ctx.out.failure(where, err);
    } finally {
      await ctx.close().catch(() => undefined);
    }
    this.exitCode = this.#io.interrupt.aborted ? EXIT_CODES.interrupted : ctx.out.failures > 0 ? EXIT_CODES.failed : EXIT_CODES.ok;
  }
}
