// An at-least-once source for the head-to-head bench (P4): every event once, plus duplicates of a
// quarter of them, in shuffled order (streams' runs interleaved, deliveries moved within a run),
// and whatever a worker does not settle comes back later, each stream's in offset order. Seeded, so
// that both algorithms get the same deliveries in the same order.
import type { DeliveryOutcome, ProjectionEvent, OffsetSourceEvent } from "@projectionkit/core";

/**
 * A small seeded generator (mulberry32).
 *
 * @example
 * ```ts
 * const random = seededRandom(7); random(); // in [0, 1)
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The outcomes that settle a delivery; the others come again. */
const SETTLED: ReadonlySet<DeliveryOutcome> = new Set(["applied", "duplicate"]);

/**
 * How the source shuffles.
 *
 * @example
 * ```ts
 * const shape: SourceShape = { duplicateShare: 0.25, runLength: 10, jitter: 3, redeliveryDelay: 100 };
 * ```
 */
export interface SourceShape {
  /** The share of events delivered twice. */
  readonly duplicateShare: number;
  /** Consecutive events of a stream come out together, like a shard's batch of records. */
  readonly runLength: number;
  /** How far a delivery may move within its run. */
  readonly jitter: number;
  /** How many deliveries later an unsettled one comes back. */
  readonly redeliveryDelay: number;
}

/**
 * The deliveries, in order, of a history under `shape`: the same for a given seed.
 *
 * @example
 * ```ts
 * const deliveries = shuffledDeliveries(events, shape, seededRandom(7));
 * ```
 */
export function shuffledDeliveries<E extends ProjectionEvent>(events: readonly OffsetSourceEvent<E>[], shape: SourceShape, random: () => number): OffsetSourceEvent<E>[] {
  const copies = events.flatMap((event) => (random() < shape.duplicateShare ? [event, event] : [event]));
  const byStream = new Map<string, OffsetSourceEvent<E>[]>();
  for (const copy of copies) {
    const list = byStream.get(copy.stream as string) ?? [];
    list.push(copy);
    byStream.set(copy.stream as string, list);
  }
  const runs: OffsetSourceEvent<E>[][] = [];
  for (const list of byStream.values()) {
    list.sort((a, b) => Number(a.offset) - Number(b.offset));
    for (let i = 0; i < list.length; i += shape.runLength) {
      const run = list.slice(i, i + shape.runLength);
      for (let j = 0; j < run.length; j++) {
        const k = Math.min(run.length - 1, j + Math.floor(random() * (shape.jitter + 1)));
        [run[j], run[k]] = [run[k] as OffsetSourceEvent<E>, run[j] as OffsetSourceEvent<E>];
      }
      runs.push(run);
    }
  }
  // Runs of different streams interleave at random; runs of one stream keep their order.
  const queues = [...byStream.keys()].map((stream) => runs.filter((run) => run[0]?.stream === stream));
  const out: OffsetSourceEvent<E>[] = [];
  while (queues.some((queue) => queue.length > 0)) {
    const open = queues.filter((queue) => queue.length > 0);
    const queue = open[Math.floor(random() * open.length)] as OffsetSourceEvent<E>[][];
    out.push(...(queue.shift() as OffsetSourceEvent<E>[]));
  }
  return out;
}

/**
 * A source several workers take batches from, settling each with what happened to every delivery.
 *
 * @example
 * ```ts
 * const source = new AtLeastOnceSource(deliveries, 100);
 * source.settle((await driver.deliverAll(source.take(50))).reports);
 * ```
 */
export class AtLeastOnceSource<E extends ProjectionEvent> {
  readonly #pending: OffsetSourceEvent<E>[];
  readonly #redeliveryDelay: number;
  #outstanding = 0;
  #waiters: Array<() => void> = [];
  deliveries = 0;

  constructor(deliveries: readonly OffsetSourceEvent<E>[], redeliveryDelay: number) {
    this.#pending = [...deliveries];
    this.#redeliveryDelay = redeliveryDelay;
  }

  get drained(): boolean {
    return this.#pending.length === 0 && this.#outstanding === 0;
  }

  take(max: number): OffsetSourceEvent<E>[] {
    const batch = this.#pending.splice(0, max);
    if (batch.length > 0) {
      this.#outstanding++;
      this.deliveries += batch.length;
    }
    return batch;
  }

  /** Takes back a batch: what did not settle comes again after `redeliveryDelay` deliveries, in offset order. */
  settle(outcomes: ReadonlyArray<{ readonly source: OffsetSourceEvent<E>; readonly outcome: DeliveryOutcome }>): void {
    const unsettled = outcomes.filter(({ outcome }) => !SETTLED.has(outcome)).map(({ source }) => source);
    unsettled.sort((a, b) => Number(a.offset) - Number(b.offset));
    this.#pending.splice(Math.min(this.#pending.length, this.#redeliveryDelay), 0, ...unsettled);
    this.#outstanding--;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when a batch is settled (for a worker that found nothing to take). */
  changed(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

/**
 * Runs `workers` loops that take batches of `batchSize` until the source is drained.
 *
 * @example
 * ```ts
 * await drain(source, 4, 50, async (batch) => (await driver.deliverAll(batch)).reports);
 * ```
 */
export async function drain<E extends ProjectionEvent>(
  source: AtLeastOnceSource<E>,
  workers: number,
  batchSize: number,
  work: (batch: OffsetSourceEvent<E>[]) => Promise<ReadonlyArray<{ readonly source: OffsetSourceEvent<E>; readonly outcome: DeliveryOutcome }>>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!source.drained) {
        const batch = source.take(batchSize);
        if (batch.length === 0) {
          await source.changed();
          continue;
        }
        source.settle(await work(batch));
      }
    }),
  );
}
