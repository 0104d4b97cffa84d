/**
 * The Lua scripts that keep a value and its index entries together. A script runs atomically
 * on the server, so a reader never sees a value without its index entry or the reverse, and one
 * round trip does what would otherwise take a MULTI of three commands.
 *
 * The shebang flags (Redis 7 "Eval flags") matter: a script without `no-writes` is refused
 * up front with `-OOM` when the server is full (before it changes anything); deletes and
 * listings carry `allow-oom` because they only remove data and must keep working then.
 */
import { createHash } from "node:crypto";

/** A script and its SHA1, for EVALSHA. */
export interface RedisScript {
  /** Name, for messages. */
  readonly name: string;
  /** The Lua source. */
  readonly source: string;
  /** SHA1 of the source, hex: what EVALSHA names. */
  readonly sha1: string;
  /** Declared `no-writes`: a cluster client may route it like a read. */
  readonly readonly: boolean;
}

function script(name: string, source: string): RedisScript {
  return { name, source, sha1: createHash("sha1").update(source).digest("hex"), readonly: source.startsWith("#!lua flags=no-writes") };
}

/**
 * put without expiry, of one key or of a group of keys: KEYS = index, value key 1 … value key n;
 * ARGV = key 1 … key n, value 1 … value n. Returns how many of the keys were not listed yet
 * (new keys); the others were overwrites. A key given twice ends with its last value.
 *
 * The driver sends the puts without expiry that its callers issue in the same tick as one call
 * (put-groups.ts), so the script's fixed cost (EVALSHA lookup, Lua set-up, the reply) is shared,
 * and the whole group takes two `redis.call`s, one ZADD and one MSET, each of which costs about
 * a microsecond of server time on top of its work. All of a group's keys carry the namespace's
 * hash tag: one slot, so the multi-key script is legal on a cluster.
 *
 * Measured on the benchmark machine (Redis 7.0, 1 KiB values, new keys): a value that reaches
 * the server through Lua costs it a few µs more than one sent as a plain command (EVALSHA of
 * one SET of a new key: about 9 µs; the SET alone: about 1.3 µs). A MULTI { ZADD, MSET } of the
 * same group avoids that and was about 5 % faster end to end, but a transaction does not stop at
 * a failed command: with a foreign value at the index key (WRONGTYPE) the values would be
 * written without their index entries. A script stops at the first failed call, so:
 *
 * The index entries are written first: ZADD is the call that can fail (WRONGTYPE, when
 * something foreign replaced the index key), and a failed `redis.call` ends the script before
 * any value is written. A script is atomic, so no reader sees an index entry before its value
 * either; a full server refuses the script up front (`-OOM`), before it writes anything. The
 * expiry index is not touched: an earlier expiring put of the same key may leave its entry
 * there, and {@link LIST_SCRIPT} trusts an entry only while the value itself still has an
 * expiry (PEXPIRETIME), dropping it otherwise.
 *
 * A value key never exists without its index entry: they are written together, `delete`
 * removes both, and a listing that purges an expired key's entry deletes its value key too
 * (which may outlive its PXAT instant by the few milliseconds Redis's expiry clock lags TIME).
 * That is what lets the driver overwrite an existing key with a plain `SET … XX`.
 */
export const PUT_SCRIPT = script(
  "put",
  `#!lua
local n = #ARGV / 2
local members, pairs = {}, {}
for i = 1, n do
  members[2 * i - 1] = 0
  members[2 * i] = ARGV[i]
  pairs[2 * i - 1] = KEYS[i + 1]
  pairs[2 * i] = ARGV[n + i]
end
local added = redis.call('ZADD', KEYS[1], unpack(members))
redis.call('MSET', unpack(pairs))
return added
`,
);

/**
 * put with an expiry: KEYS = value key, index, expiry index; ARGV = value, key, mode (`ttl` |
 * `at`), seconds (ttl) or epoch milliseconds (at). A TTL is turned into an instant by the
 * server's own TIME, so the value's PXAT and the expiry index agree to the millisecond.
 */
