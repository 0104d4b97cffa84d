/**
 * Subjects: how the suite gets fresh, isolated stores from an adapter, and the optional
 * powers only some adapters have (a controllable clock, a tiny namespace, a second bucket).
 */
import type { KeyValueLimits, KeyValueStore, MultipartObjectStore, ObjectStoreLimits } from "@stowage/core";

/** Time as a case sees it when it must wait for an expiry. */
export interface SubjectClock {
  /** The store's notion of now, in milliseconds since the epoch. */
  now(): number;
  /** Moves the store's time forward; an adapter without a fake clock may simply wait this long. */
  advance(ms: number): void | Promise<void>;
}

/** A store together with the clock it reads. */
export interface ClockedStore<Store> {
  /** A fresh store that reads `clock`. */
  store: Store;
  /** The clock the store reads; a case advances it to reach an expiry. */
  clock: SubjectClock;
}

/** How the key-value suite reaches an adapter. Every case calls `create()` for its own store. */
export interface KeyValueStoreSubject {
  /** A fresh, empty, isolated namespace (random name or prefix). */
  create(): Promise<KeyValueStore>;
  /** Removes what a case made and releases the store; default `store.close()`. */
  cleanup?(store: KeyValueStore): Promise<void>;
  /** The manifest the suite holds the adapter to; default `store.limits`. */
  limits?: KeyValueLimits;
  /** A fresh store whose time the suite controls (TTL and expiry cases). */
  createWithClock?(): Promise<ClockedStore<KeyValueStore>>;
  /** A fresh store whose namespace holds at most `bytes` bytes (`QuotaExceeded` cases). */
  createWithCapacity?(bytes: number): Promise<KeyValueStore>;
  /** A fresh store whose listings reach at most `keys` keys, i.e. `limits.listMaxKeys` (list-window cases). */
  createWithListWindow?(keys: number): Promise<KeyValueStore>;
  /** Deletes the store's namespace behind its back (`NamespaceNotFound` cases). */
  dropNamespace?(store: KeyValueStore): Promise<void>;
  /** Set on provider adapters: errors that come from the provider carry its `providerCode`. */
  reportsProviderCodes?: boolean;
}

/** A second bucket, for copies whose source lives elsewhere. */
export interface OtherBucket {
  /** The bucket's name, as a copy source names it. */
  bucket: string;
  /** A store on that bucket, used to put the source object. */
  store: MultipartObjectStore;
}

/** How the object suite reaches an adapter. Every case calls `create()` for its own store. */
export interface MultipartObjectStoreSubject {
  /** A fresh, empty, isolated bucket (or prefix). */
  create(): Promise<MultipartObjectStore>;
  /** Removes what a case made and releases the store; default `store.close()`. */
  cleanup?(store: MultipartObjectStore): Promise<void>;
  /** The manifest the suite holds the adapter to; default `store.limits`. */
  limits?: ObjectStoreLimits;
  /** Another bucket that `store`'s copies can read from (`copyAcrossBuckets` cases). */
  createOtherBucket?(store: MultipartObjectStore): Promise<OtherBucket>;
  /** Deletes the store's bucket behind its back (`BucketNotFound` cases). */
  dropBucket?(store: MultipartObjectStore): Promise<void>;
}
