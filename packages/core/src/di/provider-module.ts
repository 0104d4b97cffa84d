import { ContainerModule } from "inversify";
import type { StorageProvider } from "../storage-provider.js";
import { StorageProviderToken } from "./tokens.js";

/**
 * The DI module of one provider: it contributes `provider` under {@link StorageProviderToken},
 * where {@link createStorageContainer} finds it. Every adapter, built-in or third-party,
 * exports one: `export const memoryModule = providerModule(memoryProvider);`.
 */
export function providerModule(provider: StorageProvider): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(StorageProviderToken).toConstantValue(provider);
  });
}
