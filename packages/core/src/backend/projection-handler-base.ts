import { InvalidArgumentError } from "../errors/argument-errors.js";
import type { BatchDelivery, BatchOptions, BatchResult, BatchStop, CheckedBatchDelivery } from "../event-batch.js";
import type { Identity } from "../identity.js";
import type { OperationOptions } from "../operation-options.js";
import { readProjectionConfiguration, requireHandledEvent, type Configurable, type ProjectionConfiguration } from "../projection-configuration.js";
import type { ProjectionConfigurer } from "../projection-configurer.js";
import type { ProjectionEvent } from "../projection-event.js";
import type { ProjectionMessageHandler } from "../projection-message-handler.js";
import { versionsEqual, type Resource, type Version } from "../resource.js";
import type { ProjectionCompactScope } from "../scopes.js";
import { describeValue } from "../describe-value.js";
import { requireResource, requireVersion } from "../validation.js";
import type { CheckedOptions, EventBatchCall, EventCall } from "./checked-calls.js";
import { ownedBytes } from "./owned-bytes.js";
import { checkConditionalOptions, checkOptions } from "./resource-repository-base.js";

/**
 * What {@link ProjectionHandlerBase} needs of the user's projection logic: its declarations (H1)
 * and, optionally, a timeout hint (H5).
 *
 * @typeParam E - the events of the projection.
 *
 * @example
 * ```ts
 * const logic: ProjectionLogic<AccountEvent> = {
 *   configure(c) {
 *     c.identity("balances", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
 *     c.handlesEvents("MoneyDeposited");
 *   },
 *   timeoutHint: () => 2_000,
 * };
 * ```
 */
export interface ProjectionLogic<E extends ProjectionEvent = ProjectionEvent> extends Configurable<E> {
  /**
   * Suggests a deadline for handling `event`, in milliseconds; `0` or absent for no hint (H5).
   *
   * @param event - the event.
   * @returns milliseconds.
   */
  timeoutHint?(event: E): number;
}

/**
 * Options of {@link ProjectionHandlerBase}'s constructor, for backend authors.
 *
 * @example
 * ```ts
 * // For a backend whose hooks read the arrays they receive before they first await, and keep
 * // none of them: its constructor calls `super(logic, borrowing)`.
 * const borrowing: ProjectionHandlerBaseOptions = { borrowArrays: true };
 * ```
 */
export interface ProjectionHandlerBaseOptions {
  /**
   * Pass the caller's own arrays (the resource, the versions) to the hooks instead of copies:
   * one allocation less per array and call, which matters when a call costs about a microsecond.
   * Default `false`.
   *
   * Only for a backend whose hooks keep ownership themselves (R7): they read the arrays only in
   * their synchronous part (before their first `await`, or before the first promise they wait
   * for), and copy whatever they keep or still need after that point. The caller may change an
   * array as soon as the hook's synchronous part has returned. What hooks return or report
   * (`onConflict`, a batch's stored version) is copied by the base either way.
   */
  readonly borrowArrays?: boolean | undefined;
}

