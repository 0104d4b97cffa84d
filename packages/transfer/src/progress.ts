/**
 * Byte-granular progress: bytes are counted as they are handed to the store (upload) or
 * received from it (download), not per finished part.
 */

/** One progress report. */
export interface TransferProgress {
  /** Bytes sent (upload, copy) or received (download) so far. A part that is retried is counted again from 0, so this may step back. */
  bytesDone: number;
  /** Bytes in the whole transfer, when known. */
  totalBytes?: number;
  /** Parts finished for good. */
  partsDone: number;
  /** Parts in the whole transfer, when known. */
  partsTotal?: number;
}

/** The callback form of progress reporting (Node's convention for a single listener). */
export type ProgressListener = (progress: TransferProgress) => void;

/** Keeps the counts and reports them; a throwing listener never breaks the transfer. */
export class ProgressTracker {
  private bytes = 0;
  private parts = 0;

  /** Reports to `listener` (if any) with the totals known so far. */
  constructor(
    private readonly listener: ProgressListener | undefined,
    private totalBytes?: number,
    private partsTotal?: number,
  ) {}

  /** Sets the totals once they become known (end of a stream). */
  setTotals(totalBytes: number | undefined, partsTotal: number | undefined): void {
    this.totalBytes = totalBytes;
    this.partsTotal = partsTotal;
  }

  /** Counts `n` bytes (negative to take back a failed attempt's bytes) and reports. */
  addBytes(n: number): void {
    if (n === 0) return;
    this.bytes += n;
    this.report();
  }

  /** Counts one finished part and reports. */
  partDone(): void {
    this.parts++;
    this.report();
  }

  /** The current counts. */
  snapshot(): TransferProgress {
    const p: TransferProgress = { bytesDone: this.bytes, partsDone: this.parts };
    if (this.totalBytes !== undefined) p.totalBytes = this.totalBytes;
    if (this.partsTotal !== undefined) p.partsTotal = this.partsTotal;
    return p;
  }

  /** Reports the current counts. */
  report(): void {
    if (!this.listener) return;
    try {
      this.listener(this.snapshot());
    } catch {
      // A listener's bug must not fail or corrupt the transfer it observes.
    }
  }
}
