/**
 * The storage commands' exit codes, documented in `stowage --help` and the README. Scripts
 * branch on them, so they are stable.
 */
export const EXIT_CODES = {
  /** Every operation succeeded. */
  ok: 0,
  /** At least one operation failed (the others may have succeeded; each failure is printed). */
  failed: 1,
  /** A usage or configuration error: nothing was attempted. */
  usage: 2,
  /** Interrupted by Ctrl-C (SIGINT); what was left behind is printed. 128 + SIGINT's number, as shells report it. */
  interrupted: 130,
} as const;

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * A mistake in the command line or the storage configuration, found before any storage
 * operation: printed without a code and exits {@link EXIT_CODES.usage}.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
