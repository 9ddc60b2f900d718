import {
  EMPTY_VERSION,
  InvalidArgumentError,
  ownedBytes,
  ProjectionHandlerBase,
  requireKnownKeys,
  type BatchDelivery,
  type BatchOptions,
  type BatchResult,
  type CheckedConditionalOptions,
  type CheckedOptions,
  type EventBatchCall,
  type EventCall,
  type Identity,
  type OperationOptions,
  type ProjectionCompactScope,
  type ProjectionEventScope,
  type ProjectionEvent,
  type ProjectionMessageHandler,
  type Resource,
  type Version,
} from "@projectionkit/core";
import type { Draft } from "./draft.js";
import { andThen, isPromiseLike, orElse } from "./maybe-async.js";
import type { MemoryProjectionHandler, StateUpdate } from "./memory-projection-handler.js";
import { requireCommitHooks, type MemoryProjectionHooks } from "./commit-hooks.js";
import { ownedBatchCall, ownedEventCall } from "./owned-calls.js";
import { SerialQueue } from "./serial-queue.js";
import { StateStore, type StateTransaction } from "./state-store.js";
import { VersionMap } from "./version-map.js";

/**
 * Options of {@link memoryProjection}.
 *
 * @example
 * ```ts
 * const projection = memoryProjection(handler, { freeze: false });
 * ```
 */
export interface MemoryProjectionOptions<E extends ProjectionEvent = ProjectionEvent> {
  /**
   * Freeze the committed state, so that code outside the handler cannot change it by accident: the
   * parts of it that someone can hold (what `state` returned, values a handler wrote in) are deep-
   * frozen; the adapter's own parts are frozen when `state` is read. Default `true`.
   *
   * With `false`, nothing is frozen: the objects `state` returns, and the objects a handler wrote
   * into the state and kept, can be changed from outside (do not). Handlers are isolated either way:
   * a throwing handler changes nothing, and drafts are revoked when their call ends.
   */
  readonly freeze?: boolean | undefined;
  /** Hooks around each commit, for fault injection in tests. Default none. */
  readonly hooks?: MemoryProjectionHooks<E> | undefined;
}

/**
 * A projection held in memory: a {@link ProjectionMessageHandler} for engines, plus
 * {@link MemoryProjection.state} for assertions in tests.
 *
 * @typeParam S - the projection's state.
 * @typeParam E - the events it consumes.
 *
 * @example
 * ```ts
 * const projection: MemoryProjection<Record<string, number>, AccountEvent> = memoryProjection(balances);
 * await projection.handleEvent(r, c, n, createEventScope(), event);
 * expect(projection.state).toEqual({ "acc-1": 10 });
 * ```
 */
export interface MemoryProjection<S, E extends ProjectionEvent = ProjectionEvent> extends ProjectionMessageHandler<E> {
  /**
   * The state as of the last commit: frozen unless `freeze: false`. While a call is between its
   * handler and its commit, this is a copy of the last committed state.
   */
  readonly state: S;
  /** The identity the handler declared. */
  readonly identity: Identity;
  /**
   * Applies consecutive events of one resource with one commit (B1–B3): the handler runs for each
   * event in order, and the events that applied, from the first, are committed together with the
   * last one's `next`. A handler that throws stops the batch there; the events before it are
   * committed.
   *
   * @param resource - the resource of every delivery.
   * @param deliveries - the events in order; each `current` is the previous delivery's `next`.
   * @param options - an abort signal.
   * @returns how many were applied and, if not all, where and why it stopped.
   */
  handleEventBatch(resource: Resource, deliveries: readonly BatchDelivery<E>[], options?: BatchOptions): Promise<BatchResult>;
}

