/**
 * The fs key-value store: one durable record file per key under `<root>/kv/`, the expiry
 * stored in the record beside the value.
 */
import { link, mkdir, open, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import {
  StorageError,
  createKeyValueStore,
  systemClock,
  throwIfAborted,
  type Clock,
  type DriverCallContext,
  type KeyValueLimits,
  type KeyValueStore,
  type KeyValueStoreDriver,
  type KvBatchResult,
  type KvDriverEntry,
  type KvEntry,
  type KvExpiry,
  type KvListEntry,
  type KvListPage,
  decodeListCursor,
  encodeListCursor,
  listPageSize,
} from "@stowage/core";
import type { FsKeyValueStoreOptions } from "./config.js";
import { openRecord, parseRecord, readAttributes, readRecordFrom, readWholeFile, sweepTempFiles, syncDirectory, tempName, writeRecord } from "./durable-file.js";
import { fileSystemError, invalidArgument } from "./errors.js";
import { isNotFound, keyPaths, walkKeys } from "./key-path.js";
import { FS_KV_DEFAULT_PAGE_SIZE, FS_KV_LIMITS } from "./limits.js";
import { readAhead } from "./read-ahead.js";

/** The attributes a KV record keeps after its value. */
interface KvAttributes {
  /** When the key was written, epoch milliseconds. */
  u: number;
  /** When it expires, epoch milliseconds; absent for a key that never expires. */
  e?: number;
}

/** The folder of a root that holds the key-value records. */
export const KV_FOLDER = "kv";

/**
 * A {@link KeyValueStoreDriver} over a directory.
 *
 * - Every `put` is durable when it resolves (temp → fsync → rename → fsync directory); a
 *   reader sees the old or the new value, never a mix, and never the new value with the old
 *   expiry (both are in one file).
 * - A key whose expiry has passed is absent from `get`, `list` and `delete` at once; `get`
 *   removes its file, safely against a concurrent overwrite (it is renamed aside first, and a newer value found there is put back).
 * - Several stores (in this process or others) may share a root: each key is last writer wins.
 */
export class FsKeyValueStoreDriver implements KeyValueStoreDriver {
  readonly limits: KeyValueLimits;
  /** The store's root directory. */
  readonly root: string;
  /** Where the records are: `<root>/kv`. */
  readonly dir: string;
  private readonly clock: Clock;

  private constructor(options: Omit<FsKeyValueStoreOptions, "layers">) {
    this.limits = options.limits ?? FS_KV_LIMITS;
    this.root = options.root;
    this.dir = join(options.root, KV_FOLDER);
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Opens (creating when missing) the store's directory and removes the temp files that
   * crashed writers left in it. Writers that are still running are left alone.
   */
  static async open(options: Omit<FsKeyValueStoreOptions, "layers">): Promise<FsKeyValueStoreDriver> {
    const driver = new FsKeyValueStoreDriver(options);
    try {
      await mkdir(driver.dir, { recursive: true });
      await sweepTempFiles(driver.dir);
    } catch (err) {
      throw fileSystemError(err, { operation: "open" });
    }
    return driver;
  }

  async get(key: string, ctx: DriverCallContext): Promise<KvEntry | undefined> {
    throwIfAborted(ctx.signal);
    const context = { operation: "get", key };
    const { file } = keyPaths(this.dir, key);
    try {
      // The fast path is one whole-file read, as cheap as a raw read; only an expired value
      // needs the file's identity, to remove exactly it.
      const bytes = await readWholeFile(file);
      if (bytes === undefined) return undefined;
      const record = parseRecord<KvAttributes>(bytes, file);
      if (isExpired(record.attributes, this.clock.now())) {
        await this.removeExpired(file);
        return undefined;
      }
      const entry: KvEntry = { key, value: record.data };
      if (record.attributes.e !== undefined) entry.expiresAt = new Date(record.attributes.e);
      return entry;
    } catch (err) {
      throw fileSystemError(err, context);
    }
  }

  async put(key: string, value: Uint8Array, expiry: KvExpiry, ctx: DriverCallContext): Promise<void> {
    throwIfAborted(ctx.signal);
    await this.write(key, value, expiry, "put", ctx.signal);
  }

  async delete(key: string, ctx: DriverCallContext): Promise<boolean> {
    throwIfAborted(ctx.signal);
    return this.remove(key, "delete");
  }

  async list(request: { prefix?: string; limit?: number; cursor?: string }, ctx: DriverCallContext): Promise<KvListPage> {
    throwIfAborted(ctx.signal);
    const prefix = request.prefix ?? "";
    const limit = listPageSize(request.limit, FS_KV_DEFAULT_PAGE_SIZE, this.limits.listMaxPageSize);
    let after: string | undefined;
    if (request.cursor !== undefined) {
      const [cursorPrefix, last] = decodeListCursor("fs", "kv", request.cursor, ["string", "string"], "list") as [string, string];
      if (cursorPrefix !== prefix) throw invalidArgument("The cursor belongs to a listing with another prefix", { operation: "list" });
      after = last;
    }
    const now = this.clock.now();
    const keys: KvListEntry[] = [];
    let more = false;
    try {
      const found = walkKeys(this.dir, after === undefined ? { prefix } : { prefix, after });
      for await (const [{ key }, attributes] of readAhead(found, (f) => readAttributes<KvAttributes>(f.path))) {
        throwIfAborted(ctx.signal);
        // Deleted since the directory was read, or expired.
        if (attributes === undefined || isExpired(attributes, now)) continue;
        if (keys.length === limit) {
          more = true;
          break;
        }
        const entry: KvListEntry = { key, updatedAt: new Date(attributes.u) };
        if (attributes.e !== undefined) entry.expiresAt = new Date(attributes.e);
        keys.push(entry);
      }
    } catch (err) {
      throw fileSystemError(err, { operation: "list" });
    }
    const page: KvListPage = { keys };
    if (more) page.cursor = encodeListCursor("fs", "kv", [prefix, keys[keys.length - 1]!.key]);
    return page;
  }

  async putMany(entries: KvDriverEntry[], ctx: DriverCallContext): Promise<KvBatchResult> {
    throwIfAborted(ctx.signal);
    // Each entry is written on its own, durably: one that fails (say, a full disk) is reported
    // alone and the others stand. Writes run a few at a time so their fsyncs share journal
    // commits; writes of one key keep request order, so the last entry of a key wins.
    const outcomes = await inLanes(entries, (entry) => entry.key, (entry) => this.write(entry.key, entry.value, entry, "putMany", ctx.signal, false));
    // The renames are durable once their directories are: one fsync per directory for the
    // whole batch instead of one per key. A key is reported written only after it.
    const dirs = new Map<string, number[]>();
    entries.forEach((entry, i) => {
      if (outcomes[i] !== undefined) return;
      const { dir } = keyPaths(this.dir, entry.key);
      dirs.set(dir, [...(dirs.get(dir) ?? []), i]);
    });
    for (const [dir, indexes] of dirs) {
      try {
        await syncDirectory(dir);
      } catch (err) {
        for (const i of indexes) outcomes[i] = fileSystemError(err, { operation: "putMany", key: entries[i]!.key });
      }
    }
    return batchResult(entries.map((e) => e.key), outcomes);
  }

  async deleteMany(keys: string[], ctx: DriverCallContext): Promise<KvBatchResult> {
    throwIfAborted(ctx.signal);
    // An absent key is deleted as far as the caller can tell, so it counts as succeeded.
    const outcomes = await inLanes(keys, (key) => key, async (key) => {
      throwIfAborted(ctx.signal);
      await this.remove(key, "deleteMany");
    });
    return batchResult(keys, outcomes);
  }

  /** Removes the file at `file` if what it holds now is expired (re-read through one handle, so the inode judged is the one removed). */
  private async removeExpired(file: string): Promise<void> {
    let handle;
    try {
      handle = await open(file, "r");
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    try {
      const record = await readRecordFrom<KvAttributes>(handle, file);
      if (isExpired(record.attributes, this.clock.now())) await removeIfUnchanged(file, (await handle.stat()).ino);
    } finally {
      await handle.close();
    }
  }

  /** Writes the record of `key` durably. */
  private async write(key: string, value: Uint8Array, expiry: KvExpiry, operation: string, signal: AbortSignal, syncDir = true): Promise<void> {
    const now = this.clock.now();
    const attributes: KvAttributes = { u: now };
    if (expiry.ttlSeconds !== undefined) attributes.e = now + expiry.ttlSeconds * 1000;
    else if (expiry.expiresAt !== undefined) {
      // The driver's clock decides when the key vanishes, so it judges "in the future" too.
      if (!(expiry.expiresAt.getTime() > now)) throw invalidArgument("expiresAt is not in the future", { operation, key });
      attributes.e = expiry.expiresAt.getTime();
    }
    const { dir, file } = keyPaths(this.dir, key);
    try {
      await writeRecord(dir, file.slice(dir.length + 1), value, attributes, signal, dir !== this.dir, syncDir);
    } catch (err) {
      throw fileSystemError(err, { operation, key });
    }
  }

  /**
   * Removes `key`; resolves whether it held a live value. The file is first renamed aside, so
   * what is judged (expired or not) is exactly what was removed, whatever writers do meanwhile.
   */
  private async remove(key: string, operation: string): Promise<boolean> {
    const { dir, file } = keyPaths(this.dir, key);
    const aside = join(dir, tempName());
    try {
      try {
        await rename(file, aside);
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
      const record = await openRecord<KvAttributes>(aside);
      await record?.handle.close();
      await unlink(aside);
      await syncDirectory(dir);
      return record !== undefined && !isExpired(record.attributes, this.clock.now());
    } catch (err) {
      throw fileSystemError(err, { operation, key });
    }
  }
}

/** Batch writes in flight at once: enough to share fsyncs, few enough not to flood the disk queue. */
const BATCH_CONCURRENCY = 16;

/**
 * Runs `fn` on every item, {@link BATCH_CONCURRENCY} at a time, items of the same lane (key)
 * one after another in order; resolves each item's error, or `undefined` for success.
 */
async function inLanes<T>(items: readonly T[], lane: (item: T) => string, fn: (item: T) => Promise<void>): Promise<unknown[]> {
  const outcomes: unknown[] = new Array(items.length);
  const tails = new Map<string, Promise<void>>();
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i]!;
      const previous = tails.get(lane(item));
      const run = (async () => {
        await previous;
        try {
          await fn(item);
        } catch (err) {
          outcomes[i] = err;
        }
      })();
      tails.set(lane(item), run);
      await run;
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, items.length) }, worker));
  return outcomes;
}

