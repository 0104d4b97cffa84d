/**
 * The multipart checks a store that emulates a provider in process (memory, fs) makes itself:
 * the facade checks the same arguments first, but the driver is what a bypassing caller
 * reaches, and the emulated provider answers these conditions with its own codes (KS3
 * `InvalidPartNum`, S3 `InvalidPartNumber`), which the store's error table supplies.
 */
import type { EmulatedErrors } from "./emulated-errors.js";
import type { ErrorContext } from "./error-context.js";
import type { ObjectStoreLimits } from "./limits.js";
import type { CompletedPart } from "./multipart-object-store.js";
import { quoteEtag } from "./preconditions.js";

/** The limits the multipart checks read. */
export type EmulatedMultipartLimits = Pick<
  ObjectStoreLimits,
  "multipartMinPartNumber" | "multipartMaxPartNumber" | "multipartPartNumbersContiguous" | "multipartMinPartBytes"
>;

/** What the Complete checks read of an uploaded part; its size comes from a callback. */
export interface EmulatedUploadedPart {
  /** The part's ETag as the store answered it, quoted. */
  readonly etag: string;
}

/** Raises `InvalidPartNumber` unless `partNumber` is an integer within the manifest's range. */
export function checkEmulatedPartNumber(
  partNumber: number,
  limits: EmulatedMultipartLimits,
  errors: Pick<EmulatedErrors, "invalidPartNumber">,
  context: ErrorContext,
): void {
  const { multipartMinPartNumber: min, multipartMaxPartNumber: max } = limits;
  if (!Number.isSafeInteger(partNumber) || partNumber < min || partNumber > max) throw errors.invalidPartNumber(partNumber, min, max, context);
}

/**
 * The uploaded parts a Complete names, in its order, after the checks of S3 and KS3 (doc
 * 42469): non-empty and strictly ascending (`InvalidPartOrder`), contiguous from the first
 * part number where the manifest says so (`InvalidPartOrder`; KS3: "块号不连续，有缺失块",
 * part numbers not contiguous), each uploaded with the ETag given, compared quoted
 * (`InvalidPart`), each but the last at least `multipartMinPartBytes` (`EntityTooSmall`).
 * `uploaded` maps part numbers to the store's parts; `sizeOf` gives a part's size in bytes.
 */
export function chooseCompletedParts<P extends EmulatedUploadedPart>(
  parts: readonly CompletedPart[],
  uploaded: ReadonlyMap<number, P>,
  sizeOf: (part: P) => number,
  limits: EmulatedMultipartLimits,
  errors: Pick<EmulatedErrors, "invalidPartOrder" | "invalidPart" | "entityTooSmall">,
  context: ErrorContext,
): P[] {
  if (parts.length === 0) throw errors.invalidPartOrder("The part list is empty", context);
  const first = limits.multipartMinPartNumber;
  parts.forEach((p, i) => {
    if (i > 0 && !(p.partNumber > parts[i - 1]!.partNumber)) {
      throw errors.invalidPartOrder("The part list is not in strictly ascending part-number order", context);
    }
    if (limits.multipartPartNumbersContiguous && p.partNumber !== first + i) {
      throw errors.invalidPartOrder(`The part list must number its parts ${first}, ${first + 1}, … without gaps`, context);
    }
  });
  const chosen = parts.map((p) => {
    const part = uploaded.get(p.partNumber);
    if (part === undefined || typeof p.etag !== "string" || quoteEtag(p.etag) !== part.etag) throw errors.invalidPart(p.partNumber, context);
    return part;
  });
  chosen.forEach((part, i) => {
    if (i < chosen.length - 1 && sizeOf(part) < limits.multipartMinPartBytes) {
      throw errors.entityTooSmall(parts[i]!.partNumber, sizeOf(part), limits.multipartMinPartBytes, context);
    }
  });
  return chosen;
}
