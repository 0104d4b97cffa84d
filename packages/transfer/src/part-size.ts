/**
 * Part sizing, from the store's limits manifest only, so the same call works on every adapter.
 *
 * - Known length: the smallest whole-MiB part size that keeps the part count within
 *   `multipartMaxPartNumber − multipartMinPartNumber + 1`, at least `multipartMinPartBytes`,
 *   at most `multipartMaxPartBytes` (a manifest whose maximum part is under 1 MiB, as in tests,
 *   gets the largest part it allows).
 * - Unknown length (a stream without `contentLength`): parts start at that size for a 0-byte
 *   hint, and double every `⌊maxParts / 20⌋` parts until `multipartMaxPartBytes`: on S3 or KS3
 *   (5 MiB … 5 GiB, 10,000 parts) the first 500 parts are 5 MiB and the last 5,000 are 5 GiB,
 *   about 27 TiB in all, well over the 5 TiB largest S3 object.
 * Part numbers are always contiguous from `multipartMinPartNumber`, which satisfies both KS3
 * (`multipartPartNumbersContiguous`) and S3.
 */
import type { ObjectStoreLimits } from "@stowage/core";
import { invalidOption } from "./errors.js";

const MiB = 1024 * 1024;

/** How an upload is cut into parts. */
export interface PartPlan {
  /** Number of the first part. */
  readonly firstPartNumber: number;
  /** Most parts the upload may have. */
  readonly maxParts: number;
  /** Size of part `index` (0-based): every part but the last has exactly this many bytes. */
  sizeOf(index: number): number;
  /** Byte offset of part `index` in the source. */
  offsetOf(index: number): number;
  /** Parts in all, when the length is known. */
  readonly partCount: number | undefined;
  /** The size every part but the last shares, when it is fixed (known length or an explicit size). */
  readonly fixedPartSize: number | undefined;
}

function maxPartsOf(limits: ObjectStoreLimits): number {
  return limits.multipartMaxPartNumber - limits.multipartMinPartNumber + 1;
}

/** The default part size for `totalBytes` (see the module comment). */
export function defaultPartSize(limits: ObjectStoreLimits, totalBytes: number): number {
  const needed = Math.ceil(totalBytes / maxPartsOf(limits));
  const wholeMiB = Math.max(MiB, Math.ceil(needed / MiB) * MiB);
  return Math.min(limits.multipartMaxPartBytes, Math.max(limits.multipartMinPartBytes, wholeMiB));
}

/**
 * Plans the parts of an upload of `totalBytes` (undefined: unknown), with the caller's
 * `partSize` if given. Raises `InvalidArgument` for a part size outside the manifest, and
 * `EntityTooLarge` when a known length needs more parts than the manifest allows.
 */
export function planParts(limits: ObjectStoreLimits, totalBytes: number | undefined, partSize?: number): PartPlan {
  const maxParts = maxPartsOf(limits);
  const firstPartNumber = limits.multipartMinPartNumber;
  if (partSize !== undefined) {
    if (!Number.isSafeInteger(partSize) || partSize < 1) throw invalidOption("partSize must be a positive integer");
    if (partSize < limits.multipartMinPartBytes) throw invalidOption(`partSize ${partSize} is below the store's multipartMinPartBytes (${limits.multipartMinPartBytes})`);
    if (partSize > limits.multipartMaxPartBytes) throw invalidOption(`partSize ${partSize} is above the store's multipartMaxPartBytes (${limits.multipartMaxPartBytes})`);
  }
  if (totalBytes !== undefined) {
    const size = partSize ?? defaultPartSize(limits, totalBytes);
    const partCount = Math.max(1, Math.ceil(totalBytes / size));
    if (partCount > maxParts) throw invalidOption(`${totalBytes} bytes in parts of ${size} needs ${partCount} parts; the store allows ${maxParts} (raise partSize)`);
    return {
      firstPartNumber,
      maxParts,
      partCount,
      fixedPartSize: size,
      sizeOf: (i) => (i < partCount - 1 ? size : totalBytes - size * (partCount - 1)),
      offsetOf: (i) => i * size,
    };
  }
  if (partSize !== undefined) {
    return { firstPartNumber, maxParts, partCount: undefined, fixedPartSize: partSize, sizeOf: () => partSize, offsetOf: (i) => i * partSize };
  }
  const base = defaultPartSize(limits, 0);
  const group = Math.max(1, Math.floor(maxParts / 20));
  const sizeOf = (i: number): number => Math.min(limits.multipartMaxPartBytes, base * 2 ** Math.floor(i / group));
  return {
    firstPartNumber,
    maxParts,
    partCount: undefined,
    fixedPartSize: undefined,
    sizeOf,
    offsetOf: (i) => {
      let offset = 0;
      for (let g = 0; g * group < i; g++) offset += sizeOf(g * group) * Math.min(group, i - g * group);
      return offset;
    },
  };
}
