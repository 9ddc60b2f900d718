import type { Resource, Version } from "./resource.js";

/**
 * Options every asynchronous operation accepts, as its last argument.
 *
 * @example
 * ```ts
 * await repository.resourceVersion(resource, { signal: AbortSignal.timeout(1_000) });
 * ```
 */
export interface OperationOptions {
  /**
   * Aborts the operation. An operation aborted before it commits changes nothing and rejects with
   * the signal's reason.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Receives the cost of each request the operation sends to its backend, once per request
   * (retries included), as far as the backend reports it. Backends without requests (the memory
   * adapter) never call it. It must not throw; what it throws is ignored.
   */
  readonly onRequest?: ((cost: RequestCost) => void) | undefined;
}

/**
 * What one request to a backend cost. The DynamoDB adapter asks for `ReturnConsumedCapacity` when
 * `onRequest` is given and reports the capacity units DynamoDB returns; a request that failed
 * (a conflict, a throttle, a lost answer) is reported without units, since DynamoDB says none.
 *
 * @example
 * ```ts
 * let writeUnits = 0;
 * await projection.handleEvent(r, c, n, scope, event, { onRequest: (cost) => (writeUnits += cost.writeUnits ?? 0) });
 * ```
 */
export interface RequestCost {
  /** The backend's name of the request, e.g. `"TransactWriteItems"`. */
  readonly operation: string;
  /** Read capacity units consumed, when the backend reported them. */
  readonly readUnits?: number | undefined;
  /** Write capacity units consumed, when the backend reported them. */
  readonly writeUnits?: number | undefined;
}

/**
 * What a backend reports when it rejects a conditional write because the stored version is not the
 * expected one, and it learned the stored version while doing so (H7). An engine can then resume
 * from {@link VersionConflict.storedVersion} without reading it again.
 *
 * @example
 * ```ts
 * const conflict: VersionConflict = { resource, expectedVersion: c, storedVersion: encodeOffset(9) };
 * ```
 */
export interface VersionConflict {
  /** The resource of the write. */
  readonly resource: Resource;
  /** The version the caller expected (`c`). */
  readonly expectedVersion: Version;
  /** The version that was stored when the write was rejected (empty if none). */
  readonly storedVersion: Version;
}

/**
 * Options of a conditional write: `handleEvent` and `updateResourceVersion`.
 *
 * The result stays a plain `boolean`. A caller that wants to know the stored version after a
 * conflict passes {@link ConditionalWriteOptions.onConflict}; the backend calls it, before
 * resolving `false`, whenever it learned the stored version in the same round trip. A backend that
 * did not learn it does not call it, and the caller reads the version itself.
 *
 * @example
 * ```ts
 * let stored: Version | undefined;
 * const ok = await handler.handleEvent(r, c, n, scope, event, {
 *   onConflict: (conflict) => (stored = conflict.storedVersion),
 * });
 * if (!ok) stored ??= await handler.resourceVersion(r);
 * ```
 */
export interface ConditionalWriteOptions extends OperationOptions {
  /** Receives the stored version when the write is rejected as a conflict (H7). */
  readonly onConflict?: ((conflict: VersionConflict) => void) | undefined;
}
