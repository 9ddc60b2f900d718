import type { RequestCost } from "../operation-options.js";
import type { ProjectionEvent } from "../projection-event.js";
import type { Version } from "../resource.js";
import type { DeliveryOutcome, DeliveryReport } from "./delivery-report.js";
import type { SourceEvent } from "./source-event.js";

/**
 * What the driver did for one source event so far, and its report once it settles. A request
 * that carried several events of a batch is counted on the first event it carried.
 *
 * @internal
 */
export class EventTally<E extends ProjectionEvent> {
  readonly source: SourceEvent<E>;
  attempts = 0;
  conflicts = 0;
  retries = 0;
  reads = 0;
  requests = 0;
  readUnits = 0;
  writeUnits = 0;
  /** Retryable failures met so far; bounded by `retry.maxAttempts`. */
  failures = 0;
  #started: number | undefined;

  constructor(source: SourceEvent<E>) {
    this.source = source;
  }

  /** Starts the event's clock, if it has not started yet: its delivery begins. */
  start(): void {
    this.#started ??= performance.now();
  }

  /** Adds a request the backend reported; units it did not report count as none. */
  addCost(cost: RequestCost): void {
    this.requests++;
    this.readUnits += finiteOrZero(cost.readUnits);
    this.writeUnits += finiteOrZero(cost.writeUnits);
  }

  /**
   * @param outcome - how the event settled.
   * @param extra - the stored version last seen and the error, when known.
   * @returns the event's report.
   */
  report(outcome: DeliveryOutcome, extra: { readonly storedVersion?: Version | undefined; readonly error?: unknown } = {}): DeliveryReport<E> {
    return {
      source: this.source,
      outcome,
      attempts: this.attempts,
      conflicts: this.conflicts,
      retries: this.retries,
      durationMs: this.#started === undefined ? 0 : performance.now() - this.#started,
      reads: this.reads,
      requests: this.requests,
      readUnits: this.readUnits,
      writeUnits: this.writeUnits,
      ...(extra.storedVersion === undefined ? {} : { storedVersion: extra.storedVersion }),
      ...("error" in extra ? { error: extra.error } : {}),
    };
  }
}

function finiteOrZero(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}
