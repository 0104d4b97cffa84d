/**
 * Options of the memory stores, and the parsing of the plain configuration the DI registry
 * hands to the memory provider.
 */
import {
  defineLimits,
  readProviderConfig,
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

/**
 * The fields of {@link MemoryConfig}. `limits` is checked against every manifest a memory
 * store can keep; each kind then takes the fields its own manifest has.
 */
const MEMORY_CONFIG_SCHEMA = {
  provider: "memory",
  fields: {
    namespace: "string",
    bucket: "string",
    world: "string",
    profile: { oneOf: Object.keys(MEMORY_OBJECT_PROFILES) as MemoryObjectProfile[] },
    limits: { limits: [MEMORY_KV_LIMITS, ...Object.values(MEMORY_OBJECT_PROFILES)] },
  },
} as const;

/** `base` with those of `overrides` that are fields of it, frozen. */
function withOverrides<T extends KeyValueLimits | ObjectStoreLimits>(base: T, overrides: Readonly<Record<string, unknown>> | undefined): T {
  if (overrides === undefined) return base;
  const own = Object.entries(overrides).filter(([name]) => Object.hasOwn(base, name));
  return defineLimits({ ...base, ...Object.fromEntries(own) });
}

/** A parsed plain configuration: what each kind of store is built from. */
export interface ParsedMemoryConfig {
  /** Key-value store options: `namespace` if given, and the KV manifest with the applicable `limits` overrides. */
  keyValue: Omit<MemoryKeyValueStoreOptions, "layers" | "clock">;
  /** Object store options: `bucket` if given, and the `profile` manifest with the applicable `limits` overrides. */
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
  const read = readProviderConfig(config, MEMORY_CONFIG_SCHEMA);
  const parsed: ParsedMemoryConfig = {
    keyValue: { limits: withOverrides(MEMORY_KV_LIMITS, read.limits) },
    objects: { limits: withOverrides(MEMORY_OBJECT_PROFILES[read.profile ?? "ks3"], read.limits) },
    world: read.world,
  };
  if (read.namespace !== undefined) parsed.keyValue.namespace = read.namespace;
  if (read.bucket !== undefined) parsed.objects.bucket = read.bucket;
  return parsed;
}