/**
 * Binds a {@link MemoryProjectionHandler} into a {@link ProjectionMessageHandler} that keeps the
 * state and one version per resource in memory (clause M1).
 *
 * For each event: the arguments and the event type are checked (H3), then the version (a conflict
 * resolves `false` without calling the handler), then the user's `handleEvent` runs on a draft,
 * then the new state and the new version are committed together in one synchronous step. A
 * throwing handler, an aborted call or a value the state cannot keep commits nothing, whatever
 * the handler changed (M2). Calls are serialised, so concurrent calls are safe even when the
 * handler awaits, and of several concurrent calls with the same resource and current version
 * exactly one resolves `true` (H6). Conflicts always report the stored version through
 * `options.onConflict` (H7).
 *
 * The draft writes the live state in place and logs what each write overwrote, so that an event
 * costs about what its writes cost (no copy of the objects on its path) and a failure is undone
 * from the log. Calls that need no `await` (synchronous handler and hooks, queue idle) complete
 * without a turn of the event loop.
 *
 * @param handler - the projection logic.
 * @param options - see {@link MemoryProjectionOptions}.
 * @returns the projection.
 * @throws `InvalidConfigurationError` if `configure` declares something unusable;
 *   `InvalidArgumentError` for an initial state the adapter cannot keep (a class instance, a
 *   typed array, a function, … anywhere in it).
 *
 * @example
 * ```ts
 * import { createEventScope, streamEventVersions } from "@projectionkit/core";
 * import { memoryProjection } from "@projectionkit/memory";
 *
 * type Deposited = { type: "Deposited"; account: string; amount: number };
 * declare const balances: MemoryProjectionHandler<Record<string, number>, Deposited>;
 *
 * const projection = memoryProjection(balances);
 * const { resource, current, next } = streamEventVersions("acc-1", 0);
 * await projection.handleEvent(resource, current, next, createEventScope(), {
 *   type: "Deposited",
 *   account: "acc-1",
 *   amount: 10,
 * }); // true
 * projection.state; // { "acc-1": 10 }
 * ```
 */
export function memoryProjection<S, E extends ProjectionEvent>(
  handler: MemoryProjectionHandler<S, E>,
  options: MemoryProjectionOptions<E> = {},
): MemoryProjection<S, E> {
  return new BoundMemoryProjection(handler, options);
}

class BoundMemoryProjection<S, E extends ProjectionEvent> extends ProjectionHandlerBase<E> implements MemoryProjection<S, E> {
  readonly #handler: MemoryProjectionHandler<S, E>;
  readonly #store: StateStore<S>;
  readonly #versions = new VersionMap();
  readonly #queue = new SerialQueue();
  readonly #hooks: MemoryProjectionHooks<E>;
  /** The handler's `handleEvent` and the event steps, as functions made once (no closure per call). */
  readonly #handleEventOf: (draft: unknown, scope: ProjectionEventScope, event: E, options: OperationOptions) => StateUpdate<S>;
  readonly #applyEventTask = (key: string, call: EventCall<E>): boolean | Promise<boolean> => this.#applyEvent(key, call);
  readonly #applyBatchTask = (key: string, call: EventBatchCall<E>): BatchResult | Promise<BatchResult> => this.#applyBatch(key, call);

  constructor(handler: MemoryProjectionHandler<S, E>, options: MemoryProjectionOptions<E>) {
    // Borrowing saves three copies per event; the calls copy what they read after a turn of the
    // event loop (owned-calls.ts), and the version map keeps its own copies.
    super(handler, { borrowArrays: true });
    if (typeof handler.handleEvent !== "function") {
      throw new InvalidArgumentError("handler.handleEvent", "expected a function");
    }
    const { freeze, hooks } = requireKnownKeys(options, "options", ["freeze", "hooks"]) as MemoryProjectionOptions<E>;
    if (freeze !== undefined && typeof freeze !== "boolean") {
      throw new InvalidArgumentError("options.freeze", "expected a boolean");
    }
    this.#hooks = requireCommitHooks(hooks);
    this.#handler = handler;
    this.#handleEventOf = (draft, scope, event, operationOptions) => handler.handleEvent(draft as Draft<S>, scope, event, operationOptions);
    try {
      this.#store = new StateStore(handler.initialState, freeze ?? true);
    } catch (error) {
      throw new InvalidArgumentError("handler.initialState", (error as Error).message, { cause: error });
    }
  }

  get state(): S {
    return this.#store.committed;
  }

  protected async _handleEvent(call: EventCall<E>): Promise<boolean> {
    const key = this.#versions.keyOf(call.resource);
    // A conflict needs no turn in the queue: the check is a valid linearisation point.
    if (this.#conflicts(key, call.resource, call.current, call.onConflict)) {
      return false;
    }
    // The arrays are borrowed: a call that waits for its turn keeps copies.
    return this.#queue.run(this.#applyEventTask, key, this.#queue.idle ? call : ownedEventCall(call), call.signal);
  }

