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
 * - ownership (R7): hooks receive copies that no caller holds; versions they return or report
 *   through `onConflict` or a {@link BatchStop} are copied before a caller sees them.
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

  /**
   * @param logic - the projection logic: its `configure` is called and checked here (H1).
   * @throws `InvalidConfigurationError` when `configure` declares something unusable.
   */
  protected constructor(logic: ProjectionLogic<E>) {
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
   * @returns whether the event was applied by this call.
   */
  async handleEvent(...call: Parameters<ProjectionMessageHandler<E>["handleEvent"]>): Promise<boolean> {
    const [resource, current, next, scope, event, options] = call;
    const checked = requireResource(resource);
    const expected = requireVersion(current, "current");
    const replacement = requireVersion(next, "next");
    requireHandledEvent(this.#configuration, event);
    requireScope(scope, "scope");
    const checkedOptions = checkConditionalOptions(options);
    return this._handleEvent({
      resource: ownedBytes(checked),
      current: ownedBytes(expected),
      next: ownedBytes(replacement),
      scope,
      event,
      ...checkedOptions,
    });
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
    const call: EventBatchCall<E> = { resource: ownedBytes(checked), deliveries: checkedDeliveries, ...checkedOptions };
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
    return ownedBytes(await this._resourceVersion(ownedBytes(checked), checkedOptions));
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
    await this._closeResource(ownedBytes(checked), checkedOptions);
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
    for (const [index, delivery] of (deliveries as readonly unknown[]).entries()) {
      const argument = `deliveries[${index}]`;
      if (typeof delivery !== "object" || delivery === null) {
        throw new InvalidArgumentError(argument, `expected a delivery object, got ${describeValue(delivery)}`);
      }
      const { current, next, event, scope } = delivery as BatchDelivery<E>;
      const expected = requireVersion(current, `${argument}.current`);
      const replacement = requireVersion(next, `${argument}.next`);
      if (previous !== undefined && !versionsEqual(previous, expected)) {
        throw new InvalidArgumentError(`${argument}.current`, "expected the previous delivery's next version: a batch holds consecutive events");
      }
      requireHandledEvent(this.#configuration, event, `${argument}.event`);
      requireScope(scope, `${argument}.scope`);
      checked.push({ current: ownedBytes(expected), next: ownedBytes(replacement), event, scope });
      previous = replacement;
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

function requireScope(scope: unknown, argument: string): void {
  if (typeof scope !== "object" || scope === null) {
    throw new InvalidArgumentError(argument, `expected an event scope (see createEventScope), got ${describeValue(scope)}`);
  }
}
