import type { ProjectionEvent } from "../projection-event.js";
import type { Version } from "../resource.js";
import type { SourceEvent } from "./source-event.js";

/**
 * What became of one delivered event (clause G2).
 *
 * - `applied`: this delivery committed the event.
 * - `duplicate`: the event was already applied; skipped.
 * - `gap`: an earlier event of the stream is not applied yet; held back, the version not advanced.
 * - `held`: not settled, because an earlier event of the same stream in the batch did not apply
 *   (or, for an exact repeat of a position, because the first event at that position did not).
 * - `failed`: a non-retryable error, or retries ran out.
 * - `cancelled`: the caller's signal aborted the delivery.
 *
 * @example
 * ```ts
 * const mustRedeliver = (outcome: DeliveryOutcome) => outcome !== "applied" && outcome !== "duplicate";
 * ```
 */
export type DeliveryOutcome = "applied" | "duplicate" | "gap" | "held" | "failed" | "cancelled";

/**
 * The report of one delivery.
 *
 * @example
 * ```ts
 * const report = await driver.deliver(source);
 * if (report.outcome === "failed") console.error(report.error);
 * ```
 */
export interface DeliveryReport<E extends ProjectionEvent = ProjectionEvent> {
  readonly source: SourceEvent<E>;
  readonly outcome: DeliveryOutcome;
  /**
   * Attempts that reached this event: `handleEvent` calls, and `handleEventBatch` calls that applied
   * it or stopped at it (0 for a duplicate decided from a stored version, a repeat, or a held event).
   */
  readonly attempts: number;
  /** Version conflicts met on the way (the call resolved false). */
  readonly conflicts: number;
  /** Retries after retryable errors or timed-out attempts. */
  readonly retries: number;
  /** Reads of the stored version (a conflict the backend did not report it with, or a sequence's first event). */
  readonly reads: number;
  /**
   * Requests the backend reported sending for this delivery (`onRequest`); 0 for backends that
   * report none. A request that carried several events of a batch is counted once, on the first
   * event of the batch, so that the reports add up to what was sent.
   */
  readonly requests: number;
  /** Read capacity units those requests consumed, as far as the backend reported them. */
  readonly readUnits: number;
  /** Write capacity units those requests consumed, as far as the backend reported them. */
  readonly writeUnits: number;
  /** Milliseconds from the start of the delivery to its outcome. */
  readonly durationMs: number;
  /** The stored version last seen, when known. */
  readonly storedVersion?: Version | undefined;
  /** The error of a failed or cancelled delivery. */
  readonly error?: unknown;
}

/**
 * Counts of outcomes and of the work behind them (clause G6).
 *
 * @example
 * ```ts
 * const { applied, duplicates } = driver.counts;
 * ```
 */
export interface DeliveryCounts {
  delivered: number;
  applied: number;
  duplicates: number;
  gaps: number;
  held: number;
  failed: number;
  cancelled: number;
  conflicts: number;
  retries: number;
  /** Attempts, per event (see {@link DeliveryReport.attempts}). */
  attempts: number;
  /** Reads of a stored version. */
  reads: number;
  /** Requests the backend reported (G6: backend cost where known). */
  requests: number;
  /** Read capacity units the backend reported. */
  readUnits: number;
  /** Write capacity units the backend reported. */
  writeUnits: number;
}

/**
 * Zeroed counts.
 *
 * @returns new counts, all zero.
 *
 * @example
 * ```ts
 * const total = emptyCounts();
 * ```
 */
export function emptyCounts(): DeliveryCounts {
  return { delivered: 0, applied: 0, duplicates: 0, gaps: 0, held: 0, failed: 0, cancelled: 0, conflicts: 0, retries: 0, attempts: 0, reads: 0, requests: 0, readUnits: 0, writeUnits: 0 };
}

const OUTCOME_COUNTER: Record<DeliveryOutcome, keyof DeliveryCounts> = {
  applied: "applied",
  duplicate: "duplicates",
  gap: "gaps",
  held: "held",
  failed: "failed",
  cancelled: "cancelled",
};

/**
 * Adds one settled delivery to counts.
 *
 * @param counts - the counts to add to.
 * @param report - the delivery's report.
 *
 * @example
 * ```ts
 * const total = emptyCounts();
 * for (const report of reports) addToCounts(total, report);
 * ```
 */
export function addToCounts(counts: DeliveryCounts, report: DeliveryReport<ProjectionEvent>): void {
  counts.delivered++;
  counts[OUTCOME_COUNTER[report.outcome]]++;
  counts.conflicts += report.conflicts;
  counts.retries += report.retries;
  counts.attempts += report.attempts;
  counts.reads += report.reads;
  counts.requests += report.requests;
  counts.readUnits += report.readUnits;
  counts.writeUnits += report.writeUnits;
}