  /** One commit for the run: the events that applied, from the first, with the last one's version. */
  protected override async _handleEventBatch(call: EventBatchCall<E>): Promise<BatchResult> {
    const { resource, deliveries, signal } = call;
    const key = this.#versions.keyOf(resource);
    const conflict = this.#batchConflict(key, resource, deliveries, 0);
    if (conflict !== undefined) {
      return conflict;
    }
    try {
      // The arrays are borrowed: a batch that waits for its turn keeps copies.
      return await this.#queue.run(this.#applyBatchTask, key, this.#queue.idle ? call : ownedBatchCall(call), signal);
    } catch (error) {
      // The queue's wait was aborted, a hook failed before or after the commit, or the signal aborted.
      return { applied: 0, requests: 1, stopped: { index: 0, reason: "error", error } };
    }
  }

  protected async _resourceVersion(resource: Resource): Promise<Version> {
    return this.#versions.copyOf(this.#versions.keyOf(resource));
  }

  protected async _closeResource(resource: Resource): Promise<void> {
    this.#versions.set(this.#versions.keyOf(resource), EMPTY_VERSION);
  }

  protected async _compact(scope: ProjectionCompactScope, { signal }: CheckedOptions): Promise<void> {
    const compact = this.#handler.compact?.bind(this.#handler);
    if (compact === undefined) {
      return;
    }
    const compactStep = (): void | Promise<void> => {
      const transaction = this.#store.begin();
      return rollingBackOnError(transaction, () =>
        andThen(
          transaction.apply((draft) => compact(draft as Draft<S>, scope, optionsOf(signal)), undefined, undefined, undefined),
          () => {
            signal?.throwIfAborted();
            transaction.commit();
          },
        ),
      );
    };
    await this.#queue.run(compactStep, undefined, undefined, signal);
  }

