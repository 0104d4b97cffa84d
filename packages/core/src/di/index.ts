/**
 * Dependency injection with inversify: tokens, provider modules, the provider registry,
 * configuration loading and {@link createStorageContainer}.
 */
// inversify reads decorator metadata through the Reflect API; load the polyfill once, here.
import "reflect-metadata";

export * from "./tokens.js";
export * from "./provider-module.js";
export * from "./provider-registry.js";
export * from "./storage-config.js";
export * from "./load-storage-config.js";
export * from "./create-storage-container.js";
