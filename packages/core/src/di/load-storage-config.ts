/**
 * Reading a {@link StorageConfig} from a JSON file and/or environment variables.
 *
 * Environment rules (prefix `STOWAGE_` unless told otherwise):
 * 1. Only variables starting with the prefix are read, and every one of them is configuration;
 *    empty values count as unset.
 * 2. `STOWAGE_CONFIG_FILE` names a JSON file, read first when no `file` option is given.
 * 3. Any other name, minus the prefix, is split on `__` into a path. Each segment is turned from
 *    UPPER_SNAKE into lowerCamel (`TIMEOUT_MS` → `timeoutMs`, `ACCESS_KEY_ID` → `accessKeyId`),
 *    except the segment right after `STORES`, which is a store name and kept as written:
 *    `STOWAGE_STORES__cache__PROVIDER=esa-kv` → `{ stores: { cache: { provider: "esa-kv" } } }`,
 *    `STOWAGE_PROVIDER=memory` → the single-store shorthand `{ provider: "memory" }`,
 *    `STOWAGE_STORES__cache__RETRY__MAX_ATTEMPTS=5` → `stores.cache.retry.maxAttempts`.
 * 4. Values stay strings. The container's own fields (`timeoutMs`, `retry.*`, `retry=false`)
 *    accept decimal strings; a provider receives its fields from the environment as strings.
 * 5. Variables override the file's value at the same path; objects merge field by field.
 */
import { readFile, stat } from "node:fs/promises";
import { StorageError } from "../storage-error.js";
import { normalizeStorageConfig, type StorageConfig } from "./storage-config.js";

/** Options of {@link loadStorageConfig}. */
export interface LoadStorageConfigOptions {
  /** A JSON file holding a {@link StorageConfigInput}. */
  file?: string;
  /** Environment variables to read, usually `process.env`; none when absent. */
  env?: NodeJS.ProcessEnv;
  /** The variables' prefix; default `STOWAGE_`. */
  prefix?: string;
}

/** A configuration file is a few stores, not a data set. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Loads and checks a configuration (see the rules above). Raises `InvalidArgument` when the
 * file is missing, too large or not JSON, when two variables conflict, when nothing configures
 * any store, or when a field is bad (naming the field, never echoing a value).
 */
export async function loadStorageConfig(options: LoadStorageConfigOptions = {}): Promise<StorageConfig> {
  const prefix = options.prefix ?? "STOWAGE_";
  const env = options.env ?? {};
  const fileVariable = `${prefix}CONFIG_FILE`;
  const file = options.file ?? (env[fileVariable] || undefined);
  const fromFile = file === undefined ? undefined : await readJsonFile(file);
  const fromEnv = configFromEnv(env, prefix, fileVariable);
  const merged = fromEnv === undefined ? fromFile : fromFile === undefined ? fromEnv : merge(fromFile, fromEnv);
  if (merged === undefined) {
    throw new StorageError({
      code: "InvalidArgument",
      message: `no storage configuration: pass a file, or set ${fileVariable}, ${prefix}PROVIDER or ${prefix}STORES__<name>__PROVIDER`,
    });
  }
  return normalizeStorageConfig(merged);
}

async function readJsonFile(file: string): Promise<unknown> {
  const fail = (why: string, cause?: unknown) =>
    new StorageError({ code: "InvalidArgument", message: `storage config file ${file}: ${why}`, cause });
  let text: string;
  try {
    if ((await stat(file)).size > MAX_FILE_BYTES) throw fail(`larger than ${MAX_FILE_BYTES} bytes`);
    text = await readFile(file, "utf8");
  } catch (err) {
    if (err instanceof StorageError) throw err;
    throw fail("cannot be read", err);
  }
  try {
    return JSON.parse(text);
  } catch {
    // No cause: V8's message quotes the text around the error, which may be a secret.
    throw fail("is not valid JSON");
  }
}

function camel(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function configFromEnv(env: NodeJS.ProcessEnv, prefix: string, fileVariable: string): Record<string, unknown> | undefined {
  let root: Record<string, unknown> | undefined;
  const conflict = (name: string) =>
    new StorageError({ code: "InvalidArgument", message: `environment: ${name} conflicts with another ${prefix}* variable` });
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (!name.startsWith(prefix) || name === fileVariable || value === undefined || value === "") continue;
    const raw = name.slice(prefix.length).split("__");
    if (raw.some((s) => s === "")) throw new StorageError({ code: "InvalidArgument", message: `environment: ${name} has an empty path segment` });
    const path = raw.map((s, i) => (i === 1 && camel(raw[0]!) === "stores" ? s : camel(s)));
    root ??= {};
    let node = root;
    for (const segment of path.slice(0, -1)) {
      const next = Object.hasOwn(node, segment) ? node[segment] : (node[segment] = {});
      if (typeof next !== "object") throw conflict(name);
      node = next as Record<string, unknown>;
    }
    const leaf = path[path.length - 1]!;
    if (Object.hasOwn(node, leaf)) throw conflict(name);
    node[leaf] = value;
  }
  return root;
}

function merge(base: unknown, over: Record<string, unknown>): unknown {
  if (typeof base !== "object" || base === null || Array.isArray(base)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [field, value] of Object.entries(over)) {
    out[field] = typeof value === "object" && value !== null ? merge(out[field], value as Record<string, unknown>) : value;
  }
  return out;
}
