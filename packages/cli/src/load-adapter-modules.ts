/**
 * Third-party adapters for `--config`: `--module <package or path>` and a config file's
 * `modules` list name ES modules that export DI modules (`providerModule(provider)`) and/or
 * `StorageProvider` objects; every such export is registered next to the built-in adapters.
 */
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { StorageError, type CreateStorageContainerOptions, type StorageProvider } from "@stowage/core";

type ContainerModules = NonNullable<CreateStorageContainerOptions["modules"]>;

/** What {@link loadAdapterModules} found: DI modules and bare providers, ready for `createStorageContainer`. */
export interface LoadedAdapterModules {
  /** DI modules (`ContainerModule`) exported by the named modules. */
  modules: ContainerModules;
  /** `StorageProvider` objects exported by the named modules. */
  providers: StorageProvider[];
}

/** One module to load and the folder a relative path or a package name is resolved from. */
export interface AdapterModuleSpecifier {
  /** A package name (`acme-stowage-adapter`) or a path (`./adapters/acme.js`). */
  specifier: string;
  /** Where a relative path and a package name are resolved from: the working directory for `--module`, the config file's folder for `modules`. */
  baseDir: string;
  /** How errors name it without echoing what was typed, e.g. `--module #2` or `modules[0] of the config file`. */
  label: string;
}

function isPath(specifier: string): boolean {
  return specifier.startsWith(".") || isAbsolute(specifier);
}

/** The URL to import: a path resolved against `baseDir`, a package resolved from `baseDir`'s node_modules first. */
function locate({ specifier, baseDir }: AdapterModuleSpecifier): string {
  if (isPath(specifier)) return pathToFileURL(resolve(baseDir, specifier)).href;
  try {
    return pathToFileURL(createRequire(join(baseDir, "noop.js")).resolve(specifier)).href;
  } catch {
    // An ESM-only package (no "require" condition), or one only the CLI itself can reach:
    // let import() resolve it from here.
    return specifier;
  }
}

function isProvider(value: unknown): value is StorageProvider {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<StorageProvider>;
  return typeof v.id === "string" && (typeof v.createKeyValueStoreDriver === "function" || typeof v.createMultipartObjectStoreDriver === "function");
}

/** By shape, like `isStorageError`: the adapter may bring its own copy of inversify. */
function isContainerModule(value: unknown): value is ContainerModules[number] {
  return typeof value === "object" && value !== null && value.constructor?.name === "ContainerModule";
}

/**
 * Imports every module and collects its exported DI modules and providers. Raises
 * `InvalidArgument` naming the module by its label (never by what was typed) when a module
 * cannot be imported or exports neither.
 */
export async function loadAdapterModules(specifiers: readonly AdapterModuleSpecifier[]): Promise<LoadedAdapterModules> {
  const loaded: LoadedAdapterModules = { modules: [], providers: [] };
  for (const entry of specifiers) {
    let exports: Record<string, unknown>;
    try {
      exports = (await import(locate(entry))) as Record<string, unknown>;
    } catch (err) {
      throw new StorageError({ code: "InvalidArgument", message: `the adapter module given as ${entry.label} cannot be imported`, cause: err });
    }
    const before = loaded.modules.length + loaded.providers.length;
    for (const value of new Set(Object.values(exports))) {
      if (isContainerModule(value)) loaded.modules.push(value);
      else if (isProvider(value)) loaded.providers.push(value);
    }
    if (loaded.modules.length + loaded.providers.length === before) {
      throw new StorageError({
        code: "InvalidArgument",
        message: `the adapter module given as ${entry.label} exports no DI module (providerModule(provider)) and no StorageProvider`,
      });
    }
  }
  return loaded;
}