/**
 * The base of a {@link ProjectionMessageHandler} backend: its public methods check every argument
 * and option once (E1, E2, H3), before any I/O, and then call a protected hook that does only the
 * storage part. The constructor reads and checks the logic's configuration once (H1).
 *
 * What the base guarantees, so that hooks need not:
 * - the resource is a non-empty `Uint8Array`, versions are `Uint8Array`s (absent and `null` become
 *   the empty version), the event is of a declared type (else `UnexpectedMessageError`), options
 *   have only known keys of the right types, and the signal has not aborted yet;
 * - in a batch, there is at least one delivery and each delivery's `current` is the previous
 *   delivery's `next`;
 * - ownership (R7): hooks receive copies that no caller holds (unless the backend asks to borrow
 *   the caller's arrays, see {@link ProjectionHandlerBaseOptions.borrowArrays}); versions they
 *   return or report through `onConflict` or a {@link BatchStop} are copied before a caller sees
 *   them.
 *
 * The batch capability (B1–B4): `handleEventBatch` is always offered. A backend that can commit
 * several events at once implements `_handleEventBatch`; without it, the base applies the
 * deliveries one at a time through `_handleEvent` and stops at the first that does not apply (B4).
 *
 * @typeParam E - the events of the projection.
 *
 * @example
 * ```ts
 * class MyProjection<E extends ProjectionEvent> extends ProjectionHandlerBase<E> {
 *   constructor(readonly logic: MyLogic<E>, readonly database: MyDatabase) {
 *     super(logic);
 *   }
 *   protected async _handleEvent({ resource, current, next, event, signal }: EventCall<E>): Promise<boolean> {
 *     return this.database.transaction({ signal }, async (tx) => {
 *       if (!(await tx.advanceVersion(resource, current, next))) return false;
 *       await this.logic.apply(tx, event);
 *       return true;
 *     });
 *   }
 *   protected _resourceVersion(resource: Resource, { signal }: CheckedOptions): Promise<Version> {
 *     return this.database.readVersion(resource, { signal });
 *   }
 *   protected _closeResource(resource: Resource, { signal }: CheckedOptions): Promise<void> {
 *     return this.database.deleteVersion(resource, { signal });
 *   }
 *   protected async _compact(): Promise<void> {}
 * }
 * ```
 */
export abstract class ProjectionHandlerBase<E extends ProjectionEvent = ProjectionEvent> implements ProjectionMessageHandler<E> {
  readonly #logic: ProjectionLogic<E>;
  readonly #configuration: ProjectionConfiguration<E>;
  /** What the hooks receive for a caller's array: a copy, or the array itself when borrowing. */
  readonly #passIn: (bytes: Uint8Array) => Uint8Array;

  /**
   * @param logic - the projection logic: its `configure` is called and checked here (H1).
   * @param options - see {@link ProjectionHandlerBaseOptions}.
   * @throws `InvalidConfigurationError` when `configure` declares something unusable.
   */
  protected constructor(logic: ProjectionLogic<E>, options: ProjectionHandlerBaseOptions = {}) {
    this.#passIn = options.borrowArrays === true ? borrowed : ownedBytes;
    this.#configuration = readProjectionConfiguration(logic);
    if (logic.timeoutHint !== undefined && typeof logic.timeoutHint !== "function") {
      throw new InvalidArgumentError("handler.timeoutHint", `expected a function, got ${describeValue(logic.timeoutHint)}`);
    }
    this.#logic = logic;
  }

  /** The identity the projection declared. */
  get identity(): Identity {
    return this.#configuration.identity;
  }

  /** The checked configuration: identity and event types. */
  protected get configuration(): ProjectionConfiguration<E> {
    return this.#configuration;
  }

  /**
   * Declares the projection's identity and event types (H1), by asking its logic.
   *
   * @param configurer - receives the declarations.
   */
  configure(configurer: ProjectionConfigurer<E>): void {
    this.#logic.configure(configurer);
  }

  /**
   * The logic's hint for handling `event`, in milliseconds; `0` for none (H5).
   *
   * @param event - the event about to be handled.
   * @returns milliseconds, or `0`.
   */
  timeoutHint(event: E): number {
    return this.#logic.timeoutHint?.(event) ?? 0;
  }

