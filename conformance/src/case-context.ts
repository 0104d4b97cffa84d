/** What a running case receives: its own store, the manifest it is held to, and its subject. */
import type { KeyValueLimits, KeyValueStore, MultipartObjectStore, ObjectStoreLimits } from "@stowage/core";
import type { CaseRegistry, ConformanceCase, Requirement } from "./case.js";
import type { KeyValueStoreSubject, MultipartObjectStoreSubject } from "./subject.js";

/** The context of one case. */
export interface CaseContext<Store, Limits, Subject> {
  /** A fresh store made for this case alone. */
  readonly store: Store;
  /** The manifest: `subject.limits`, or else `store.limits`. */
  readonly limits: Limits;
  /** The subject, for its optional powers. */
  readonly subject: Subject;
  /** Fires when the case runs out of time; pass it on to long calls. */
  readonly signal: AbortSignal;
  /** Registers a store the case opened itself, so it is cleaned up with the case. Returns it. */
  adopt(store: Store): Store;
}

/** The context of a key-value case. */
export type KvCaseContext = CaseContext<KeyValueStore, KeyValueLimits, KeyValueStoreSubject>;
/** The context of an object or multipart case. */
export type ObjectCaseContext = CaseContext<MultipartObjectStore, ObjectStoreLimits, MultipartObjectStoreSubject>;

/** A key-value case. */
export type KeyValueCase = ConformanceCase<KvCaseContext, KeyValueLimits, KeyValueStoreSubject>;
/** An object or multipart case. */
export type ObjectCase = ConformanceCase<ObjectCaseContext, ObjectStoreLimits, MultipartObjectStoreSubject>;

/** Where key-value feature files register their cases. */
export type KeyValueRegistry = CaseRegistry<KvCaseContext, KeyValueLimits, KeyValueStoreSubject>;
/** Where object and multipart feature files register their cases. */
export type ObjectRegistry = CaseRegistry<ObjectCaseContext, ObjectStoreLimits, MultipartObjectStoreSubject>;
/** A precondition of a key-value case. */
export type KeyValueRequirement = Requirement<KeyValueLimits, KeyValueStoreSubject>;
/** A precondition of an object or multipart case. */
export type ObjectRequirement = Requirement<ObjectStoreLimits, MultipartObjectStoreSubject>;
