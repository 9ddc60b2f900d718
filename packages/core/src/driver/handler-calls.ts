import { InvalidBatchResultError } from "../errors/delivery-errors.js";
import type { BatchDelivery, BatchResult } from "../event-batch.js";
import type { RequestCost } from "../operation-options.js";
import type { ProjectionEvent } from "../projection-event.js";
import type { ProjectionMessageHandler } from "../projection-message-handler.js";
import type { Resource, Version } from "../resource.js";
import { createEventScope } from "../scopes.js";
import type { SourceEvent } from "./source-event.js";

/** The longest delay a timer takes; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One event of an attempt: the source and the version it moves the stream to.
 *
 * @internal
 */
export interface AttemptEvent<E extends ProjectionEvent> {
  readonly source: SourceEvent<E>;
  readonly next: Version;
}

/**
 * One attempt: consecutive events of `resource`, the first expecting `current`.
 *
 * @internal
 */
export interface Attempt<E extends ProjectionEvent> {
  /** Their stream. */
  readonly resource: Resource;
  /** One event, or a run of events in stream order. */
  readonly events: readonly AttemptEvent<E>[];
  /** The version the first one expects. */
  readonly current: Version;
  /** The caller's signal. */
  readonly signal: AbortSignal | undefined;
  /** Receives the cost of each request. */
  readonly onRequest: (cost: RequestCost) => void;
}

/**
 * Why an attempt stopped before its last event: a conflict (with the version it expected, and the
 * stored version when the handler reported it), or an error.
 *
 * @internal
 */
export type AttemptStop =
  | { readonly reason: "conflict"; readonly expectedVersion: Version; readonly storedVersion: Version | undefined }
  | { readonly reason: "error"; readonly error: unknown };

/**
 * What an attempt did: its first `applied` events were applied; `stopped` says why the next was not.
 *
 * @internal
 */
export interface AttemptResult {
  readonly applied: number;
  readonly stopped: AttemptStop | undefined;
}

/**
 * The driver's calls of a handler: attempts to apply one event with `handleEvent`, or several
 * consecutive events of one stream with `handleEventBatch` (clause G8), each with a deadline from
 * the events' `timeoutHint`s; and reads of a stream's stored version.
 *
 * @internal
 */
export class HandlerCalls<E extends ProjectionEvent> {
  readonly #handler: ProjectionMessageHandler<E>;
  readonly #attemptTimeoutMs: number;

  /**
   * @param handler - the projection.
   * @param attemptTimeoutMs - an event's deadline when its `timeoutHint` gives none; 0 for none.
   */
  constructor(handler: ProjectionMessageHandler<E>, attemptTimeoutMs: number) {
    this.#handler = handler;
    this.#attemptTimeoutMs = attemptTimeoutMs;
  }

  /** Whether the handler can commit several events in one call. */
  get batches(): boolean {
    return typeof this.#handler.handleEventBatch === "function";
  }

  /**
   * Reads the stored version of `resource`.
   *
   * @param resource - the stream.
   * @param signal - the caller's signal.
   * @param onRequest - receives the cost of each request.
   * @returns the stored version, or the error the handler threw.
   */
  async read(resource: Resource, signal: AbortSignal | undefined, onRequest: (cost: RequestCost) => void): Promise<{ readonly version: Version } | { readonly error: unknown }> {
    try {
      return { version: await this.#handler.resourceVersion(resource, { signal, onRequest }) };
    } catch (error) {
      return { error };
    }
  }

  /**
   * Makes one attempt. Never rejects: what the handler throws is the attempt's error.
   *
   * @param attempt - the events, their stream and the version the first one expects.
   * @returns how many were applied and why it stopped, if it did.
   */
  async run(attempt: Attempt<E>): Promise<AttemptResult> {
    const { events, signal } = attempt;
    let deadline: AbortSignal | undefined;
    try {
      deadline = this.#deadline(events);
      const attemptSignal = deadline === undefined ? signal : signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
      const result = events.length === 1 || !this.batches ? await this.#single(attempt, attemptSignal) : await this.#batch(attempt, attemptSignal);
      return result.stopped?.reason === "error" ? { ...result, stopped: { reason: "error", error: deadlineReason(result.stopped.error, deadline, signal) } } : result;
    } catch (error) {
      return { applied: 0, stopped: { reason: "error", error: deadlineReason(error, deadline, signal) } };
    }
  }

  /**
   * The attempt's deadline: the sum of its events' deadlines (each the handler's `timeoutHint`, or
   * else `attemptTimeoutMs`), so that a batch has the time its events would have had one by one;
   * none when one of them has none, or when the sum is longer than a timer can wait.
   */
  #deadline(events: readonly AttemptEvent<E>[]): AbortSignal | undefined {
    let totalMs = 0;
    for (const { source } of events) {
      const hint = this.#handler.timeoutHint(source.event);
      const ms = hint > 0 ? hint : this.#attemptTimeoutMs;
      if (!(ms > 0)) {
        return undefined;
      }
      totalMs += ms;
    }
    return totalMs > MAX_TIMER_MS ? undefined : AbortSignal.timeout(totalMs);
  }

