import type { ProjectionEvent } from "../projection-event.js";
import type { Version } from "../resource.js";
import type { DeliveryReport } from "./delivery-report.js";
import type { SourceEvent } from "./source-event.js";

/**
 * Observability hooks of the {@link DeliveryDriver} (clause G6). They receive the source event, so
 * a hook decides what to log; the driver itself logs nothing, payloads and credentials included. A
 * hook that throws is ignored.
 *
 * @example
 * ```ts
 * const hooks: DriverHooks<AccountEvent> = {
 *   onOutcome: (report) => metrics.increment(`projection.${report.outcome}`, { ms: report.durationMs }),
 *   onRetry: ({ retry, delayMs }) => metrics.increment("projection.retry", { retry, delayMs }),
 * };
 * ```
 */
export interface DriverHooks<E extends ProjectionEvent = ProjectionEvent> {
  /** After each event settles, with its outcome, attempts and timing (once per source event). */
  readonly onOutcome?: ((report: DeliveryReport<E>) => void) | undefined;
  /**
   * When an attempt met a conflict (a `handleEvent` that resolved `false`, or a batch that stopped
   * at this event), with the version the event expected and the stored version the driver learned.
   */
  readonly onConflict?: ((conflict: { readonly source: SourceEvent<E>; readonly expectedVersion: Version; readonly storedVersion: Version }) => void) | undefined;
  /** Before a retry, with the error and the backoff about to be waited; for a batch, its first event not applied. */
  readonly onRetry?: ((retry: { readonly source: SourceEvent<E>; readonly retry: number; readonly delayMs: number; readonly error: unknown }) => void) | undefined;
}
