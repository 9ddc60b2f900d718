import { InvalidArgumentError } from "../errors/argument-errors.js";
import { readProjectionConfiguration } from "../projection-configuration.js";
import type { ProjectionEvent } from "../projection-event.js";
import type { ProjectionMessageHandler } from "../projection-message-handler.js";
import { describeValue } from "../validation.js";
import { planDelivery } from "./delivery-plan.js";
import { addToCounts, emptyCounts, type DeliveryCounts, type DeliveryReport } from "./delivery-report.js";
import { requireDeliverOptions, resolveDriverOptions, type DeliverOptions, type DeliveryDriverOptions, type ResolvedDriverOptions } from "./driver-options.js";
import { EventTally } from "./event-tally.js";
import { HandlerCalls } from "./handler-calls.js";
import { KnownVersions } from "./known-versions.js";
import { runInLanes } from "./resource-lanes.js";
import type { SourceEvent } from "./source-event.js";
import { StreamDelivery, type StreamDeliveryContext } from "./stream-delivery.js";
import { orderStream, type StreamEvent } from "./stream-order.js";

/**
 * The result of {@link DeliveryDriver.deliverAll}.
 *
 * @example
 * ```ts
 * const { reports, counts } = await driver.deliverAll(batch);
 * ```
 */
export interface BatchDeliveryReport<E extends ProjectionEvent = ProjectionEvent> {
  /** One report per source event, in the order given. */
  readonly reports: readonly DeliveryReport<E>[];
  /** The counts of this batch. */
  readonly counts: Readonly<DeliveryCounts>;
}

/**
 * Plays the engine's role for a {@link ProjectionMessageHandler} (clauses G1–G8): turns source
 * events into (r, c, n), applies them, and decides what a conflict means by the stored version it
 * learns (reported with the conflict, else read): a duplicate is skipped, a gap is held back.
 *
 * - Within one call, each stream's events are put in stream order (by offset or sequence number),
 *   and an exact repeat of a position settles with it, without a request (G7).
 * - When the handler offers `handleEventBatch`, each stream's runs of consecutive events are
 *   committed in batches of up to `maxBatchSize` (G8); otherwise one `handleEvent` per event.
 *   Outcomes, counts and hooks are per event either way.
 * - Retryable failures are retried with backoff and jitter, each attempt bounded by a deadline
 *   from `timeoutHint`; the caller's `signal` cancels (G3).
 * - Different streams run in parallel up to `concurrency`, one stream strictly in order (G4).
 *
 * No I/O in the constructor.
 *
 * @example
 * ```ts
 * const driver = new DeliveryDriver(projection, { concurrency: 8 });
 * const { counts } = await driver.deliverAll([
 *   { stream: "account-1", offset: 1, event: deposited },
 *   { stream: "account-1", offset: 0, event: opened }, // put first: stream order
 *   { stream: "account-1", offset: 1, event: deposited }, // a repeat: a duplicate, no request
 * ]);
 * console.log(counts.applied, counts.duplicates); // 2 1
 * ```
 */
export class DeliveryDriver<E extends ProjectionEvent> {
  readonly #options: ResolvedDriverOptions<E>;
  readonly #counts = emptyCounts();
  readonly #context: StreamDeliveryContext<E>;

  /**
   * @param handler - the projection.
   * @param options - see {@link DeliveryDriverOptions}.
   * @throws `InvalidArgumentError` for a malformed handler, or a malformed or unknown option (E2);
   *   `InvalidConfigurationError` when the handler's `configure` declares something unusable (H1).
   */
  constructor(handler: ProjectionMessageHandler<E>, options?: DeliveryDriverOptions<E>) {
    if (typeof handler !== "object" || handler === null || typeof handler.handleEvent !== "function" || typeof handler.resourceVersion !== "function") {
      throw new InvalidArgumentError("handler", `expected a ProjectionMessageHandler, got ${describeValue(handler)}`);
    }
    if (handler.handleEventBatch !== undefined && typeof handler.handleEventBatch !== "function") {
      throw new InvalidArgumentError("handler.handleEventBatch", `expected a function or undefined, got ${describeValue(handler.handleEventBatch)}`);
    }
    this.#options = resolveDriverOptions(options);
    const known = new KnownVersions();
    this.#context = {
      configuration: readProjectionConfiguration(handler),
      calls: new HandlerCalls(handler, this.#options.attemptTimeoutMs),
      options: this.#options,
      known,
      settle: (event, report) => this.#settle(event, report),
      hook: (call) => this.#hook(call),
    };
  }

