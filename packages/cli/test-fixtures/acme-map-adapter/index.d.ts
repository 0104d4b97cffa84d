import type { StorageProvider } from "@stowage/core";
import type { ContainerModule } from "inversify";

/** The acme-map provider: `{ "provider": "acme-map", "map": "<name>" }`. */
export declare const acmeMapProvider: StorageProvider;
/** The DI module contributing {@link acmeMapProvider}. */
export declare const acmeMapModule: ContainerModule;
/** The keys held by map `name`, for tests that look behind the adapter's back. */
export declare function acmeMapKeys(name: string): Promise<string[]>;
