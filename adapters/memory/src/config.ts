/**
 * Options of the memory stores, and the parsing of the plain configuration objects the DI
 * registry hands to {@link memoryProvider} (JSON values only).
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
 * Plain configuration of a memory key-value store, as written in a configuration file:
 * `{ "provider": "memory", "namespace": "sessions", "limits": { "namespaceMaxBytes": 1048576 } }`.
 */
export interface MemoryKeyValueConfig {
  namespace?: string;
  /** Overrides of single fields of `MEMORY_KV_LIMITS`. */
  limits?: Partial<KeyValueLimits>;
}

/**
 * Plain configuration of a memory object store:
 * `{ "provider": "memory", "bucket": "media", "world": "shared", "profile": "s3" }`.
 */
export interface MemoryObjectConfig {
  bucket?: string;
  /** Stores created by the same provider that name the same world share its buckets. */
  world?: string;
  /** The base manifest: `ks3` (default) or `s3`. */
  profile?: MemoryObjectProfile;
  /** Overrides of single fields of the profile's manifest. */
  limits?: Partial<ObjectStoreLimits>;
}

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
 * Applies `overrides` (a plain object) to `base`, field by field: each field must exist in
 * the manifest and keep its type; numbers must be non-negative integers.
 */
function overrideLimits<T extends KeyValueLimits | ObjectStoreLimits>(base: T, overrides: unknown): T {
  if (overrides === undefined) return base;
  if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
    throw invalidField("limits", "an object of manifest fields");
  }
  const merged: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    const field = `limits.${name}`;
    if (!(name in base)) throw invalidField(field, "a field of the limits manifest");
    const current = (base as unknown as Record<string, unknown>)[name];
    if (typeof current === "number") {
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw invalidField(field, "a non-negative integer");
    } else if (typeof current === "boolean" || typeof current === "string") {
      if (typeof value !== typeof current) throw invalidField(field, `a ${typeof current}`);
    } else if (!Array.isArray(value) || !value.every((s) => typeof s === "string")) {
      throw invalidField(field, "an array of strings");
    }
    merged[name] = Array.isArray(value) ? [...value] : value;
  }
  return defineLimits(merged as T);
}

/**
 * Parses the plain configuration of a memory key-value store; a bad field raises
 * `InvalidArgument`. Fields this provider does not know are left to the registry (layer
 * settings live beside the provider's own), so they are not an error here.
 */
export function parseMemoryKeyValueConfig(config: Readonly<Record<string, unknown>>): MemoryKeyValueStoreOptions {
  const options: MemoryKeyValueStoreOptions = { limits: overrideLimits(MEMORY_KV_LIMITS, config.limits) };
  const namespace = optionalName(config, "namespace");
  if (namespace !== undefined) options.namespace = namespace;
  return options;
}

/**
 * Parses the plain configuration of a memory object store; a bad field raises
 * `InvalidArgument`, unknown fields are left to the registry. The world is returned by name: the provider owns the named worlds.
 */
export function parseMemoryObjectConfig(config: Readonly<Record<string, unknown>>): {
  options: Omit<MemoryObjectStoreOptions, "world">;
  world: string | undefined;
} {
  const profile = config.profile ?? "ks3";
  if (typeof profile !== "string" || !(profile in MEMORY_OBJECT_PROFILES)) {
    throw invalidField("profile", `one of ${Object.keys(MEMORY_OBJECT_PROFILES).join(", ")}`);
  }
  const base = MEMORY_OBJECT_PROFILES[profile as MemoryObjectProfile];
  const options: Omit<MemoryObjectStoreOptions, "world"> = { limits: overrideLimits(base, config.limits) };
  const bucket = optionalName(config, "bucket");
  if (bucket !== undefined) options.bucket = bucket;
  return { options, world: optionalName(config, "world") };
}
