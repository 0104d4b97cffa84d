/**
 * Options of the fs stores, and the parsing of the plain configuration the DI registry hands
 * to the fs provider: `{ "provider": "fs", "kind": "kv", "root": "./data" }`.
 */
import { resolve } from "node:path";
import {
  StorageError,
  defineLimits,
  readProviderConfig,
  type Clock,
  type KeyValueLayer,
  type KeyValueLimits,
  type ObjectStoreLayer,
  type ObjectStoreLimits,
} from "@stowage/core";
import { FS_KV_LIMITS, FS_OBJECT_LIMITS } from "./limits.js";

/** Options of an fs key-value store. */
export interface FsKeyValueStoreOptions {
  /** The store's directory, created when missing; keys live in its `kv/` folder. */
  root: string;
  /** The manifest to keep; default {@link FS_KV_LIMITS}. */
  limits?: KeyValueLimits;
  /** Time for TTL, expiry and `updatedAt`; default the system clock. */
  clock?: Clock;
  /** Layers the facade applies around the driver, first is outermost. */
  layers?: KeyValueLayer[];
}

/** Options of an fs object store. */
export interface FsObjectStoreOptions {
  /** The store's directory, created when missing; objects live in its `objects/` folder, uploads in `.multipart/`. */
  root: string;
  /** The manifest to keep; default {@link FS_OBJECT_LIMITS}. */
  limits?: ObjectStoreLimits;
  /** Time for Last-Modified and upload initiation; default the system clock. */
  clock?: Clock;
  /** Layers the facade applies around the driver, first is outermost. */
  layers?: ObjectStoreLayer[];
}

/**
 * The plain configuration of an fs store, as written in a configuration file or in
 * `STOWAGE_*` variables: `{ "provider": "fs", "kind": "objects", "root": "/var/lib/app/files",
 * "limits": { "multipartMinPartBytes": 1048576 } }`. A store without `kind` builds both kinds
 * on the same root; they keep to separate folders of it.
 */
export interface FsConfig {
  /** The store's directory; a relative path is resolved against the working directory. */
  root: string;
  /** Overrides of single manifest fields; each applies to the manifests that have it. */
  limits?: Partial<KeyValueLimits & ObjectStoreLimits>;
}

const FS_CONFIG_SCHEMA = {
  provider: "fs",
  fields: {
    root: "string",
    limits: { limits: [FS_KV_LIMITS, FS_OBJECT_LIMITS] },
  },
  required: ["root"],
} as const;

/**
 * Manifest fields an override may not change, because the store would then promise what it
 * does not do: it enforces no capacity and no listing window, encrypts nothing and has one
 * bucket.
 */
const FIXED_FIELDS = ["namespaceMaxBytes", "listMaxKeys", "sseC", "copyAcrossBuckets"] as const;

/** `base` with those of `overrides` that are fields of it, checked and frozen. */
function withOverrides<T extends KeyValueLimits | ObjectStoreLimits>(base: T, overrides: Readonly<Record<string, unknown>> | undefined): T {
  if (overrides === undefined) return base;
  const own = Object.entries(overrides).filter(([name]) => Object.hasOwn(base, name));
  for (const [name, value] of own) {
    if ((FIXED_FIELDS as readonly string[]).includes(name) && value !== (base as unknown as Record<string, unknown>)[name]) {
      throw new StorageError({ code: "InvalidArgument", message: `fs config: "limits.${name}" cannot be changed: the fs store does not implement another value` });
    }
  }
  return defineLimits({ ...base, ...Object.fromEntries(own) });
}

/** A parsed plain configuration: what each kind of store is built from. */
export interface ParsedFsConfig {
  /** Key-value store options: the absolute root and the KV manifest with the applicable `limits` overrides. */
  keyValue: Omit<FsKeyValueStoreOptions, "layers" | "clock">;
  /** Object store options: the absolute root and the object manifest with the applicable `limits` overrides. */
  objects: Omit<FsObjectStoreOptions, "layers" | "clock">;
}

/**
 * Parses the plain configuration of an fs store; a bad, missing or unknown field raises
 * `InvalidArgument` naming it.
 */
export function parseFsConfig(config: Readonly<Record<string, unknown>>): ParsedFsConfig {
  const read = readProviderConfig(config, FS_CONFIG_SCHEMA);
  const root = resolve(read.root);
  return {
    keyValue: { root, limits: withOverrides(FS_KV_LIMITS, read.limits) },
    objects: { root, limits: withOverrides(FS_OBJECT_LIMITS, read.limits) },
  };
}