  /**
   * Applies `event` if the stored version of `resource` is `current` (H2, H6): see
   * {@link ProjectionMessageHandler.handleEvent}, whose parameters this implementation takes as
   * they are declared there (one signature for the contract and its implementation).
   *
   * @param call - `resource` (non-empty), `current` (the version the engine believes it has; empty
   *   for "absent"), `next` (the version it gets; empty deletes its version), `scope`, `event`, and
   *   `options` (an abort signal, `onConflict` and `onRequest`).
   * @returns whether the event was applied by this call; a bad argument rejects it, before any I/O.
   */
  handleEvent(...call: Parameters<ProjectionMessageHandler<E>["handleEvent"]>): Promise<boolean> {
    // Not `async`: the hook's own promise is returned as it is, rather than wrapped in a second one
    // (one promise and no extra turns of the microtask queue per event).
    try {
      const [resource, current, next, scope, event, options] = call;
      const checked = requireResource(resource);
      const expected = requireVersion(current, "current");
      const replacement = requireVersion(next, "next");
      requireHandledEvent(this.#configuration, event);
      requireScope(scope, "scope");
      const { signal, onRequest, onConflict } = checkConditionalOptions(options);
      return this._handleEvent({
        resource: this.#passIn(checked),
        current: this.#passIn(expected),
        next: this.#passIn(replacement),
        scope,
        event,
        signal,
        onRequest,
        onConflict,
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Applies consecutive events of one resource, a prefix of them, in as few requests as the
   * backend can (B1–B4): see {@link ProjectionMessageHandler.handleEventBatch}.
   *
   * @param resource - the resource of every delivery, non-empty.
   * @param deliveries - the events in order; each `current` is the previous delivery's `next`.
   * @param options - an abort signal and `onRequest`.
   * @returns how many were applied, how many requests it took, and where and why it stopped.
   */
  async handleEventBatch(resource: Resource, deliveries: readonly BatchDelivery<E>[], options?: BatchOptions): Promise<BatchResult> {
    const checked = requireResource(resource);
    const checkedDeliveries = this.#checkDeliveries(deliveries);
    const checkedOptions = checkOptions(options);
    if (checkedDeliveries.length === 0) {
      return { applied: 0, requests: 0, stopped: undefined };
    }
    const call: EventBatchCall<E> = { resource: this.#passIn(checked), deliveries: checkedDeliveries, ...checkedOptions };
    const result = this._handleEventBatch === undefined ? await this.#oneByOne(call) : await this._handleEventBatch(call);
    return result.stopped?.reason === "conflict" && result.stopped.storedVersion !== undefined
      ? { ...result, stopped: { ...result.stopped, storedVersion: ownedBytes(result.stopped.storedVersion) } }
      : result;
  }

  /**
   * Reads the stored version of `resource` (H4).
   *
   * @param resource - the resource, non-empty.
   * @param options - an abort signal and `onRequest`.
   * @returns the stored version; empty if there is none.
   */
  async resourceVersion(resource: Resource, options?: OperationOptions): Promise<Version> {
    const checked = requireResource(resource);
    const checkedOptions = checkOptions(options);
    return ownedBytes(await this._resourceVersion(this.#passIn(checked), checkedOptions));
  }

  /**
   * Removes the version of `resource` (H4); no error if it has none.
   *
   * @param resource - the resource, non-empty.
   * @param options - an abort signal and `onRequest`.
   */
  async closeResource(resource: Resource, options?: OperationOptions): Promise<void> {
    const checked = requireResource(resource);
    const checkedOptions = checkOptions(options);
    await this._closeResource(this.#passIn(checked), checkedOptions);
  }

  /**
   * Shrinks the projection's data in small steps (H5).
   *
   * @param scope - the compaction's context.
   * @param options - an abort signal and `onRequest`.
   */
  async compact(scope: ProjectionCompactScope, options?: OperationOptions): Promise<void> {
    const checkedOptions = checkOptions(options);
    await this._compact(scope, checkedOptions);
  }

  /**
   * Applies one checked event: if the stored version is `call.current`, commits the event's changes
   * and `call.next` atomically and resolves `true`; otherwise changes nothing, reports the stored
   * version through `call.onConflict` when known, and resolves `false`.
   *
   * @param call - the checked call; its arrays are the hook's own.
   */
  protected abstract _handleEvent(call: EventCall<E>): Promise<boolean>;

  /**
   * Optional: applies a checked batch in as few atomic requests as the backend can, in order,
   * stopping at the first that does not commit (B1–B3). Without it, the base applies the
   * deliveries one at a time.
   *
   * @param call - the checked batch; at least one delivery.
   */
  protected _handleEventBatch?(call: EventBatchCall<E>): Promise<BatchResult>;

  /**
   * Reads the stored version; the empty version when there is none.
   *
   * @param resource - a checked resource, the hook's own.
   * @param options - the checked options.
   */
  protected abstract _resourceVersion(resource: Resource, options: CheckedOptions): Promise<Version>;

  /**
   * Removes the stored version; no error if there is none.
   *
   * @param resource - a checked resource, the hook's own.
   * @param options - the checked options.
   */
  protected abstract _closeResource(resource: Resource, options: CheckedOptions): Promise<void>;

  /**
   * Compacts the projection's data; resolve at once when there is nothing to do.
   *
   * @param scope - the compaction's context.
   * @param options - the checked options.
   */
  protected abstract _compact(scope: ProjectionCompactScope, options: CheckedOptions): Promise<void>;

  #checkDeliveries(deliveries: readonly BatchDelivery<E>[]): CheckedBatchDelivery<E>[] {
    if (!Array.isArray(deliveries)) {
      throw new InvalidArgumentError("deliveries", `expected an array, got ${describeValue(deliveries)}`);
    }
    const checked: CheckedBatchDelivery<E>[] = [];
    let previous: Version | undefined;
    /** What the hook gets for the previous delivery's `next`: the same bytes as this one's `current`. */
    let previousPassed: Version | undefined;
    // Each check runs its cheap test first; only a value that fails it pays for the argument's name
    // (`deliveries[3].next`), built by the requirement that then throws or normalises it.
    for (let index = 0; index < deliveries.length; index++) {
      const delivery: unknown = deliveries[index];
      if (typeof delivery !== "object" || delivery === null) {
        throw new InvalidArgumentError(deliveryArgument(index), `expected a delivery object, got ${describeValue(delivery)}`);
      }
      const { current, next, event, scope } = delivery as BatchDelivery<E>;
      const expected = current instanceof Uint8Array ? current : requireVersion(current, deliveryArgument(index, "current"));
      const replacement = next instanceof Uint8Array ? next : requireVersion(next, deliveryArgument(index, "next"));
      if (previous !== undefined && !versionsEqual(previous, expected)) {
        throw new InvalidArgumentError(deliveryArgument(index, "current"), "expected the previous delivery's next version: a batch holds consecutive events");
      }
      if (typeof event !== "object" || event === null || !this.#configuration.eventTypes.has(event.type)) {
        requireHandledEvent(this.#configuration, event, deliveryArgument(index, "event"));
      }
      if (typeof scope !== "object" || scope === null) {
        requireScope(scope, deliveryArgument(index, "scope"));
      }
      const passed = this.#passIn(replacement);
      checked.push({ current: previousPassed ?? this.#passIn(expected), next: passed, event, scope });
      previous = replacement;
      previousPassed = passed;
    }
    return checked;
  }

  /** B4: one event at a time, stopping at the first that does not apply. */
  async #oneByOne(call: EventBatchCall<E>): Promise<BatchResult> {
    const { resource, deliveries, signal, onRequest } = call;
    let applied = 0;
    for (const [index, delivery] of deliveries.entries()) {
      if (signal?.aborted === true) {
        return { applied, requests: index, stopped: { index, reason: "error", error: signal.reason } };
      }
      let storedVersion: Version | undefined;
      try {
        const ok = await this._handleEvent({
          resource,
          ...delivery,
          signal,
          onRequest,
          onConflict: (conflict) => {
            storedVersion = conflict.storedVersion;
          },
        });
        if (!ok) {
          return { applied, requests: index + 1, stopped: { index, reason: "conflict", storedVersion } };
        }
      } catch (error) {
        return { applied, requests: index + 1, stopped: { index, reason: "error", error } };
      }
      applied++;
    }
    return { applied, requests: deliveries.length, stopped: undefined };
  }
}

/** The caller's array itself, for a backend that borrows (see {@link ProjectionHandlerBaseOptions}). */
function borrowed(bytes: Uint8Array): Uint8Array {
  return bytes;
}

/** How errors name a delivery of a batch, or one of its fields: `deliveries[3]`, `deliveries[3].next`. */
function deliveryArgument(index: number, field?: string): string {
  return field === undefined ? `deliveries[${index}]` : `deliveries[${index}].${field}`;
}

function requireScope(scope: unknown, argument: string): void {
  if (typeof scope !== "object" || scope === null) {
    throw new InvalidArgumentError(argument, `expected an event scope (see createEventScope), got ${describeValue(scope)}`);
  }
}