  /**
   * A batch stopped before its first event, when the stored version is not that event's `current`;
   * `undefined` when the batch may go on. `requests` is what the check counts for: 0 before the
   * batch took its turn in the queue, 1 once it has.
   */
  #batchConflict(key: string, resource: Resource, deliveries: EventBatchCall<E>["deliveries"], requests: 0 | 1): BatchResult | undefined {
    const first = deliveries[0] as EventBatchCall<E>["deliveries"][number];
    let storedVersion: Version | undefined;
    const onConflict: CheckedConditionalOptions["onConflict"] = (conflict) => {
      // Core copies it only after an `await`, and the version map changes its arrays in place.
      storedVersion = ownedBytes(conflict.storedVersion);
    };
    return this.#conflicts(key, resource, first.current, onConflict) ? { applied: 0, requests, stopped: { index: 0, reason: "conflict", storedVersion } } : undefined;
  }

  /** Runs the handler and commits: synchronous unless the handler or a hook returns a promise. */
  #applyEvent(key: string, call: EventCall<E>): boolean | Promise<boolean> {
    if (this.#conflicts(key, call.resource, call.current, call.onConflict)) {
      return false;
    }
    const { scope, event, signal } = call;
    const transaction = this.#store.begin();
    try {
      const applying = transaction.apply(this.#handleEventOf, scope, event, optionsOf(signal));
      let outcome: boolean | Promise<boolean>;
      if (isPromiseLike(applying)) {
        // The caller may change its arrays while the handler awaits.
        const owned = ownedEventCall(call);
        outcome = applying.then(() => this.#commitEvent(transaction, key, owned));
      } else {
        outcome = this.#commitEvent(transaction, key, call);
      }
      return isPromiseLike(outcome) ? outcome.then(undefined, (error: unknown) => rollBack(transaction, error)) : outcome;
    } catch (error) {
      return rollBack(transaction, error);
    }
  }

  #commitEvent(transaction: StateTransaction<S>, key: string, { resource, current, next, event, signal, onConflict }: EventCall<E>): boolean | Promise<boolean> {
    signal?.throwIfAborted();
    // `closeResource` does not queue, so the version may have moved while the handler ran.
    if (this.#conflicts(key, resource, current, onConflict)) {
      transaction.rollback();
      return false;
    }
    const committing = this.#commit(transaction, key, resource, next, event, undefined);
    return isPromiseLike(committing) ? committing.then(() => true) : true;
  }

  #applyBatch(key: string, call: EventBatchCall<E>): BatchResult | Promise<BatchResult> {
    const { signal } = call;
    // The batch's arrays: the caller's until a handler returns a promise, copies from then on.
    let { resource, deliveries } = call;
    let copied = false;
    const conflict = this.#batchConflict(key, resource, deliveries, 1);
    if (conflict !== undefined) {
      return conflict;
    }
    const transaction = this.#store.begin();
    let applied = 0;
    let failure: { error: unknown } | undefined;
    // Each event's changes are undone on their own when its handler fails; the ones before stay.
    const applyFrom = (start: number): void | Promise<void> => {
      for (let index = start; index < deliveries.length; index++) {
        const { scope, event } = deliveries[index] as EventBatchCall<E>["deliveries"][number];
        let applying: void | Promise<void>;
        try {
          applying = transaction.apply(this.#handleEventOf, scope, event, optionsOf(signal));
        } catch (error) {
          failure = { error };
          return;
        }
        if (isPromiseLike(applying)) {
          if (!copied) {
            ({ resource, deliveries } = ownedBatchCall(call));
            copied = true;
          }
          return applying.then(
            () => {
              applied++;
              return applyFrom(index + 1);
            },
            (error: unknown) => {
              failure = { error };
            },
          );
        }
        applied++;
      }
    };
    return rollingBackOnError(transaction, () =>
      andThen(applyFrom(0), (): BatchResult | Promise<BatchResult> => {
        signal?.throwIfAborted();
        if (applied === 0) {
          transaction.rollback();
          return { applied: 0, requests: 1, stopped: { index: 0, reason: "error", error: failure?.error } };
        }
        // `closeResource` does not queue, so the version may have moved while the handlers ran.
        const moved = this.#batchConflict(key, resource, deliveries, 1);
        if (moved !== undefined) {
          transaction.rollback();
          return moved;
        }
        const committed = deliveries.slice(0, applied);
        const last = committed[applied - 1] as (typeof committed)[number];
        return andThen(
          this.#commit(transaction, key, resource, last.next, last.event, committed),
          (): BatchResult => ({
            applied,
            requests: 1,
            stopped: failure === undefined ? undefined : { index: applied, reason: "error", error: failure.error },
          }),
        );
      }),
    );
  }

  /** Commits the transaction and the version together, between the commit hooks. */
  #commit(
    transaction: StateTransaction<S>,
    key: string,
    resource: Resource,
    version: Version,
    event: E,
    batch: ReadonlyArray<{ readonly event: E }> | undefined,
  ): void | Promise<void> {
    const { beforeCommit, afterCommit } = this.#hooks;
    if (beforeCommit === undefined && afterCommit === undefined) {
      transaction.commit();
      this.#versions.set(key, version);
      return;
    }
    // The hooks get arrays of their own, and the version is read after a hook that may await.
    const context = { resource: ownedBytes(resource), event, events: batch === undefined ? [event] : batch.map((delivery) => delivery.event) };
    const owned = ownedBytes(version);
    return andThen(beforeCommit?.(context), () => {
      transaction.commit();
      this.#versions.set(key, owned);
      return afterCommit?.(context);
    });
  }

  #conflicts(key: string, resource: Resource, expected: Version, onConflict: CheckedConditionalOptions["onConflict"]): boolean {
    if (this.#versions.matches(key, expected)) {
      return false;
    }
    onConflict?.({ resource, expectedVersion: expected, storedVersion: this.#versions.get(key) });
    return true;
  }
}

const WITHOUT_SIGNAL: OperationOptions = Object.freeze({ signal: undefined });

/** The options a handler receives: one shared, frozen object when there is no signal. */
function optionsOf(signal: AbortSignal | undefined): OperationOptions {
  return signal === undefined ? WITHOUT_SIGNAL : { signal };
}

/** Rolls the transaction back if it is still open, and throws `error`. */
function rollBack<S>(transaction: StateTransaction<S>, error: unknown): never {
  if (transaction.isOpen) {
    transaction.rollback();
  }
  throw error;
}

/** Runs `run`; whatever it throws or rejects with rolls the transaction back if it is still open. */
function rollingBackOnError<S, R>(transaction: StateTransaction<S>, run: () => R | PromiseLike<R>): R | Promise<R> {
  return orElse(run, (error) => rollBack(transaction, error));
}
