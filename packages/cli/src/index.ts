/**
 * @stowage/cli: the `stowage` command, and what it is built from for use in code — the
 * built-in conformance targets (each provider adapter on its emulator), conformance targets
 * from a storage configuration file, and the command dispatcher itself.
 *
 * @packageDocumentation
 */
export { runCommand } from "./run-command.js";
export { BUILTIN_TARGETS, builtinTarget, esaKvTarget, ks3Target } from "./builtin-targets/index.js";
export { configTargets, type ConfigTargetsOptions } from "./config-targets.js";
export { loadAdapterModules, type AdapterModuleSpecifier, type LoadedAdapterModules } from "./load-adapter-modules.js";
export { COMMANDS, type CliCommand } from "./run-command.js";
export { BUILTIN_MODULES } from "./builtin-modules.js";