/** Per-key results; an abort or a foreign error fails the whole call, as it would a single put. */
function batchResult(keys: readonly string[], outcomes: readonly unknown[]): KvBatchResult {
  const result: KvBatchResult = { succeeded: [], failed: [] };
  for (const err of outcomes) {
    if (err !== undefined && (!(err instanceof StorageError) || err.code === "Aborted")) throw err;
  }
  keys.forEach((key, i) => {
    const err = outcomes[i];
    if (err === undefined) result.succeeded.push(key);
    else result.failed.push({ key, error: err as StorageError });
  });
  return result;
}

function isExpired(attributes: KvAttributes, now: number): boolean {
  return attributes.e !== undefined && attributes.e <= now;
}

/**
 * Removes the file at `path` if it is still the inode `ino` (an expired value just read). It
 * is renamed aside first; if a writer replaced it meanwhile, the newer file is linked back
 * unless an even newer one took its place, so a concurrent overwrite is never lost.
 */
async function removeIfUnchanged(path: string, ino: number): Promise<void> {
  const dir = join(path, "..");
  const aside = join(dir, tempName());
  try {
    await rename(path, aside);
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  if ((await stat(aside)).ino !== ino) {
    await link(aside, path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "EEXIST") throw err;
    });
  }
  await unlink(aside);
  await syncDirectory(dir);
}

/** An fs key-value store: the core facade over an {@link FsKeyValueStoreDriver}. */
export interface FsKeyValueStore extends KeyValueStore {
  /** The driver behind the facade (its `root` and `dir`). */
  readonly driver: FsKeyValueStoreDriver;
}

/**
 * Opens an fs key-value store behind the core facade (which validates keys, values, expiry
 * options and page sizes before the driver sees them).
 *
 * @example
 * ```ts
 * const kv = await createFsKeyValueStore({ root: "./data" });
 * await kv.put("session/42", "x", { ttlSeconds: 60 });
 * await kv.getText("session/42"); // "x", also after a restart
 * ```
 */
export async function createFsKeyValueStore(options: FsKeyValueStoreOptions): Promise<FsKeyValueStore> {
  const driver = await FsKeyValueStoreDriver.open(options);
  // The facade judges `expiresAt` by the same clock the driver expires keys by.
  const store = createKeyValueStore(driver, { layers: options.layers ?? [], clock: options.clock ?? systemClock });
  return Object.assign(store, { driver });
}
