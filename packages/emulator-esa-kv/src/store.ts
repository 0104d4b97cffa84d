import { compareUtf8, type Clock } from "@stowage/core";
import { EsaKvEmulatorError } from "./errors.js";
import { DEFAULT_ESA_KV_EMULATOR_LIMITS, type EsaKvEmulatorLimits } from "./limits.js";

/**
 * The emulator's data: namespaces and their entries, with TTL expiry on the injected clock and
 * capacity accounting. Wire concerns (parameters, encodings, response shapes) live in the
 * action handlers; this file only knows bytes, names and time.
 */

/** One stored value. */
export interface StoredEntry {
  /** The value bytes (already Base64-decoded when it was written with `Base64=true`). */
  value: Uint8Array;
  /** Last write, ms since the epoch. */
  updatedAt: number;
  /** Expiry, ms since the epoch; absent when the key never expires. */
  expiresAt?: number;
}

/** One namespace and its entries. */
export interface StoredNamespace {
  /** The name as created (lookups are case-insensitive, as DCDN documents). */
  name: string;
  /** Numeric string, as the real service returns (e.g. `657717877171818496`). */
  id: string;
  description: string;
  entries: Map<string, StoredEntry>;
  /** Key plus value bytes of every entry. */
  usedBytes: number;
}

/** A JSON-serialisable image of the store, for persistence. Values are Base64. */
export interface StoreSnapshot {
  version: 1;
  nextId: string;
  namespaces: Array<{
    name: string;
    id: string;
    description: string;
    entries: Array<{ key: string; value: string; updatedAt: number; expiresAt?: number }>;
  }>;
}

interface NamespaceState extends StoredNamespace {
  /** Sorted live key names, rebuilt lazily after a write. */
  sortedKeys: string[] | undefined;
  /** Earliest `expiresAt` among the entries, so expiry sweeps run only when one is due. */
  nextExpiry: number;
}

/** Bytes one entry occupies: its key in UTF-8 plus its value. */
function entryBytes(key: string, value: Uint8Array): number {
  return Buffer.byteLength(key) + value.byteLength;
}

/** The in-memory store. */
export class EsaKvStore {
  private readonly namespaces = new Map<string, NamespaceState>();
  private nextId = BigInt(657_717_877_171_818_496n);

  constructor(
    private readonly clock: Clock,
    private readonly limits: EsaKvEmulatorLimits,
  ) {}

  /** Creates a namespace; raises `InvalidNameSpace.Duplicate` or `InvalidNameSpace.QuotaFull`. */
  createNamespace(name: string, description: string): StoredNamespace {
    const id = name.toLowerCase();
    if (this.namespaces.has(id)) throw new EsaKvEmulatorError("InvalidNameSpace.Duplicate");
    if (this.namespaces.size >= this.limits.namespaceQuota) throw new EsaKvEmulatorError("InvalidNameSpace.QuotaFull");
    const state: NamespaceState = {
      name,
      id: String(this.nextId++),
      description,
      entries: new Map(),
      usedBytes: 0,
      sortedKeys: undefined,
      nextExpiry: Number.POSITIVE_INFINITY,
    };
    this.namespaces.set(id, state);
    return state;
  }

  /** Deletes a namespace and its entries; raises `InvalidNameSpace.NotFound`. */
  deleteNamespace(name: string): void {
    if (!this.namespaces.delete(name.toLowerCase())) throw new EsaKvEmulatorError("InvalidNameSpace.NotFound", `The specified namespace does not exist: ${name}.`);
  }

  /** The namespace, with expired entries swept; raises `InvalidNameSpace.NotFound`. */
  namespace(name: string): StoredNamespace {
    return this.state(name);
  }

  /** Every namespace, in creation order. */
  listNamespaces(): StoredNamespace[] {
    return [...this.namespaces.values()].map((ns) => this.sweep(ns));
  }

  /** Total bytes used across namespaces. */
  accountUsedBytes(): number {
    let total = 0;
    for (const ns of this.namespaces.values()) total += this.sweep(ns).usedBytes;
    return total;
  }

  /** The live entry, or undefined when missing or expired. */
  get(namespace: string, key: string): StoredEntry | undefined {
    return this.state(namespace).entries.get(key);
  }

  /**
   * Checks that writing `value` under `key` fits the namespace and account capacity, without
   * writing (so a batch can reject one item and go on). Raises `InvalidKey.ExceedsCapacity`.
   */
  checkCapacity(namespace: string, key: string, value: Uint8Array): void {
    const ns = this.state(namespace);
    const previous = ns.entries.get(key);
    const delta = entryBytes(key, value) - (previous ? entryBytes(key, previous.value) : 0);
    if (ns.usedBytes + delta > this.limits.namespaceCapacityBytes) {
      // The documented message names 1 GB; a capacity configured for tests is named as set.
      const documented = this.limits.namespaceCapacityBytes === DEFAULT_ESA_KV_EMULATOR_LIMITS.namespaceCapacityBytes;
      const message = documented ? undefined : `The maximum capacity of this namespace is ${this.limits.namespaceCapacityBytes} bytes (emulator setting).`;
      throw new EsaKvEmulatorError("InvalidKey.ExceedsCapacity", message);
    }
    if (this.accountUsedBytes() + delta > this.limits.accountCapacityBytes) {
      throw new EsaKvEmulatorError("InvalidKey.ExceedsCapacity", "The capacity of the account is exhausted.");
    }
  }

