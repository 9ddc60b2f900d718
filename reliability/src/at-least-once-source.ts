import type { DeliveryOutcome, DeliveryReport, ProjectionEvent, SourceEvent } from "@projectionkit/core";

/** How an {@link AtLeastOnceSource} hands out its events. */
export interface AtLeastOnceOptions {
  /** The random generator: copies, order and redelivery places. */
  readonly random: () => number;
  /** Each event is delivered 1 to `maxCopies` times (uniformly). Default 3. */
  readonly maxCopies?: number | undefined;
  /**
   * Consecutive events of one stream come out together, as a source's batch of records does, so
   * that a worker's batch holds runs of a stream (what the driver's batching works on). Default 10.
   */
  readonly runLength?: number | undefined;
  /** How far, in offsets, a delivery may move within its run (neighbours swap places). Default 3. */
  readonly jitter?: number | undefined;
  /**
   * How many deliveries later an unsettled event comes back, at least (like a visibility timeout);
   * at most twice that. Default 200.
   */
  readonly redeliveryDelay?: number | undefined;
}

/** The outcomes that settle a delivery; the others (gap, held, failed, cancelled) come again. */
const SETTLED: ReadonlySet<DeliveryOutcome> = new Set(["applied", "duplicate"]);

/**
 * An at-least-once source over a history: every event is delivered 1–3 times, in shuffled order
 * (the streams' runs interleaved at random, runs of one stream sometimes swapped, deliveries within
 * a run moved by a few places), and whatever a worker reports as not settled (`gap`, `held`,
 * `failed`, `cancelled`) is delivered again a little later, each stream's in offset order, until
 * everything settles. Several workers take from one source at once.
 *
 * @example
 * ```ts
 * const source = new AtLeastOnceSource(history.events, { random: seededRandom(1) });
 * while (!source.drained) {
 *   const batch = source.take(50);
 *   if (batch.length === 0) { await source.changed(); continue; }
 *   source.settle((await driver.deliverAll(batch)).reports);
 * }
 * ```
 */
export class AtLeastOnceSource<E extends ProjectionEvent> {
  readonly #pending: SourceEvent<E>[];
  readonly #random: () => number;
  readonly #redeliveryDelay: number;
  #outstanding = 0;
  #deliveries = 0;
  #redeliveries = 0;
  #waiters: Array<() => void> = [];

  constructor(events: readonly SourceEvent<E>[], options: AtLeastOnceOptions) {
    this.#random = options.random;
    this.#redeliveryDelay = options.redeliveryDelay ?? 200;
    this.#pending = shuffledDeliveries(events, {
      random: options.random,
      maxCopies: options.maxCopies ?? 3,
      runLength: options.runLength ?? 10,
      jitter: options.jitter ?? 3,
    });
  }

  /** Deliveries handed out so far, redeliveries included. */
  get deliveries(): number {
    return this.#deliveries;
  }

  /** Deliveries handed out again because a worker did not settle them. */
  get redeliveries(): number {
    return this.#redeliveries;
  }

  /** Whether every event has settled: nothing pending and no batch out with a worker. */
  get drained(): boolean {
    return this.#pending.length === 0 && this.#outstanding === 0;
  }

  /**
   * Hands out the next deliveries; each batch taken must be {@link settle}d.
   *
   * @param max - the most deliveries to take.
   * @returns up to `max` deliveries, or none while everything left is out with other workers.
   */
  take(max: number): SourceEvent<E>[] {
    const batch = this.#pending.splice(0, max);
    if (batch.length > 0) {
      this.#outstanding++;
      this.#deliveries += batch.length;
    }
    return batch;
  }

  /**
   * Takes back a batch's reports: what did not settle is put back, to come again after a while.
   *
   * @param reports - the reports of one batch from {@link take}.
   */
  settle(reports: readonly DeliveryReport<E>[]): void {
    const unsettled = new Map<string, SourceEvent<E>[]>();
    for (const { source, outcome } of reports) {
      if (!SETTLED.has(outcome)) {
        const key = streamKey(source);
        unsettled.set(key, [...(unsettled.get(key) ?? []), source]);
        this.#redeliveries++;
      }
    }
    // Each stream's unsettled events come back later in offset order (a retry from the failed
    // record, as Kinesis and SQS FIFO do), each stream at its own time, together with whatever of
    // that stream was queued before that time: else two workers' redeliveries of one stream could
    // keep its next event behind a later one for ever.
    for (const [key, events] of unsettled) {
      const delay = this.#redeliveryDelay + Math.floor(this.#random() * (this.#redeliveryDelay + 1));
      const at = Math.min(this.#pending.length, delay);
      const earlier = this.#pending.slice(0, at);
      const others = earlier.filter((event) => streamKey(event) !== key);
      const block = [...events, ...earlier.filter((event) => streamKey(event) === key)].sort((a, b) => Number(a.offset) - Number(b.offset));
      this.#pending.splice(0, at, ...others, ...block);
    }
    this.#outstanding--;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) {
      wake();
    }
  }

  /** Resolves at the next {@link settle}: for a worker that found nothing to take. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

/** The first deliveries: copies of each event, runs of each stream interleaved, neighbours swapped. */
function shuffledDeliveries<E extends ProjectionEvent>(
  events: readonly SourceEvent<E>[],
  { random, maxCopies, runLength, jitter }: { random: () => number; maxCopies: number; runLength: number; jitter: number },
): SourceEvent<E>[] {
  const streams = new Map<string, SourceEvent<E>[]>();
  for (const event of events) {
    const key = streamKey(event);
    const stream = streams.get(key) ?? [];
    stream.push(event);
    streams.set(key, stream);
  }
  const runs: Array<{ rank: number; deliveries: SourceEvent<E>[] }> = [];
  for (const stream of streams.values()) {
    stream.sort((a, b) => Number(a.offset) - Number(b.offset));
    for (let start = 0; start < stream.length; start += runLength) {
      const copies = stream.slice(start, start + runLength).flatMap((event) =>
        Array.from({ length: 1 + Math.floor(random() * maxCopies) }, () => ({ event, key: Number(event.offset) + random() * jitter })),
      );
      copies.sort((a, b) => a.key - b.key);
      // A run ranks by its place in its stream, plus enough noise to swap it with its neighbour now and then.
      runs.push({ rank: start / runLength + random() * 1.5, deliveries: copies.map(({ event }) => event) });
    }
  }
  runs.sort((a, b) => a.rank - b.rank);
  return runs.flatMap((run) => run.deliveries);
}

function streamKey(event: SourceEvent<ProjectionEvent>): string {
  return typeof event.stream === "string" ? event.stream : Buffer.from(event.stream).toString("hex");
}
