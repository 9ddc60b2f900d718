import { DeliveryDriver, emptyCounts, type DeliveryCounts } from "@projectionkit/core";
import { AtLeastOnceSource } from "./at-least-once-source.js";
import type { DepositHistory } from "./deposit-history.js";
import { observedFault, type FaultCounts } from "./fault-plan.js";
import { checkFold, type FoldCheck } from "./read-model-check.js";
import type { BackendName, SoakBackend } from "./soak-backends.js";
import type { SoakMode } from "./soak-modes.js";
import { seededRandom } from "./seeded-random.js";

/** One soak run: a backend, a history, a mode. */
export interface SoakOptions {
  readonly backend: SoakBackend;
  readonly history: DepositHistory;
  readonly mode: SoakMode;
  /** Workers, each a `DeliveryDriver` over its own projection. Default 8. */
  readonly workers?: number | undefined;
  /** Deliveries a worker takes from the source at a time. Default 50. */
  readonly batchSize?: number | undefined;
  /** Seeds the source's copies and order, and each worker's faults. */
  readonly seed: number;
  /** Called with a progress line now and then. */
  readonly progress?: ((line: string) => void) | undefined;
}

/** What a soak run did and found. */
export interface SoakResult {
  readonly backend: BackendName;
  readonly mode: SoakMode["name"];
  readonly workers: number;
  readonly events: number;
  readonly streams: number;
  /** Deliveries handed out, redeliveries included. */
  readonly deliveries: number;
  /** Deliveries handed out again because they did not settle (gap, held, failed). */
  readonly redeliveries: number;
  /** The drivers' counts, summed over the workers. */
  readonly counts: Readonly<DeliveryCounts>;
  readonly requestUnit: string;
  /** Requests (or commit attempts) by command. */
  readonly requests: ReadonlyMap<string, number>;
  readonly injected: Readonly<FaultCounts>;
  /** Failed attempts the drivers saw, by error code. */
  readonly observed: ReadonlyMap<string, number>;
  readonly seconds: number;
  readonly check: FoldCheck;
}

/**
 * Runs the soak on one backend: workers take deliveries from an at-least-once source (each event
 * 1–3 times, shuffled, unsettled ones again later) and deliver them with their `DeliveryDriver`
 * while faults are injected, until everything settles; then the read model is compared with the
 * fold of each event applied exactly once.
 *
 * @param options - backend, history, mode, workers, seed.
 * @returns the figures and the verdict.
 *
 * @example
 * ```ts
 * const result = await runSoak({ backend, history: makeDepositHistory(20, 100, seededRandom(1)), mode: UNBATCHED, seed: 1 });
 * console.log(result.check.passed);
 * ```
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { backend, history, mode } = options;
  const workers = options.workers ?? 8;
  const batchSize = options.batchSize ?? 50;
  const started = performance.now();
  const source = new AtLeastOnceSource(history.events, { random: seededRandom(options.seed) });
  const counts = emptyCounts();
  const observed = new Map<string, number>();
  const observe = (error: unknown): void => {
    const label = observedFault(error);
    observed.set(label, (observed.get(label) ?? 0) + 1);
  };
  let nextProgress = 0;
  // A bound on a livelock: far above what a run needs (about 3 deliveries per event).
  const maxDeliveries = 100 * history.events.length;

  const work = async (index: number): Promise<void> => {
    const worker = backend.worker(index, seededRandom(options.seed * 31 + index + 1));
    const driver = new DeliveryDriver(worker.projection, {
      concurrency: 8,
      retry: { maxAttempts: 8, baseDelayMs: 2, maxDelayMs: 40 },
      isRetryable: worker.isRetryable,
      hooks: {
        onRetry: ({ error }) => observe(error),
        onOutcome: (report) => {
          if (report.outcome === "failed") observe(report.error);
        },
      },
      maxBatchSize: mode.maxBatchSize,
    });
    try {
      while (!source.drained) {
        if (source.deliveries > maxDeliveries) {
          throw new Error(`the source did not drain: ${source.deliveries} deliveries for ${history.events.length} events`);
        }
        const batch = source.take(batchSize);
        if (batch.length === 0) {
          await source.changed();
          continue;
        }
        const { reports, counts: batchCounts } = await driver.deliverAll(batch);
        source.settle(reports);
        for (const key of Object.keys(counts) as Array<keyof DeliveryCounts>) {
          counts[key] += batchCounts[key];
        }
        if (source.deliveries >= nextProgress) {
          nextProgress = source.deliveries + Math.max(1_000, Math.floor(history.events.length / 5));
          options.progress?.(`${backend.name}/${mode.name}: ${source.deliveries} deliveries, ${counts.applied} applied, ${counts.duplicates} duplicates, ${counts.retries} retries`);
        }
        // The other workers take their turn, as separate processes would.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      worker.close();
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, index) => work(index)));
  const seconds = (performance.now() - started) / 1000;
  const check = checkFold(await backend.snapshot(history.streams), history.expected);
  return {
    backend: backend.name,
    mode: mode.name,
    workers,
    events: history.events.length,
    streams: history.streams.length,
    deliveries: source.deliveries,
    redeliveries: source.redeliveries,
    counts,
    requestUnit: backend.requestUnit,
    requests: new Map(backend.requests),
    injected: { ...backend.injected },
    observed,
    seconds,
    check,
  };
}