export const PUT_EXPIRING_SCRIPT = script(
  "putExpiring",
  `#!lua
local at
if ARGV[3] == 'ttl' then
  local t = redis.call('TIME')
  at = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[4]) * 1000
else
  at = tonumber(ARGV[4])
end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', string.format('%.0f', at))
redis.call('ZADD', KEYS[3], at, ARGV[2])
redis.call('ZADD', KEYS[2], 0, ARGV[2])
return 1
`,
);

/** delete: KEYS = value key, index, expiry index; ARGV = key. Returns 1 when a live value was removed. */
export const DELETE_SCRIPT = script(
  "delete",
  `#!lua flags=allow-oom
local n = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return n
`,
);

/** getWithMetadata: KEYS = value key. Returns { value or nil, PEXPIRETIME (-1: none, -2: absent) }. */
export const GET_WITH_EXPIRY_SCRIPT = script(
  "getWithExpiry",
  `#!lua flags=no-writes
return { redis.call('GET', KEYS[1]), redis.call('PEXPIRETIME', KEYS[1]) }
`,
);

/**
 * list: KEYS = index, expiry index; ARGV = min, max (BYLEX bounds), limit, for a limited
 * window: window, passed-min, passed-max (else empty), and the value-key prefix. Returns
 * { more, key1, expiry1, key2, … } (expiry `''` when none), or { -1 } when the page would pass
 * the window.
 *
 * Index entries of keys that expired are purged here, a bounded number per call plus any the
 * page itself meets, so an expired key never appears and the index does not grow with dead keys.
 * A key expires when the server's time passes its PXAT instant (`now > at`), the same rule as here.
 *
 * An expiry-index entry is trusted only when the value still has an expiry of its own
 * (PEXPIRETIME ≠ -1): a put without expiry leaves the entry of an earlier expiring put in place
 * (see {@link PUT_SCRIPT}), and such a stale entry is dropped here without touching the key's
 * listing entry. The value keys are derived from the prefix; they carry the namespace's hash
 * tag, so they live in the slot of the declared keys.
 */
export const LIST_SCRIPT = script(
  "list",
  `#!lua flags=allow-oom
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local values = ARGV[7]
local gone = redis.call('ZRANGE', KEYS[2], '-inf', '(' .. string.format('%.0f', now), 'BYSCORE', 'LIMIT', 0, 512)
local dead, stale = {}, {}
for _, member in ipairs(gone) do
  local real = redis.call('PEXPIRETIME', values .. member)
  if real == -1 then
    stale[#stale + 1] = member
  elseif real < now then
    dead[#dead + 1] = member
    if real >= 0 then redis.call('DEL', values .. member) end
  else
    redis.call('ZADD', KEYS[2], real, member)
  end
end
if #dead > 0 then
  redis.call('ZREM', KEYS[1], unpack(dead))
  redis.call('ZREM', KEYS[2], unpack(dead))
end
if #stale > 0 then redis.call('ZREM', KEYS[2], unpack(stale)) end
local limit = tonumber(ARGV[3])
if ARGV[4] ~= '' then
  local passed = redis.call('ZLEXCOUNT', KEYS[1], ARGV[5], ARGV[6])
  if passed + limit > tonumber(ARGV[4]) then return { -1 } end
end
local out = { 0 }
local count = 0
local min = ARGV[1]
while true do
  local batch = redis.call('ZRANGE', KEYS[1], min, ARGV[2], 'BYLEX', 'LIMIT', 0, limit + 1)
  for _, member in ipairs(batch) do
    local at = redis.call('ZSCORE', KEYS[2], member)
    local live = true
    if at then
      local real = redis.call('PEXPIRETIME', values .. member)
      if real == -1 then
        redis.call('ZREM', KEYS[2], member)
        at = nil
      elseif real < now then
        if real >= 0 then redis.call('DEL', values .. member) end
        redis.call('ZREM', KEYS[1], member)
        redis.call('ZREM', KEYS[2], member)
        live = false
      else
        at = real
      end
    end
    if not live then
    elseif count == limit then
      out[1] = 1
      return out
    else
      count = count + 1
      out[#out + 1] = member
      out[#out + 1] = at and string.format('%.0f', at) or ''
    end
  end
  if #batch < limit + 1 then return out end
  min = '(' .. batch[#batch]
end
`,
);
