/**
 * The flag grammar every `stowage` command shares: `node:util` `parseArgs` in strict mode,
 * `--help`/`-h` anywhere before `--`, and errors that name the flag but never echo a value —
 * a misplaced secret typed on the command line must not end up on screen or in a CI log.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { StorageError } from "@stowage/core";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Whether `argv` asks for help: `--help` or `-h` before any `--`. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
}

/** An `InvalidArgument` ending with the command's usage line(s). */
export function usageError(message: string, usage: string): StorageError {
  return new StorageError({ code: "InvalidArgument", message: `${message}\n${usage}` });
}

/** A flag name as typed, if it looks like one (letters, digits and dashes); else nothing. */
function flagName(message: string): string | undefined {
  const quoted = /'(--?[A-Za-z0-9][A-Za-z0-9-]{0,40})(?: <value>)?'/.exec(message)?.[1];
  return quoted;
}

/**
 * Parses `argv` against `options` (no positionals). Raises `InvalidArgument` with `usage` for an
 * unknown flag (named only when it is shaped like a flag), a flag missing its value, an empty
 * value, or any positional argument (never echoed: it may be a secret).
 */
export function parseFlags<O extends Options>(argv: readonly string[], options: O, usage: string): ReturnType<typeof parseArgs<{ options: O; strict: true }>>["values"] {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const code = (err as { code?: string }).code;
    const name = flagName((err as Error).message ?? "");
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw usageError(name ? `unknown option ${name}` : "unknown option (not shown)", usage);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw usageError(name ? `${name} needs a value` : "an option is missing its value", usage);
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      const position = argv.findIndex((arg, i) => !arg.startsWith("-") && !(i > 0 && takesValue(argv[i - 1]!, options)));
      throw usageError(`unexpected argument${position >= 0 ? ` #${position + 1}` : ""} (arguments are not echoed: they may be secrets)`, usage);
    }
    throw usageError("cannot parse the arguments", usage);
  }
  for (const [flag, value] of Object.entries(values)) {
    if (value === "" || (Array.isArray(value) && value.includes(""))) throw usageError(`--${flag} needs a value`, usage);
  }
  return values as ReturnType<typeof parseArgs<{ options: O; strict: true }>>["values"];
}

function takesValue(arg: string, options: Options): boolean {
  if (!arg.startsWith("--") || arg.includes("=")) return false;
  return options[arg.slice(2)]?.type === "string";
}
