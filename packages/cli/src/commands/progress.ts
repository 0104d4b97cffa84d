/**
 * Transfer progress: cli-progress bars on stderr when stderr is a terminal (one line per
 * transfer in flight, plus a total line under `-r`), nothing otherwise; and the one-line
 * summary (size, time, rate) every transfer ends with unless `--quiet`.
 */
import cliProgress from "cli-progress";
import type { TransferProgress } from "@stowage/transfer";
import { formatBytes, formatElapsed, formatRate } from "./units.js";

/** One transfer's bar (a no-op without a terminal). */
export interface ProgressBar {
  /** Feeds the transfer engine's progress event. */
  update(progress: Pick<TransferProgress, "bytesDone" | "totalBytes">): void;
  /** Removes the bar (the transfer ended, well or not). */
  done(): void;
}

/** Bars for the transfers of one command. */
export interface ProgressView {
  /** A bar labelled `label` for a transfer of `totalBytes` (unknown for standard input). */
  start(label: string, totalBytes?: number): ProgressBar;
  /** Stops drawing; the cursor is restored. Idempotent. */
  stop(): void;
}

const SILENT_BAR: ProgressBar = { update: () => undefined, done: () => undefined };

/** The view for `stream`: bars when it is a terminal and the output is for a person. */
export function createProgressView(stream: NodeJS.WritableStream, options: { enabled: boolean; withTotal: boolean }): ProgressView {
  if (!options.enabled || (stream as { isTTY?: boolean }).isTTY !== true) return { start: () => SILENT_BAR, stop: () => undefined };
  const multibar = new cliProgress.MultiBar(
    {
      stream,
      format: " {label} |{bar}| {percentage}% | {done} / {size} | {rate} | ETA {eta_formatted}",
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      autopadding: true,
      etaBuffer: 40,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let totalBar: cliProgress.SingleBar | undefined;
  let totalDone = 0;
  let totalSize = 0;
  const bytesOf = new Map<object, number>();
  const refreshTotal = () =>
    totalBar?.update(totalDone, {
      label: "total",
      done: formatBytes(totalDone),
      size: formatBytes(totalSize),
      rate: formatRate(totalDone, Date.now() - started),
    });
  if (options.withTotal) totalBar = multibar.create(1, 0, { label: "total", done: "0 B", size: "0 B", rate: "" });
  let stopped = false;

  return {
    start(label, totalBytes) {
      const t0 = Date.now();
      const bar = multibar.create(Math.max(totalBytes ?? 0, 1), 0, { label, done: "0 B", size: totalBytes === undefined ? "?" : formatBytes(totalBytes), rate: "" });
      const key = {};
      bytesOf.set(key, 0);
      if (totalBytes !== undefined) {
        totalSize += totalBytes;
        totalBar?.setTotal(Math.max(totalSize, 1));
      }
      return {
        update({ bytesDone, totalBytes: total }) {
          const known = total ?? totalBytes;
          if (known !== undefined && known > 0) bar.setTotal(known);
          else bar.setTotal(Math.max(bytesDone, 1));
          bar.update(bytesDone, {
            label,
            done: formatBytes(bytesDone),
            size: known === undefined ? "?" : formatBytes(known),
            rate: formatRate(bytesDone, Date.now() - t0),
          });
          totalDone += bytesDone - bytesOf.get(key)!;
          bytesOf.set(key, bytesDone);
          refreshTotal();
        },
        done() {
          // Under -r the finished bar leaves, so the lines are the transfers in flight.
          if (options.withTotal) multibar.remove(bar);
          else bar.stop();
        },
      };
    },
    stop() {
      if (stopped) return;
      stopped = true;
      multibar.stop();
    },
  };
}

/** `copied 64.0 MiB in 1.2 s (53.3 MiB/s)`: the final line of a transfer. */
export function summaryLine(verb: string, bytes: number, elapsedMs: number, files?: number): string {
  const count = files === undefined ? "" : `${files} ${files === 1 ? "file" : "files"}, `;
  return `${verb} ${count}${formatBytes(bytes)} in ${formatElapsed(elapsedMs)} (${formatRate(bytes, elapsedMs)})`;
}
