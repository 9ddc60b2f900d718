import { VersionKeptMovingError } from "../errors/delivery-errors.js";
import { decodeOffset } from "../offset-codec.js";
import { requireHandledEvent, type ProjectionConfiguration } from "../projection-configuration.js";
import type { ProjectionEvent } from "../projection-event.js";
import { compareVersions, versionsEqual, type Version } from "../resource.js";
import type { DeliveryPlan } from "./delivery-plan.js";
import type { DeliveryOutcome, DeliveryReport } from "./delivery-report.js";
import type { ResolvedDriverOptions } from "./driver-options.js";
import type { AttemptStop, HandlerCalls } from "./handler-calls.js";
import type { KnownVersions } from "./known-versions.js";
import { backoffDelay, sleep } from "./retry-policy.js";
import type { StreamEvent, StreamPosition } from "./stream-order.js";

/**
 * What a {@link StreamDelivery} needs of its driver.
 *
 * @internal
 */
export interface StreamDeliveryContext<E extends ProjectionEvent> {
  /** The handler's declarations: an event of another type fails before any request (H3). */
  readonly configuration: ProjectionConfiguration<E>;
  readonly calls: HandlerCalls<E>;
  readonly options: ResolvedDriverOptions<E>;
  readonly known: KnownVersions;
  /** Records a settled event: its report, the counts, the known version, the hook. */
  settle(event: StreamEvent<E>, report: DeliveryReport<E>): void;
  /** Calls a hook; what it throws is ignored. */
  hook(call: () => void): void;
}

/** The version the driver believes its stream has: learnt from the backend, or a guess. */
interface Believed {
  readonly version: Version;
  readonly confirmed: boolean;
}

/** Whether to go on with the stream's next step. */
type Continue = boolean;

/**
 * Delivers the positions of one stream, in stream order, until each settles (clauses G1–G3, G7,
 * G8): runs of consecutive events are committed in batches of up to `maxBatchSize` when the
 * handler offers `handleEventBatch`, one by one otherwise. Every conflict is decided from the
 * stored version (reported, else read): the positions at or before it are duplicates, a stored
 * version before an offset event's predecessor is a gap, and anything else is another writer's
 * progress to build on. After a gap, a failure or a cancellation the rest of the stream is held.
 *
 * @internal
 */
export class StreamDelivery<E extends ProjectionEvent> {
  readonly #context: StreamDeliveryContext<E>;
  readonly #positions: readonly StreamPosition<E>[];
  readonly #signal: AbortSignal | undefined;
  #head = 0;
  #believed: Believed | undefined;
  /** Positions up to this index are delivered one at a time (after a batch failed for good). */
  #singleThrough = -1;

  /**
   * @param context - the driver's side.
   * @param positions - one stream's positions, in stream order (see `orderStream`).
   * @param signal - the caller's signal.
   */
  constructor(context: StreamDeliveryContext<E>, positions: readonly StreamPosition<E>[], signal: AbortSignal | undefined) {
    this.#context = context;
    this.#positions = positions;
    this.#signal = signal;
  }

  /** Delivers every position; settles each, and never rejects for the handler's failures. */
  async run(): Promise<void> {
    let going: Continue = true;
    while (going && this.#head < this.#positions.length) {
      going = this.#signal?.aborted === true ? this.#stop("cancelled", { error: this.#signal.reason }) : await this.#step();
    }
  }

