/**
 * Options of the memory stores, and the parsing of the plain configuration the DI registry
 * hands to the memory provider.
 */
import {
  StorageError,
  defineLimits,
  type Clock,
  type KeyValueLayer,
  type KeyValueLimits,
  type ObjectStoreLayer,
  type ObjectStoreLimits,
} from "@stowage/core";
import { MEMORY_KV_LIMITS, MEMORY_OBJECT_PROFILES, type MemoryObjectProfile } from "./limits.js";
import type { MemoryObjectWorld } from "./multipart-object-store.js";

/** Options of a memory key-value namespace. */
export interface MemoryKeyValueStoreOptions {
  /** The namespace's name, used in error messages; default `default`. */
  namespace?: string;
  /** The manifest to keep; default `MEMORY_KV_LIMITS` (ESA Edge KV's). */
  limits?: KeyValueLimits;
  /** Time for TTL and expiry; default the system clock. */
  clock?: Clock;
  /** Layers the facade applies around the driver, first is outermost. */
  layers?: KeyValueLayer[];
}

/** Options of a memory object store: one bucket of a {@link MemoryObjectWorld}. */
export interface MemoryObjectStoreOptions {
  /** The bucket this store serves; created in the world if absent. Default `default`. */
  bucket?: string;
  /** The buckets copies can read from; default a new world holding only this store's bucket. */
  world?: MemoryObjectWorld;
  /** The manifest to keep; default `MEMORY_OBJECT_LIMITS` (KS3's). */
  limits?: ObjectStoreLimits;
  /** Time for Last-Modified and upload initiation; default the system clock. */
  clock?: Clock;
  /** Layers the facade applies around the driver, first is outermost. */
  layers?: ObjectStoreLayer[];
}

/**
 * The plain configuration of a memory store, as written in a configuration file or in
 * `STOWAGE_*` variables (where numbers and flags arrive as strings):
 * `{ "provider": "memory", "namespace": "sessions", "limits": { "namespaceMaxBytes": 1048576 } }`,
 * `{ "provider": "memory", "bucket": "media", "world": "shared", "profile": "s3" }`.
 */
export interface MemoryConfig {
  /** Key-value stores: the namespace name. */
  namespace?: string;
  /** Object stores: the bucket name. */
  bucket?: string;
  /** Object stores created by the same provider that name the same world share its buckets. */
  world?: string;
  /** Object stores: the base manifest, `ks3` (default) or `s3`. */
  profile?: MemoryObjectProfile;
  /** Overrides of single manifest fields; each applies to the manifests that have it. */
  limits?: Partial<KeyValueLimits & ObjectStoreLimits>;
}

/** Every field of {@link MemoryConfig}. */
const CONFIG_FIELDS: ReadonlyArray<keyof MemoryConfig> = ["namespace", "bucket", "world", "profile", "limits"];

function invalidField(field: string, expected: string): StorageError {
  return new StorageError({ code: "InvalidArgument", message: `memory provider: "${field}" must be ${expected}` });
}

function optionalName(config: Readonly<Record<string, unknown>>, field: string): string | undefined {
  const value = config[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") throw invalidField(field, "a non-empty string");
  return value;
}

/**
 * The registry hands a provider only the provider's own fields (layer settings are taken out
 * first), so an unknown field is a typo worth reporting rather than something to ignore.
 */
function rejectUnknownFields(config: Readonly<Record<string, unknown>>, known: readonly string[]): void {
  for (const field of Object.keys(config)) {
    if (!known.includes(field)) throw invalidField(field, `absent (the memory provider knows ${known.join(", ")})`);
  }
}

/**
 * A manifest number or flag from JSON or from an environment variable, where every value is
 * a string: decimal strings and `true` / `false` are accepted as well.
 */
function fieldValue(value: unknown, current: unknown, field: string): unknown {
  if (typeof current === "number") {
    const n = typeof value === "string" && /^\d{1,16}$/.test(value) ? Number(value) : value;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw invalidField(field, "a non-negative integer");
    return n;
  }
  if (typeof current === "boolean") {
    const b = value === "true" ? true : value === "false" ? false : value;
    if (typeof b !== "boolean") throw invalidField(field, "true or false");
    return b;
  }
  if (typeof current === "string") {
    if (typeof value !== "string") throw invalidField(field, "a string");
    return value;
  }
  if (!Array.isArray(value) || !value.every((s) => typeof s === "string")) throw invalidField(field, "an array of strings");
  return [...value];
}

/**
 * Applies `overrides` (a plain object) to `base`, field by field: each field must keep its
 * type (see `fieldValue`). A field of the other kind's manifest (`other`) is skipped, since
 * one configuration without a `kind` builds both a key-value and an object store.
 */
function overrideLimits<T extends KeyValueLimits | ObjectStoreLimits>(base: T, other: KeyValueLimits | ObjectStoreLimits, overrides: unknown): T {
  if (overrides === undefined) return base;
  if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
    throw invalidField("limits", "an object of manifest fields");
  }
  const merged: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    const field = `limits.${name}`;
    if (!(name in base)) {
      if (name in other) continue;
      throw invalidField(field, "a field of the limits manifest");
    }
    merged[name] = fieldValue(value, (base as unknown as Record<string, unknown>)[name], field);
  }
  return defineLimits(merged as T);
}

/** A parsed plain configuration: what each kind of store is built from. */
export interface ParsedMemoryConfig {
  keyValue: Omit<MemoryKeyValueStoreOptions, "layers" | "clock">;
  objects: Omit<MemoryObjectStoreOptions, "layers" | "clock" | "world">;
  /** The world the object store joins, by name; the provider owns the named worlds. */
  world: string | undefined;
}

/**
 * Parses the plain configuration of a memory store; a bad or unknown field raises
 * `InvalidArgument` naming it. Both kinds are parsed from the same fields, because a
 * configuration without a `kind` builds a key-value and an object store from one entry: a
 * `limits` override applies to each manifest that has the field.
 */
export function parseMemoryConfig(config: Readonly<Record<string, unknown>>): ParsedMemoryConfig {
  rejectUnknownFields(config, CONFIG_FIELDS);
  const profile = config.profile ?? "ks3";
  if (typeof profile !== "string" || !(profile in MEMORY_OBJECT_PROFILES)) {
    throw invalidField("profile", `one of ${Object.keys(MEMORY_OBJECT_PROFILES).join(", ")}`);
  }
  const objectBase = MEMORY_OBJECT_PROFILES[profile as MemoryObjectProfile];
  const parsed: ParsedMemoryConfig = {
    keyValue: { limits: overrideLimits(MEMORY_KV_LIMITS, objectBase, config.limits) },
    objects: { limits: overrideLimits(objectBase, MEMORY_KV_LIMITS, config.limits) },
    world: optionalName(config, "world"),
  };
  const namespace = optionalName(config, "namespace");
  if (namespace !== undefined) parsed.keyValue.namespace = namespace;
  const bucket = optionalName(config, "bucket");
  if (bucket !== undefined) parsed.objects.bucket = bucket;
  return parsed;
}