  /** Writes an entry after {@link checkCapacity}. */
  put(namespace: string, key: string, value: Uint8Array, expiresAt: number | undefined): StoredEntry {
    this.checkCapacity(namespace, key, value);
    const ns = this.state(namespace);
    const previous = ns.entries.get(key);
    if (previous) ns.usedBytes -= entryBytes(key, previous.value);
    else ns.sortedKeys = undefined;
    const entry: StoredEntry = { value, updatedAt: this.clock.now() };
    if (expiresAt !== undefined) {
      entry.expiresAt = expiresAt;
      ns.nextExpiry = Math.min(ns.nextExpiry, expiresAt);
    }
    ns.entries.set(key, entry);
    ns.usedBytes += entryBytes(key, value);
    return entry;
  }

  /** Deletes an entry; false when it did not exist (or had expired). */
  delete(namespace: string, key: string): boolean {
    const ns = this.state(namespace);
    const previous = ns.entries.get(key);
    if (!previous) return false;
    this.remove(ns, key, previous);
    return true;
  }

  /**
   * Live key names starting with `prefix`, in UTF-8 byte order, with their entries. The
   * service's order is undocumented; byte order is what key-value stores (and S3) list in, and
   * what the contract promises.
   */
  list(namespace: string, prefix: string): Array<[string, StoredEntry]> {
    const ns = this.state(namespace);
    ns.sortedKeys ??= [...ns.entries.keys()].sort(compareUtf8);
    const out: Array<[string, StoredEntry]> = [];
    for (const key of ns.sortedKeys) {
      if (!key.startsWith(prefix)) continue;
      const entry = ns.entries.get(key);
      if (entry) out.push([key, entry]);
    }
    return out;
  }

  /** An image of everything, for persistence. */
  snapshot(): StoreSnapshot {
    return {
      version: 1,
      nextId: String(this.nextId),
      namespaces: this.listNamespaces().map((ns) => ({
        name: ns.name,
        id: ns.id,
        description: ns.description,
        entries: [...ns.entries].map(([key, entry]) => ({
          key,
          value: Buffer.from(entry.value.buffer, entry.value.byteOffset, entry.value.byteLength).toString("base64"),
          updatedAt: entry.updatedAt,
          ...(entry.expiresAt === undefined ? {} : { expiresAt: entry.expiresAt }),
        })),
      })),
    };
  }

  /** Replaces everything with `snapshot` (limits are not re-checked: data written under them stays). */
  restore(snapshot: StoreSnapshot): void {
    this.namespaces.clear();
    this.nextId = BigInt(snapshot.nextId);
    for (const saved of snapshot.namespaces) {
      const ns: NamespaceState = {
        name: saved.name,
        id: saved.id,
        description: saved.description,
        entries: new Map(),
        usedBytes: 0,
        sortedKeys: undefined,
        nextExpiry: Number.POSITIVE_INFINITY,
      };
      for (const item of saved.entries) {
        const value = new Uint8Array(Buffer.from(item.value, "base64"));
        const entry: StoredEntry = { value, updatedAt: item.updatedAt };
        if (item.expiresAt !== undefined) {
          entry.expiresAt = item.expiresAt;
          ns.nextExpiry = Math.min(ns.nextExpiry, item.expiresAt);
        }
        ns.entries.set(item.key, entry);
        ns.usedBytes += entryBytes(item.key, value);
      }
      this.namespaces.set(saved.name.toLowerCase(), ns);
    }
  }

  private state(name: string): NamespaceState {
    const ns = this.namespaces.get(name.toLowerCase());
    if (!ns) throw new EsaKvEmulatorError("InvalidNameSpace.NotFound", `The specified namespace does not exist: ${name}.`);
    return this.sweep(ns);
  }

  /** Drops expired entries, but only when the earliest expiry has passed. */
  private sweep(ns: NamespaceState): NamespaceState {
    const now = this.clock.now();
    if (ns.nextExpiry > now) return ns;
    let next = Number.POSITIVE_INFINITY;
    for (const [key, entry] of ns.entries) {
      if (entry.expiresAt === undefined) continue;
      if (entry.expiresAt <= now) this.remove(ns, key, entry);
      else next = Math.min(next, entry.expiresAt);
    }
    ns.nextExpiry = next;
    return ns;
  }

  private remove(ns: NamespaceState, key: string, entry: StoredEntry): void {
    ns.entries.delete(key);
    ns.usedBytes -= entryBytes(key, entry.value);
    ns.sortedKeys = undefined;
  }
}
