import { SingleBar } from "cli-progress";
import type { CliStream } from "./cli-io.js";

/**
 * A progress display: a bar on a terminal, nothing elsewhere.
 *
 * @internal
 */
export interface Progress {
  /** Sets the items read so far and the other counters shown. */
  update(scanned: number, counters: Readonly<Record<string, number>>): void;
  /** Removes the bar. Idempotent. */
  stop(): void;
}

const NO_PROGRESS: Progress = { update() {}, stop() {} };

/**
 * Starts a progress bar on `stream` when it is a terminal (`isTTY`), else returns a display that
 * shows nothing: piped or redirected output stays free of control characters. The bar measures
 * items read against the table's item count, which DynamoDB only updates every six hours (hence
 * the `~`); when more items than that have been read, the total follows the count read.
 *
 * @internal
 * @param stream - where to draw, normally standard error.
 * @param label - what is being done, e.g. `"scanning"`.
 * @param total - the table's item count, as DescribeTable reports it.
 * @param counters - the names of the counters after the bar, e.g. `["found", "deleted"]`.
 * @returns the display.
 */
export function startProgress(stream: CliStream, label: string, total: number, counters: readonly string[]): Progress {
  if (stream.isTTY !== true) {
    return NO_PROGRESS;
  }
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | {value}/~{total} items read${counters.map((name) => ` | {${name}} ${name}`).join("")}`,
    hideCursor: true,
    clearOnComplete: true,
    barsize: 24,
    fps: 10,
  });
  const zero = Object.fromEntries(counters.map((name) => [name, 0]));
  bar.start(Math.max(total, 1), 0, zero);
  let stopped = false;
  return {
    update(scanned, values) {
      if (stopped) {
        return;
      }
      if (scanned > bar.getTotal()) {
        bar.setTotal(scanned);
      }
      bar.update(scanned, values);
    },
    stop() {
      if (!stopped) {
        stopped = true;
        bar.stop();
      }
    },
  };
}
