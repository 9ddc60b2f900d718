import type { BatchDelivery, BatchOptions, BatchResult } from "./event-batch.js";
import type { ConditionalWriteOptions, OperationOptions } from "./operation-options.js";
import type { ProjectionConfigurer } from "./projection-configurer.js";
import type { ProjectionEvent } from "./projection-event.js";
import type { Resource, Version, VersionInput } from "./resource.js";
import type { ProjectionCompactScope, ProjectionEventScope } from "./scopes.js";

/**
 * What an engine calls to build a projection: the TypeScript form of Dogma's projection message
 * handler with resource-based optimistic concurrency (clauses H1–H7). Adapters such as
 * `memoryProjection` and `dynamoProjection` turn a storage-specific handler into one.
 *
 * The engine passes, for each event, the resource `r` (usually the event's stream), the version
 * `c` it believes `r` has, and the version `n` that `r` gets once the event is applied (usually
 * made with {@link streamEventVersions}).
 *
 * @typeParam E - the events the projection consumes.
 *
 * @example
 * ```ts
 * const { resource, current, next } = streamEventVersions("account-42", 3);
 * const applied = await handler.handleEvent(resource, current, next, createEventScope(), event);
 * if (!applied) {
 *   // a redelivery, or another worker was first: read where r is now and resume from there
 *   const stored = await handler.resourceVersion(resource);
 * }
 * ```
 */
export interface ProjectionMessageHandler<E extends ProjectionEvent = ProjectionEvent> {
  /**
   * Declares the handler's identity and the event types it consumes (H1). May be called many times
   * and gives the same answer each time. Does no I/O.
   *
   * @param configurer - receives the declarations.
   */
  configure(configurer: ProjectionConfigurer<E>): void;

  /**
   * Applies `event` if the stored version of `resource` is `current` (H2): the event's changes and
   * the new version `next` are committed atomically, and the promise resolves `true`. If the stored
   * version is not `current`, nothing changes and it resolves `false` (not an error).
   *
   * A rejected promise means the call did not succeed as far as the caller can tell; the engine
   * retries, and a retry of an event whose earlier attempt did commit resolves `false`, never
   * applies twice. Of several concurrent calls with the same `resource` and `current`, exactly one
   * can resolve `true` (H6). An event of an undeclared type rejects with an
   * `UnexpectedMessageError` and writes nothing (H3).
   *
   * @param resource - the resource, non-empty.
   * @param current - the version the engine believes `resource` has; empty for "absent".
   * @param next - the version `resource` gets; empty deletes its version.
   * @param scope - the event's context.
   * @param event - the event.
   * @param options - an abort signal, and `onConflict` to learn the stored version on `false` (H7).
   * @returns whether the event was applied by this call.
   */
  handleEvent(
    resource: Resource,
    current: VersionInput,
    next: VersionInput,
    scope: ProjectionEventScope,
    event: E,
    options?: ConditionalWriteOptions,
  ): Promise<boolean>;

  /**
   * Optional batch capability (B1–B4): applies consecutive events of one resource in as few atomic
   * requests as the backend can. Each delivery's `current` must be the previous delivery's `next`.
   * Requests are sent in order, each atomic, and the batch stops at the first that does not commit:
   * a prefix of the deliveries is applied, and the result says how many, how many requests it took,
   * and where and why it stopped (a conflict, with the stored version when the backend learned it
   * (H7), or an error). Nothing after the stopping point is written (B2). A lost response never
   * doubles an event, and of two batches racing on one resource never both apply the same delivery
   * (B3). Engines drive a handler without it one event at a time, with the same outcomes (B4).
   *
   * The promise rejects only for bad arguments (before any I/O); failures of the backend are
   * reported in the result, since a prefix may have committed before them.
   *
   * @param resource - the resource of every delivery, non-empty.
   * @param deliveries - the events in order, each with its versions and scope.
   * @param options - an abort signal, and `onRequest` for the cost of each request.
   * @returns how many deliveries were applied and, if not all, where and why it stopped.
   */
  handleEventBatch?(resource: Resource, deliveries: readonly BatchDelivery<E>[], options?: BatchOptions): Promise<BatchResult>;

  /**
   * Reads the stored version of `resource` (H4); the empty version if there is none.
   *
   * @param resource - the resource, non-empty.
   * @param options - an abort signal.
   * @returns the stored version.
   */
  resourceVersion(resource: Resource, options?: OperationOptions): Promise<Version>;

  /**
   * Tells the handler the engine is done with `resource` (H4): its version is removed. No error if
   * it has none. Using a closed resource afterwards is like using a new one.
   *
   * @param resource - the resource, non-empty.
   * @param options - an abort signal.
   */
  closeResource(resource: Resource, options?: OperationOptions): Promise<void>;

  /**
   * Suggests how long handling `event` may take, in milliseconds; `0` for no hint (H5). Engines
   * derive per-attempt deadlines from it.
   *
   * @param event - the event about to be handled.
   * @returns milliseconds, or `0`.
   */
  timeoutHint(event: E): number;

  /**
   * Shrinks the projection's data in small steps, so that an aborted call loses no progress (H5).
   * The engine schedules it, possibly concurrently with `handleEvent`.
   *
   * @param scope - the compaction's context.
   * @param options - an abort signal.
   */
  compact(scope: ProjectionCompactScope, options?: OperationOptions): Promise<void>;
}
