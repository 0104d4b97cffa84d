/**
 * @stowage/examples: an application written against the storage contracts only, and the
 * composition root that picks its providers by configuration.
 *
 * @packageDocumentation
 */
export * from "./document-service.js";
export * from "./main.js";
