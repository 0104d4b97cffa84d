import type { EsaKvEmulatorLimits } from "./limits.js";

/**
 * The largest body each RPC action may send, derived from its documented limits so that a
 * request at the limit passes and anything far beyond it is refused while it streams in,
 * never buffered whole. Form encoding expands a value: percent-encoding writes a byte as up
 * to three characters, and JSON escaping (`KvList`, `Keys`) adds up to two more per byte.
 */

/** Room for the other parameters of a form beside its one large field. */
const FORM_OVERHEAD_BYTES = 64 * 1024;
/** Percent-encoding: one byte becomes at most `%XX`. */
const PERCENT_ENCODING_FACTOR = 3;
/** JSON string escaping followed by percent-encoding (`\"` → `%5C%22`). */
const JSON_FORM_FACTOR = 6;

/** What happens when an action's body passes its cap. */
export interface BodyCap {
  maxBytes: number;
  /** The documented error for the action's payload being too large. */
  code: "InvalidValue.ExceedsMaximum" | "InvalidParameter";
}

/** The body cap of `action`. */
export function bodyCapOf(action: string, limits: EsaKvEmulatorLimits): BodyCap {
  switch (action) {
    // "The maximum size of a request is 2 MB" (PutKv); "The total size cannot exceed 2 MB" (BatchPutKv).
    case "PutKv":
      return { maxBytes: PERCENT_ENCODING_FACTOR * limits.valueMaxBytes + FORM_OVERHEAD_BYTES, code: "InvalidValue.ExceedsMaximum" };
    case "BatchPutKv":
      return { maxBytes: JSON_FORM_FACTOR * limits.valueMaxBytes + FORM_OVERHEAD_BYTES, code: "InvalidValue.ExceedsMaximum" };
    // "You can delete up to 10,000 keys", each at most keyMaxBytes.
    case "BatchDeleteKv":
      return { maxBytes: JSON_FORM_FACTOR * limits.batchDeleteMaxKeys * (limits.keyMaxBytes + 3) + FORM_OVERHEAD_BYTES, code: "InvalidParameter" };
    // Every other action carries its parameters in the query (the *WithHighCapacity payload
    // travels by Url) or a small form (CreateKvNamespace's Description ≤ 1024 characters).
    default:
      return { maxBytes: FORM_OVERHEAD_BYTES, code: "InvalidParameter" };
  }
}