  /** One attempt from the head, or the read that must come first. */
  async #step(): Promise<Continue> {
    const head = this.#position(this.#head);
    const undeclared = this.#undeclared(head);
    if (undeclared !== undefined) {
      return this.#stop("failed", { error: undeclared });
    }
    if (head.tally.conflicts >= this.#context.options.retry.maxConflicts) {
      return this.#stop("failed", { error: new VersionKeptMovingError(head.tally.conflicts) });
    }
    const current = head.plan.mode === "offset" ? head.plan.current : this.#sequenceCurrent(head.plan);
    if (current === undefined) {
      head.tally.start();
      return this.#learnStoredVersion(head);
    }
    return this.#attempt(current);
  }

  /**
   * The current version for a sequence event: the believed version, else the version this driver
   * last learnt for the stream when it is before the event. A duplicate is never decided from a
   * guess: undefined means "read it".
   */
  #sequenceCurrent(plan: DeliveryPlan): Version | undefined {
    if (this.#believed !== undefined) {
      return this.#believed.version;
    }
    const guess = this.#context.known.get(plan.key);
    if (guess === undefined || compareVersions(guess, plan.next) >= 0) {
      return undefined;
    }
    this.#believed = { version: guess, confirmed: false };
    return guess;
  }

  async #learnStoredVersion(event: StreamPosition<E>): Promise<Continue> {
    const read = await this.#context.calls.read(event.plan.resource, this.#signal, (cost) => event.tally.addCost(cost));
    event.tally.reads++;
    if ("error" in read) {
      return this.#failure(read.error, 1);
    }
    return this.#decide(read.version);
  }

  async #attempt(current: Version): Promise<Continue> {
    const head = this.#position(this.#head);
    const batch = this.#batchFrom(this.#head);
    for (const position of batch) {
      position.tally.start();
    }
    const result = await this.#context.calls.run({
      resource: head.plan.resource,
      events: batch.map((position) => ({ source: position.tally.source, next: position.plan.next })),
      current,
      signal: this.#signal,
      onRequest: (cost) => head.tally.addCost(cost),
    });
    const reached = result.stopped === undefined ? batch.length : result.applied + 1;
    for (const position of batch.slice(0, reached)) {
      position.tally.attempts++;
    }
    for (const position of batch.slice(0, result.applied)) {
      this.#settle(position, "applied", { storedVersion: position.plan.next });
      this.#head++;
    }
    if (result.applied > 0) {
      this.#believed = { version: this.#position(this.#head - 1).plan.next, confirmed: true };
    }
    if (result.stopped === undefined) {
      return true;
    }
    return result.stopped.reason === "conflict" ? this.#conflict(result.stopped) : this.#failure(result.stopped.error, batch.length - result.applied);
  }

  async #conflict(stop: Extract<AttemptStop, { reason: "conflict" }>): Promise<Continue> {
    const event = this.#position(this.#head);
    event.tally.conflicts++;
    let stored = stop.storedVersion;
    if (stored === undefined) {
      const read = await this.#context.calls.read(event.plan.resource, this.#signal, (cost) => event.tally.addCost(cost));
      event.tally.reads++;
      if ("error" in read) {
        return this.#failure(read.error, 1);
      }
      stored = read.version;
    }
    const storedVersion = stored;
    this.#context.hook(() => this.#context.options.hooks.onConflict?.({ source: event.tally.source, expectedVersion: stop.expectedVersion, storedVersion }));
    return this.#decide(storedVersion);
  }

  /**
   * Decides from a stored version learnt from the backend: the positions at or before it are
   * duplicates; an offset event whose predecessor is not stored yet is a gap; from anything else
   * the next attempt starts.
   */
  #decide(stored: Version): Continue {
    this.#believed = { version: stored, confirmed: true };
    const first = this.#position(this.#head);
    if (first.plan.mode === "offset") {
      try {
        decodeOffset(stored);
      } catch (error) {
        return this.#stop("failed", { storedVersion: stored, error });
      }
    }
    while (this.#head < this.#positions.length && compareVersions(stored, this.#position(this.#head).plan.next) >= 0) {
      this.#settle(this.#position(this.#head), "duplicate", { storedVersion: stored });
      this.#head++;
    }
    const head = this.#positions[this.#head];
    if (head?.plan.mode === "offset" && compareVersions(stored, head.plan.current) < 0) {
      return this.#stop("gap", { storedVersion: stored });
    }
    return true;
  }

  /**
   * A failed attempt or read: cancelled when the caller aborted; retried with backoff when the
   * error is retryable and attempts remain; otherwise failed. A batch that failed for good is not
   * trusted to name its culprit: its events are delivered again one at a time, so that each event
   * before the culprit applies and the culprit fails with its own error.
   */
  async #failure(error: unknown, attempted: number): Promise<Continue> {
    const { retry, hooks, random } = this.#context.options;
    if (this.#signal?.aborted === true) {
      return this.#stop("cancelled", { error: this.#signal.reason });
    }
    this.#believed = undefined;
    if (!this.#retryable(error)) {
      if (attempted > 1) {
        this.#singleThrough = this.#head + attempted - 1;
        return true;
      }
      return this.#stop("failed", { error });
    }
    const event = this.#position(this.#head);
    event.tally.failures++;
    if (event.tally.failures >= retry.maxAttempts) {
      return this.#stop("failed", { error });
    }
    event.tally.retries++;
    const delayMs = backoffDelay(retry, event.tally.failures, random());
    this.#context.hook(() => hooks.onRetry?.({ source: event.tally.source, retry: event.tally.failures, delayMs, error }));
    try {
      await sleep(delayMs, this.#signal);
    } catch {
      return this.#stop("cancelled", { error: this.#signal?.reason });
    }
    return true;
  }

  /** The error of an event whose type the handler does not declare, found without a request; else undefined. */
  #undeclared(position: StreamPosition<E>): unknown {
    try {
      requireHandledEvent(this.#context.configuration, position.tally.source.event);
      return undefined;
    } catch (error) {
      return error;
    }
  }

  #retryable(error: unknown): boolean {
    return (error instanceof DOMException && error.name === "TimeoutError") || this.#context.options.isRetryable(error);
  }

  /** The run of consecutive positions from `index` that one attempt delivers. */
  #batchFrom(index: number): StreamPosition<E>[] {
    const limit = index <= this.#singleThrough || !this.#context.calls.batches ? 1 : this.#context.options.maxBatchSize;
    const batch = [this.#position(index)];
    while (batch.length < limit && index + batch.length < this.#positions.length) {
      const next = this.#position(index + batch.length);
      if (!follows((batch.at(-1) as StreamPosition<E>).plan, next.plan) || this.#undeclared(next) !== undefined) {
        break;
      }
      batch.push(next);
    }
    return batch;
  }

  /** Settles the head with `outcome` and holds the rest of the stream. */
  #stop(outcome: DeliveryOutcome, extra: { readonly storedVersion?: Version | undefined; readonly error?: unknown }): Continue {
    this.#settle(this.#position(this.#head), outcome, extra);
    for (const position of this.#positions.slice(this.#head + 1)) {
      this.#settle(position, "held", {});
    }
    this.#head = this.#positions.length;
    return false;
  }

  /** Settles a position, then its repeats: duplicates of a settled event, else held with it. */
  #settle(position: StreamPosition<E>, outcome: DeliveryOutcome, extra: { readonly storedVersion?: Version | undefined; readonly error?: unknown }): void {
    this.#context.settle(position, position.tally.report(outcome, extra));
    const settled = outcome === "applied" || outcome === "duplicate";
    for (const repeat of position.repeats) {
      this.#context.settle(repeat, repeat.tally.report(settled ? "duplicate" : "held", settled ? { storedVersion: extra.storedVersion } : {}));
    }
  }

  #position(index: number): StreamPosition<E> {
    return this.#positions[index] as StreamPosition<E>;
  }
}

/** Whether `next` can follow `previous` in one batch: its current version is `previous`'s next. */
function follows(previous: DeliveryPlan, next: DeliveryPlan): boolean {
  if (previous.mode !== next.mode) {
    return false;
  }
  return next.mode === "sequence" || versionsEqual(next.current, previous.next);
}
