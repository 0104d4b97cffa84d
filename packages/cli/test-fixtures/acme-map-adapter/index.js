// A third-party adapter as an adapter author would publish it: plain ESM, a provider with its
// own id ("acme-map") and a DI module. Its stores are named maps living as long as the process,
// shared by every store configured with the same `map` — like a remote namespace, so a
// conformance run through `--config` shares one map between its concurrent cases.
// (The entries are kept by the memory adapter's driver: the fixture is about loading an
// adapter the CLI does not ship, not about writing a new storage engine.)
import { providerModule } from "@stowage/core";
import { MemoryKeyValueStoreDriver } from "@stowage/adapter-memory";

const maps = new Map();

/** The acme-map provider: `{ "provider": "acme-map", "map": "<name>" }`. */
export const acmeMapProvider = {
  id: "acme-map",
  description: "Acme named maps (test fixture of a third-party adapter)",
  createKeyValueStoreDriver(config) {
    const name = typeof config.map === "string" && config.map !== "" ? config.map : "default";
    let driver = maps.get(name);
    if (!driver) maps.set(name, (driver = new MemoryKeyValueStoreDriver()));
    return driver;
  },
};

/** The DI module contributing {@link acmeMapProvider}. */
export const acmeMapModule = providerModule(acmeMapProvider);

/** The keys held by map `name`, for tests that look behind the adapter's back. */
export async function acmeMapKeys(name) {
  const driver = maps.get(name);
  if (!driver) return [];
  const keys = [];
  let cursor;
  do {
    const page = await driver.list(cursor === undefined ? {} : { cursor }, { signal: new AbortController().signal });
    keys.push(...page.keys.map((entry) => entry.key));
    cursor = page.cursor;
  } while (cursor !== undefined);
  return keys;
}