  /** Counts of every delivery this driver made so far. */
  get counts(): Readonly<DeliveryCounts> {
    return { ...this.#counts };
  }

  /**
   * Delivers one event until it settles: applied, duplicate, gap, failed or cancelled.
   *
   * @param source - the event and its place in its stream.
   * @param options - `signal` cancels between and during attempts.
   * @returns the report; never rejects for the handler's failures (see `outcome` and `error`).
   * @throws `InvalidArgumentError` (before any I/O) for a malformed source or options.
   *
   * @example
   * ```ts
   * const report = await driver.deliver({ stream: "account-1", offset: 3, event });
   * ```
   */
  async deliver(source: SourceEvent<E>, options?: DeliverOptions): Promise<DeliveryReport<E>> {
    const signal = requireDeliverOptions(options);
    const reports = await this.#deliver([source], signal, "source");
    return reports[0] as DeliveryReport<E>;
  }

  /**
   * Delivers a batch of source events. Each stream's events are delivered in stream order
   * (by offset or sequence number, whatever the order given), exact repeats of a position settle
   * with it without a request, and runs of consecutive events are committed in batches when the
   * handler can. Different streams run in parallel (up to `concurrency`). After an event of a
   * stream does not apply (gap, failure, cancellation), the rest of that stream is `held`, so that
   * nothing is applied out of order.
   *
   * @param sources - the events, in any order.
   * @param options - `signal` cancels the whole batch.
   * @returns one report per event, in the order given, and the batch's counts.
   * @throws `InvalidArgumentError` for a malformed source (naming `sources[i]`) or options, before
   *   anything is delivered.
   *
   * @example
   * ```ts
   * const { reports } = await driver.deliverAll(events, { signal: AbortSignal.timeout(10_000) });
   * const retryLater = reports.filter((r) => !["applied", "duplicate"].includes(r.outcome));
   * ```
   */
  async deliverAll(sources: readonly SourceEvent<E>[], options?: DeliverOptions): Promise<BatchDeliveryReport<E>> {
    const signal = requireDeliverOptions(options);
    if (!Array.isArray(sources)) {
      throw new InvalidArgumentError("sources", `expected an array of source events, got ${describeValue(sources)}`);
    }
    const reports = await this.#deliver(sources, signal, "sources");
    const counts = emptyCounts();
    for (const report of reports) {
      addToCounts(counts, report);
    }
    return { reports, counts };
  }

  async #deliver(sources: readonly SourceEvent<E>[], signal: AbortSignal | undefined, argument: "source" | "sources"): Promise<DeliveryReport<E>[]> {
    const streams = new Map<string, StreamEvent<E>[]>();
    sources.forEach((source, index) => {
      const plan = planDelivery(source, argument === "source" ? argument : `${argument}[${index}]`);
      const stream = streams.get(plan.key) ?? [];
      stream.push({ index, plan, tally: new EventTally(source) });
      streams.set(plan.key, stream);
    });
    const reports: Array<DeliveryReport<E> | undefined> = new Array(sources.length);
    const context: StreamDeliveryContext<E> = {
      ...this.#context,
      settle: (event, report) => {
        reports[event.index] = report;
        this.#context.settle(event, report);
      },
    };
    await runInLanes([...streams.values()], this.#options.concurrency, (events) => new StreamDelivery(context, orderStream(events), signal).run());
    return reports as DeliveryReport<E>[];
  }

  /** Counts a settled delivery and tells the hook, in that order, so the hook sees current counts. */
  #settle(event: StreamEvent<E>, report: DeliveryReport<E>): void {
    addToCounts(this.#counts, report);
    if (report.storedVersion !== undefined) {
      this.#context.known.remember(event.plan.key, report.storedVersion);
    }
    this.#hook(() => this.#options.hooks.onOutcome?.(report));
  }

  #hook(call: () => void): void {
    try {
      call();
    } catch {
      // Observability must not change what is delivered.
    }
  }
}
