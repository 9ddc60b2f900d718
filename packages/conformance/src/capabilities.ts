/**
 * The faults a backend can inject into its own commits, so that the kit can check that nothing is
 * lost and nothing is doubled when they happen (clause K4).
 *
 * - `"before-commit"`: the commit fails before it reaches storage (a crash, a refused connection).
 * - `"lost-response"`: the commit reaches storage and is applied, then the caller never hears back
 *   (an ambiguous commit).
 * - `"throttling"`: storage refuses the commit as over capacity; the error must be retryable.
 *
 * A fourth fault, a user item whose own condition fails, needs no injection: the probe event asks
 * for it (see {@link ProbeEvent.failUserItem}), and every projection backend must support it.
 *
 * @example
 * ```ts
 * const faults: readonly FaultKind[] = ["before-commit", "lost-response"];
 * ```
 */
export type FaultKind = "before-commit" | "lost-response" | "throttling";

/** Every {@link FaultKind}, in the order the kit runs them. */
export const FAULT_KINDS: readonly FaultKind[] = Object.freeze(["before-commit", "lost-response", "throttling"]);

/**
 * What a backend declares about itself. The kit reads it to decide what to run and registers a
 * visible skipped test, with the reason, for each thing it leaves out (clause K2).
 *
 * @example
 * ```ts
 * const capabilities: BackendCapabilities = {
 *   concurrentCalls: true,
 *   reportsStoredVersion: true,
 *   batches: true,
 *   faults: ["before-commit", "lost-response", "throttling"],
 *   maxResourceBytes: 2011,
 *   maxVersionBytes: 4096,
 * };
 * ```
 */
export interface BackendCapabilities {
  /**
   * Calls may be in flight at the same time (from several workers or processes). The kit then runs
   * its concurrency properties (R6, H6). A backend that can only serve one call at a time says
   * `false`, and those properties are reported as skipped.
   */
  readonly concurrentCalls: boolean;
  /**
   * On a conflict the backend calls `onConflict` with the stored version it learned while
   * rejecting (H7). When `true` the kit checks that the reported version is the stored one.
   */
  readonly reportsStoredVersion: boolean;
  /**
   * The handler offers the batch capability, `handleEventBatch` (B1–B4; every handler built on
   * core's `ProjectionHandlerBase` does). When `true` the kit checks it (K11): example tests per
   * batch clause, batches in its histories and among its concurrent workers, and faults inside
   * batches. Default `false`: the batch examples are reported as skipped, and the histories and
   * workers send their batches one event at a time through `handleEvent`, as an engine drives a
   * handler without the capability (B4).
   */
  readonly batches?: boolean | undefined;
  /** The faults the backend's {@link FaultInjector} can inject (K4). Default none. */
  readonly faults?: readonly FaultKind[] | undefined;
  /**
   * The longest resource, in bytes, that the backend accepts (clause K9): the kit uses resources of
   * every length from 1 byte up to it, the longest included. Leave it out when there is no limit:
   * the kit then goes up to {@link UNBOUNDED_GENERATION_BYTES}. At least
   * {@link MIN_DECLARED_RESOURCE_BYTES}. For the DynamoDB adapter it is 2048 minus the UTF-8 length
   * of the handler key minus 1 (the key is handler key, a space, then the resource).
   */
  readonly maxResourceBytes?: number | undefined;
  /**
   * The longest version, in bytes, that the kit may use (clause K9): at most what the backend
   * accepts. The kit uses versions of every length from empty up to it. Leave it out when there is
   * no limit: the kit then goes up to {@link UNBOUNDED_GENERATION_BYTES}. At least
   * {@link MIN_DECLARED_VERSION_BYTES}.
   */
  readonly maxVersionBytes?: number | undefined;
}

/**
 * How long the kit makes resources and versions when a backend declares no maximum
 * ({@link BackendCapabilities.maxResourceBytes}, {@link BackendCapabilities.maxVersionBytes}).
 *
 * @example
 * ```ts
 * const longest = capabilities.maxVersionBytes ?? UNBOUNDED_GENERATION_BYTES;
 * ```
 */
export const UNBOUNDED_GENERATION_BYTES = 1024;

/**
 * The smallest {@link BackendCapabilities.maxResourceBytes} a backend may declare: the kit's named
 * resources need that much room.
 *
 * @example
 * ```ts
 * const capabilities = { concurrentCalls: true, reportsStoredVersion: true, maxResourceBytes: MIN_DECLARED_RESOURCE_BYTES };
 * ```
 */
export const MIN_DECLARED_RESOURCE_BYTES = 32;

/**
 * The smallest {@link BackendCapabilities.maxVersionBytes} a backend may declare: the kit's stream
 * versions are 8 bytes, and it needs room beyond them.
 *
 * @example
 * ```ts
 * const capabilities = { concurrentCalls: true, reportsStoredVersion: true, maxVersionBytes: MIN_DECLARED_VERSION_BYTES };
 * ```
 */
export const MIN_DECLARED_VERSION_BYTES = 16;

/**
 * Injects faults into the next commits of one backend (clause K4). The memory backend does it with
 * hooks; the DynamoDB backend with client middleware around real requests.
 *
 * @example
 * ```ts
 * const faults: FaultInjector = {
 *   inject(kind, times = 1) {
 *     pending.push(...Array.from({ length: times }, () => kind));
 *   },
 *   reset() {
 *     pending.length = 0;
 *   },
 * };
 * ```
 */
export interface FaultInjector {
  /**
   * Breaks the next `times` commit attempts with the given fault; then commits work again.
   *
   * @param kind - the fault to inject.
   * @param times - how many attempts to break. Default 1.
   */
  inject(kind: FaultKind, times?: number): void;
  /**
   * Drops the faults not injected yet. The kit calls it after each delivery, because a call that
   * never reached a commit (a conflict found early, a failing user item) leaves its fault pending.
   */
  reset(): void;
}
