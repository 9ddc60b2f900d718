import cliProgress from "cli-progress";
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
 * items read against the table's item count, which DynamoDB only updates about every six hours
 * (hence the `~`); once more items than that have been read (or when the count is 0), the bar
 * gives way to the count read, without a percentage it cannot know.
 *
 * @internal
 * @param stream - where to draw, normally standard error.
 * @param label - what is being done, e.g. `"scanning"`.
 * @param estimate - the table's item count, as DescribeTable reports it.
 * @param counters - the names of the counters after the bar, e.g. `["found", "deleted"]`.
 * @returns the display.
 */
export function startProgress(stream: CliStream, label: string, estimate: number, counters: readonly string[]): Progress {
  if (stream.isTTY !== true) {
    return NO_PROGRESS;
  }
  const bar = new cliProgress.SingleBar({
    stream,
    format: (options, params, payload: Readonly<Record<string, number>>) => {
      const counts = counters.map((name) => ` | ${payload[name] ?? 0} ${name}`).join("");
      if (params.value > estimate || estimate === 0) {
        return `${label} | ${params.value} items read (the table's item count, ${estimate}, is out of date)${counts}`;
      }
      const progress = params.value / estimate;
      return `${label} [${cliProgress.Format.BarFormat(progress, options)}] ${Math.floor(progress * 100)}% | ${params.value}/~${estimate} items read${counts}`;
    },
    hideCursor: true,
    clearOnComplete: true,
    barsize: 24,
    fps: 10,
  });
  bar.start(Math.max(estimate, 1), 0, Object.fromEntries(counters.map((name) => [name, 0])));
  let stopped = false;
  return {
    update(scanned, values) {
      if (!stopped) {
        bar.update(scanned, values);
      }
    },
    stop() {
      if (!stopped) {
        stopped = true;
        bar.stop();
      }
    },
  };
}
