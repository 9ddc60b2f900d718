import { codedError } from "./coded-error.js";
import type { ProjectionKitErrorOptions } from "./projection-kit-error.js";

/**
 * The `DeliveryDriver` gave up on an event because its stream's version kept moving: each attempt
 * met a conflict whose stored version was neither at nor past the event (another writer applied
 * other events of the stream in between), `retry.maxConflicts` times in a row. Retryable: a later
 * delivery, once the other writers are done, may apply it.
 *
 * Code: `ERR_VERSION_KEPT_MOVING`.
 *
 * @example
 * ```ts
 * const report = await driver.deliver(source);
 * if (isProjectionKitError(report.error, "ERR_VERSION_KEPT_MOVING")) {
 *   console.warn(`${report.error.conflicts} conflicts in a row on one stream: is another worker delivering it?`);
 * }
 * ```
 */
export class VersionKeptMovingError extends codedError("ERR_VERSION_KEPT_MOVING", "VersionKeptMovingError") {
  /** How many conflicts the event met. */
  readonly conflicts: number;

  /**
   * @param conflicts - how many conflicts the event met.
   * @param options - the cause, if any.
   */
  constructor(conflicts: number, options?: Omit<ProjectionKitErrorOptions, "retryable">) {
    super(`the version kept moving: ${conflicts} conflicts in a row, each with another writer's version`, { ...options, retryable: true });
    this.conflicts = conflicts;
  }
}

/**
 * A handler's `handleEventBatch` returned a result that breaks the batch contract (B1): `applied`
 * not an integer between 0 and the number of deliveries, a `stopped` whose `index` is not
 * `applied`, or no `stopped` although not every delivery was applied. The driver does not trust
 * such a result and delivers those events one at a time instead. Not retryable.
 *
 * Code: `ERR_INVALID_BATCH_RESULT`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(report.error, "ERR_INVALID_BATCH_RESULT")) {
 *   console.error("the backend's handleEventBatch is broken:", report.error.message);
 * }
 * ```
 */
export class InvalidBatchResultError extends codedError("ERR_INVALID_BATCH_RESULT", "InvalidBatchResultError") {
  /**
   * @param message - what is wrong with the result.
   */
  constructor(message: string) {
    super(`handleEventBatch returned an invalid result: ${message}`);
  }
}
