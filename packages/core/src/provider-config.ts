/**
 * Reading the plain configuration a provider receives from the DI registry: one schema per
 * provider, one reader for all, so every provider accepts the same shapes and says the same
 * things about a bad field.
 */
import { StorageError } from "./storage-error.js";

/**
 * What one field of a provider's configuration holds.
 * - `"string"`: a non-empty string.
 * - `"integer"`: a non-negative safe integer, or its decimal string.
 * - `"boolean"`: `true` / `false`, or the strings `"true"` / `"false"`.
 * - `{ oneOf }`: one of the listed strings.
 * - `{ limits }`: overrides of single fields of one of the listed limits manifests, each of the
 *   type the manifest gives it (numbers and flags also as strings, as above).
 *
 * Strings are accepted for numbers and flags because `loadStorageConfig` hands a provider its
 * fields from `STOWAGE_*` variables as strings, and a file may say `"port": "9000"` too.
 */
export type ProviderFieldSpec =
  | "string"
  | "integer"
  | "boolean"
  | {
      /** The accepted strings, compared exactly. */
      readonly oneOf: readonly string[];
    }
  | {
      /** The manifests (e.g. `KS3_LIMITS`) whose fields may be overridden; the first that has a field gives its type. */
      readonly limits: readonly object[];
    };

/** The value {@link readProviderConfig} returns for a field of spec `S`. */
export type ProviderFieldValue<S> = S extends "string"
  ? string
  : S extends "integer"
    ? number
    : S extends "boolean"
      ? boolean
      : S extends {
            /** The accepted strings; the value is one of them. */
            readonly oneOf: readonly (infer V)[];
          }
        ? V
        : S extends {
              /** The manifests; the value is a partial manifest of their type. */
              readonly limits: readonly (infer M)[];
            }
          ? Partial<M>
          : never;

/** The fields of a provider's configuration, by name. */
export type ProviderFields = Readonly<Record<string, ProviderFieldSpec>>;

/** What {@link readProviderConfig} reads: a provider's fields and which of them must be set. */
export interface ProviderConfigSchema<F extends ProviderFields = ProviderFields, R extends keyof F & string = keyof F & string> {
  /** The provider id, which starts every message: `ks3 config: "region" must be …`. */
  readonly provider: string;
  /**
   * Where the fields sit in the whole configuration, e.g. `stores.media`, for messages. Default
   * none: `createStorageContainer` already prefixes a provider's error with the store's path.
   */
  readonly path?: string;
  /** Every field the provider knows; any other field is rejected. */
  readonly fields: F;
  /** The fields that must be present. */
  readonly required?: readonly R[];
}

/** A read configuration: the present fields, typed, with every `required` field set. */
export type ProviderConfig<F extends ProviderFields, R extends keyof F = never> = {
  -readonly [K in Exclude<keyof F, R>]?: ProviderFieldValue<F[K]>;
} & { -readonly [K in R]: ProviderFieldValue<F[K]> };

/**
 * Reads `config` by `schema`: an unknown field, a value of the wrong type and a missing
 * required field raise `InvalidArgument` naming the field (`<path>.<field>`), and an unknown
 * field's message lists the known ones. No message ever quotes a value, so secrets
 * (`accessKeySecret`, `secretAccessKey`, …) need no marking to stay out of them. A `provider`
 * field, the registry's own, is ignored when a caller passes a whole store entry.
 */
export function readProviderConfig<const F extends ProviderFields, const R extends keyof F & string = never>(
  config: Readonly<Record<string, unknown>>,
  schema: ProviderConfigSchema<F, R>,
): ProviderConfig<F, R> {
  const name = (field: string) => (schema.path === undefined ? field : `${schema.path}.${field}`);
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(config)) {
    if (field === "provider") continue;
    const spec = Object.hasOwn(schema.fields, field) ? schema.fields[field] : undefined;
    if (spec === undefined) throw unknownField(schema.provider, name(field), "option", Object.keys(schema.fields));
    if (value !== undefined) out[field] = readField(schema.provider, name(field), spec, value);
  }
  for (const field of schema.required ?? []) {
    if (out[field] === undefined) throw invalid(schema.provider, name(field), "is required");
  }
  return out as ProviderConfig<F, R>;
}

function invalid(provider: string, field: string, why: string): StorageError {
  return new StorageError({ code: "InvalidArgument", message: `${provider} config: "${field}" ${why}` });
}

function unknownField(provider: string, field: string, what: string, known: readonly string[]): StorageError {
  return invalid(provider, field, `is not a ${provider} ${what} (known: ${known.join(", ")})`);
}

function readField(provider: string, field: string, spec: ProviderFieldSpec, value: unknown): unknown {
  if (spec === "string") {
    if (typeof value !== "string" || value === "") throw invalid(provider, field, "must be a non-empty string");
    return value;
  }
  if (spec === "integer") return readInteger(provider, field, value);
  if (spec === "boolean") return readBoolean(provider, field, value);
  if ("oneOf" in spec) {
    if (typeof value !== "string" || !spec.oneOf.includes(value)) throw invalid(provider, field, `must be one of ${spec.oneOf.join(", ")}`);
    return value;
  }
  return readLimits(provider, field, spec.limits, value);
}

function readInteger(provider: string, field: string, value: unknown): number {
  // 16 digits hold every safe integer (2^53 − 1 has 16); the check below drops the rest.
  const n = typeof value === "string" && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw invalid(provider, field, "must be a non-negative integer");
  return n;
}

function readBoolean(provider: string, field: string, value: unknown): boolean {
  const b = value === "true" ? true : value === "false" ? false : value;
  if (typeof b !== "boolean") throw invalid(provider, field, "must be true or false");
  return b;
}

/**
 * A partial manifest: each field must belong to one of `manifests` and keep the type it has
 * there. A field two manifests share has the same type in both (the grammar of limits.ts).
 */
function readLimits(provider: string, field: string, manifests: readonly object[], value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid(provider, field, "must be an object of limits fields");
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(value)) {
    const path = `${field}.${name}`;
    const manifest = manifests.find((m) => Object.hasOwn(m, name)) as Record<string, unknown> | undefined;
    if (manifest === undefined) {
      throw unknownField(provider, path, "limits field", [...new Set(manifests.flatMap((m) => Object.keys(m)))]);
    }
    const current = manifest[name];
    if (typeof current === "number") out[name] = readInteger(provider, path, raw);
    else if (typeof current === "boolean") out[name] = readBoolean(provider, path, raw);
    else if (typeof current === "string") {
      // May be empty: `keyForbiddenCharacters: ""` forbids nothing.
      if (typeof raw !== "string") throw invalid(provider, path, "must be a string");
      out[name] = raw;
    } else {
      if (!Array.isArray(raw) || !raw.every((s) => typeof s === "string")) throw invalid(provider, path, "must be an array of strings");
      out[name] = [...raw];
    }
  }
  return out;
}