  async #single({ resource, events, current, onRequest }: Attempt<E>, signal: AbortSignal | undefined): Promise<AttemptResult> {
    const event = events[0] as AttemptEvent<E>;
    let storedVersion: Version | undefined;
    const applied = await this.#handler.handleEvent(resource, current, event.next, scopeOf(event.source), event.source.event, {
      signal,
      onRequest,
      onConflict: (conflict) => {
        storedVersion = conflict.storedVersion;
      },
    });
    return applied ? { applied: 1, stopped: undefined } : { applied: 0, stopped: { reason: "conflict", expectedVersion: current, storedVersion } };
  }

  async #batch({ resource, events, current, onRequest }: Attempt<E>, signal: AbortSignal | undefined): Promise<AttemptResult> {
    const deliveries: BatchDelivery<E>[] = [];
    let previous = current;
    for (const { source, next } of events) {
      deliveries.push({ current: previous, next, event: source.event, scope: scopeOf(source) });
      previous = next;
    }
    const result = await (this.#handler.handleEventBatch as NonNullable<ProjectionMessageHandler<E>["handleEventBatch"]>).call(
      this.#handler,
      resource,
      deliveries,
      { signal, onRequest },
    );
    checkBatchResult(result, deliveries.length);
    const { applied, stopped } = result;
    if (stopped === undefined) {
      return { applied, stopped: undefined };
    }
    return stopped.reason === "conflict"
      ? { applied, stopped: { reason: "conflict", expectedVersion: (deliveries[applied] as BatchDelivery<E>).current as Version, storedVersion: stopped.storedVersion } }
      : { applied, stopped: { reason: "error", error: stopped.error } };
  }
}

function scopeOf<E extends ProjectionEvent>(source: SourceEvent<E>) {
  return createEventScope({ recordedAt: source.recordedAt, isPrimaryDelivery: true });
}

/** The attempt's own deadline shows as a retryable `TimeoutError`; the caller's signal as itself. */
function deadlineReason(error: unknown, deadline: AbortSignal | undefined, signal: AbortSignal | undefined): unknown {
  return deadline?.aborted === true && signal?.aborted !== true ? deadline.reason : error;
}

function checkBatchResult(result: BatchResult, length: number): void {
  if (typeof result !== "object" || result === null) {
    throw new InvalidBatchResultError("not an object");
  }
  const { applied, stopped } = result;
  if (typeof applied !== "number" || !Number.isInteger(applied) || applied < 0 || applied > length) {
    throw new InvalidBatchResultError(`applied is not an integer from 0 to ${length}`);
  }
  if (stopped === undefined ? applied !== length : typeof stopped !== "object" || stopped === null || stopped.index !== applied || applied === length) {
    throw new InvalidBatchResultError(`applied ${applied} of ${length}, stopped ${stopped === undefined ? "undefined" : `at ${String((stopped as { index?: unknown } | null)?.index)}`}`);
  }
  if (stopped !== undefined && stopped.reason !== "conflict" && stopped.reason !== "error") {
    throw new InvalidBatchResultError("stopped.reason is neither conflict nor error");
  }
  if (stopped?.reason === "conflict" && stopped.storedVersion !== undefined && !(stopped.storedVersion instanceof Uint8Array)) {
    throw new InvalidBatchResultError("stopped.storedVersion is neither a Uint8Array nor undefined");
  }
}
