import type { OperationOptions } from "./operation-options.js";
import type { ProjectionEvent } from "./projection-event.js";
import type { Version, VersionInput } from "./resource.js";
import type { ProjectionEventScope } from "./scopes.js";

/**
 * One event of a batch (B1): the event with its versions and scope, as `handleEvent` takes them.
 * In a batch, each delivery's `current` is the previous delivery's `next`.
 *
 * @typeParam E - the event type.
 *
 * @example
 * ```ts
 * const delivery: BatchDelivery<AccountEvent> = { ...streamEventVersions("acc-1", 3), event, scope: createEventScope() };
 * ```
 */
export interface BatchDelivery<E extends ProjectionEvent = ProjectionEvent> {
  /** The version before the event (the previous delivery's `next`). */
  readonly current: VersionInput;
  /** The version after the event. */
  readonly next: VersionInput;
  /** The event. */
  readonly event: E;
  /** Its scope. */
  readonly scope: ProjectionEventScope;
}

/**
 * Where and why a batch stopped before its end (B1, B2). `index` is the first delivery that was
 * not applied; it always equals {@link BatchResult.applied}.
 *
 * - `conflict`: the stored version was not the `current` of delivery `index`, so it and the rest
 *   were not applied; `storedVersion` is the stored version when the backend learned it while
 *   rejecting (H7), `undefined` when it did not.
 * - `error`: the request that starts at delivery `index` failed; `error` says how (a retryable
 *   error such as an ambiguous commit means that request may have committed).
 *
 * @example
 * ```ts
 * if (result.stopped?.reason === "conflict") resumeFrom(result.stopped.storedVersion);
 * ```
 */
export type BatchStop =
  | { readonly index: number; readonly reason: "conflict"; readonly storedVersion: Version | undefined }
  | { readonly index: number; readonly reason: "error"; readonly error: unknown };

/**
 * The outcome of `handleEventBatch` (B1): a prefix of the deliveries was applied.
 *
 * @example
 * ```ts
 * const { applied, requests, stopped } = await projection.handleEventBatch(r, deliveries);
 * ```
 */
export interface BatchResult {
  /** How many deliveries, from the first, were applied. */
  readonly applied: number;
  /**
   * How many atomic write requests were sent (for backends without requests, such as the memory
   * adapter: how many commits were made or attempted).
   */
  readonly requests: number;
  /** Why it stopped early; `undefined` when every delivery was applied. */
  readonly stopped: BatchStop | undefined;
}

/**
 * Options of `handleEventBatch`: an abort signal and the cost of each request. Conflicts are
 * reported in the result ({@link BatchStop}), not through a callback.
 *
 * @example
 * ```ts
 * await projection.handleEventBatch(r, deliveries, { signal: AbortSignal.timeout(5_000) });
 * ```
 */
export type BatchOptions = OperationOptions;

/**
 * A batch delivery after its arguments were checked: versions normalised, never absent.
 *
 * @typeParam E - the event type.
 *
 * @example
 * ```ts
 * const checked: CheckedBatchDelivery<AccountEvent> = { current: EMPTY_VERSION, next: encodeOffset(0), event, scope };
 * ```
 */
export interface CheckedBatchDelivery<E extends ProjectionEvent = ProjectionEvent> {
  /** The version before the event. */
  readonly current: Version;
  /** The version after the event. */
  readonly next: Version;
  /** The event, of a declared type. */
  readonly event: E;
  /** Its scope. */
  readonly scope: ProjectionEventScope;
}
