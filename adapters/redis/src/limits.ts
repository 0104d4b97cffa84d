/**
 * The Redis adapter's manifest. Redis itself allows keys and values up to 512 MB
 * (`proto-max-bulk-len`) and has no per-namespace capacity (memory is server-wide,
 * `maxmemory`), so these are sane defaults rather than the server's ceilings: a Redis server is
 * single-threaded, and one huge value or batch stalls every other client while it is copied.
 * Every number can be overridden per store (`limits` in the configuration).
 */
import { LATEST_DATE_SECONDS, UNLIMITED, defineLimits, type KeyValueLimits } from "@stowage/core";

const MiB = 1024 * 1024;

/** The default key-value manifest of a Redis store. */
export const REDIS_KV_LIMITS: KeyValueLimits = defineLimits({
  // Each key is stored twice (the value's Redis key and a member of the listing index), and
  // listing pages carry them, so a long key costs twice its memory; 1 KiB covers paths and ids.
  keyMaxBytes: 1024,
  // Redis keys and sorted-set members are binary-safe: no character is special.
  keyForbiddenCharacters: "",
  // 16 MiB: well under the 512 MB bulk limit, small enough not to stall the server for long.
  putMaxValueBytes: 16 * MiB,
  // No separate large-value path on Redis.
  putLargeMaxValueBytes: 16 * MiB,
  // SET … PXAT: millisecond expiry, absolute or computed from the server's TIME.
  putWithTtl: true,
  putWithExpiresAt: true,
  putMinTtlSeconds: 1,
  // Added by H3 (core's new manifest field): PXAT takes int64 ms, further than a Date reaches.
  putMaxExpiresAtSeconds: LATEST_DATE_SECONDS,
  // putMany / deleteMany are pipelined: one write of many commands, one reply each.
  putMany: true,
  // One pipelined batch at most 16 MiB of values, so a batch never holds the socket for long.
  putManyMaxBytes: 16 * MiB,
  deleteMany: true,
  deleteManyMaxKeys: 1000,
  // One ZRANGE … BYLEX LIMIT per page, run inside a script: larger pages block the server longer.
  listMaxPageSize: 1000,
  // Cursors are index members, not offsets, so a listing can go on for ever.
  listMaxKeys: UNLIMITED,
  // Memory is limited per server (`maxmemory`, answered with -OOM → QuotaExceeded), not per namespace.
  namespaceMaxBytes: UNLIMITED,
});

/** Page size of a `list` call without `limit`. */
export const REDIS_KV_DEFAULT_PAGE_SIZE = 100;

/** Default time to establish a connection (TCP, TLS, AUTH, HELLO) before `Network`/`Timeout`. */
export const REDIS_DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/**
 * Default time a command may take, queued or in flight, before it fails with `Timeout`: a server
 * that stops answering (paused, partitioned) must not hang callers.
 */
export const REDIS_DEFAULT_COMMAND_TIMEOUT_MS = 5_000;
