/**
 * @stowage/adapter-redis: KeyValueStore on Redis or Valkey (standalone or cluster) with ordered listing.
 *
 * @packageDocumentation
 */
export {};
