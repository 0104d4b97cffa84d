/**
 * @stowage/adapter-fs: KeyValueStore and MultipartObjectStore on a local directory: the durable embedded default.
 *
 * @packageDocumentation
 */
export {};
