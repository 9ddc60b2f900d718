import type { CheckedBatchDelivery } from "../event-batch.js";
import type { RequestCost, VersionConflict } from "../operation-options.js";
import type { ProjectionEvent } from "../projection-event.js";
import type { Resource, Version } from "../resource.js";
import type { ProjectionEventScope } from "../scopes.js";

/**
 * The options of a call after {@link ResourceRepositoryBase} or {@link ProjectionHandlerBase}
 * checked them: only known keys, of the right types, and the signal not aborted yet.
 *
 * @example
 * ```ts
 * protected async _resourceVersion(resource: Resource, { signal }: CheckedOptions): Promise<Version> {
 *   return readStoredVersion(resource, { signal });
 * }
 * ```
 */
export interface CheckedOptions {
  /** The caller's abort signal; pass it on to every I/O. */
  readonly signal: AbortSignal | undefined;
  /** Report the cost of each request sent to the backend, if the backend has requests. */
  readonly onRequest: ((cost: RequestCost) => void) | undefined;
}

/**
 * The checked options of a conditional write.
 *
 * @example
 * ```ts
 * if (stored !== expected) options.onConflict?.({ resource, expectedVersion: expected, storedVersion: stored });
 * ```
 */
export interface CheckedConditionalOptions extends CheckedOptions {
  /** Report the stored version when the write is rejected and the backend learned it (H7). */
  readonly onConflict: ((conflict: VersionConflict) => void) | undefined;
}

/**
 * A checked conditional write: the resource and versions were validated, and the arrays are the
 * callee's own (copies the caller no longer holds). See
 * {@link ResourceRepositoryBase.checkConditionalWrite}.
 *
 * @example
 * ```ts
 * async updateResourceVersion(r: Resource, c: VersionInput, n: VersionInput, options?: ConditionalWriteOptions) {
 *   const { resource, current, next, signal } = this.checkConditionalWrite(r, c, n, options);
 *   return compareAndSet(resource, current, next, { signal });
 * }
 * ```
 */
export interface ConditionalWriteCall extends CheckedConditionalOptions {
  readonly resource: Resource;
  readonly current: Version;
  readonly next: Version;
}

/**
 * A checked `handleEvent` call: the resource, versions and event were validated, and the arrays are
 * the hook's own (copies the caller no longer holds).
 *
 * @typeParam E - the events of the projection.
 *
 * @example
 * ```ts
 * protected async _handleEvent({ resource, current, next, event, signal }: EventCall<AccountEvent>): Promise<boolean> {
 *   return transaction({ signal }, (tx) => tx.advance(resource, current, next) && tx.apply(event));
 * }
 * ```
 */
export interface EventCall<E extends ProjectionEvent = ProjectionEvent> extends ConditionalWriteCall {
  readonly scope: ProjectionEventScope;
  /** The event, of a type the handler declared (H3). */
  readonly event: E;
}

/**
 * A checked `handleEventBatch` call: at least one delivery, each delivery's `current` equal to the
 * previous one's `next`, every event of a declared type; the arrays are the hook's own.
 *
 * @typeParam E - the events of the projection.
 *
 * @example
 * ```ts
 * protected async _handleEventBatch({ resource, deliveries }: EventBatchCall<AccountEvent>): Promise<BatchResult> {
 *   // one transaction: check deliveries[0].current, apply every event, store the last next
 *   return commitRun(resource, deliveries);
 * }
 * ```
 */
export interface EventBatchCall<E extends ProjectionEvent = ProjectionEvent> extends CheckedOptions {
  readonly resource: Resource;
  readonly deliveries: readonly CheckedBatchDelivery<E>[];
}
