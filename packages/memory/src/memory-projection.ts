import {
  InvalidArgumentError,
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
  type ProjectionCompactScope,
  type ProjectionEvent,
  type ProjectionMessageHandler,
  type Resource,
  type Version,
} from "@projectionkit/core";
import { enableMapSet, type Draft } from "immer";
import type { MemoryProjectionHandler, StateUpdate } from "./memory-projection-handler.js";
import { requireCommitHooks, type MemoryProjectionHooks } from "./commit-hooks.js";
import { SerialQueue } from "./serial-queue.js";
import { StateDrafts } from "./state-drafts.js";
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
   * Deep-freeze each committed state, so that code outside the handler cannot change it by
   * accident. Turning it off saves time on large states. Default `true`.
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
  /** The state as of the last committed event: frozen unless `freeze: false`. */
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
 * throwing handler or an aborted call commits nothing. Calls are serialised, so concurrent calls
 * are safe even when the handler awaits, and of several concurrent calls with the same resource
 * and current version exactly one resolves `true` (H6). Conflicts always report the stored version
 * through `options.onConflict` (H7).
 *
 * @param handler - the projection logic.
 * @param options - see {@link MemoryProjectionOptions}.
 * @returns the projection.
 * @throws `InvalidConfigurationError` if `configure` declares something unusable;
 *   `InvalidArgumentError` for an initial state that cannot be drafted.
 *
 * @example
 * ```ts
 * import { createEventScope, streamEventVersions } from "@projectionkit/core";
 * import { memoryProjection } from "@projectionkit/memory";
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
  readonly #drafts: StateDrafts;
  readonly #versions = new VersionMap();
  readonly #queue = new SerialQueue();
  readonly #hooks: MemoryProjectionHooks<E>;
  #state: S;

  constructor(handler: MemoryProjectionHandler<S, E>, options: MemoryProjectionOptions<E>) {
    super(handler);
    if (typeof handler.handleEvent !== "function") {
      throw new InvalidArgumentError("handler.handleEvent", "expected a function");
    }
    const { freeze, hooks } = requireKnownKeys(options, "options", ["freeze", "hooks"]) as MemoryProjectionOptions<E>;
    if (freeze !== undefined && typeof freeze !== "boolean") {
      throw new InvalidArgumentError("options.freeze", "expected a boolean");
    }
    this.#hooks = requireCommitHooks(hooks);
    enableMapSet();
    this.#handler = handler;
    this.#drafts = new StateDrafts(freeze ?? true);
    try {
      this.#state = this.#drafts.accept(handler.initialState);
    } catch (error) {
      throw new InvalidArgumentError("handler.initialState", (error as Error).message, { cause: error });
    }
  }

  get state(): S {
    return this.#state;
  }

  protected async _handleEvent({ resource, current, next, scope, event, signal, onConflict }: EventCall<E>): Promise<boolean> {
    // A conflict needs no turn in the queue: the check is a valid linearisation point.
    if (this.#conflicts(resource, current, onConflict)) {
      return false;
    }
    return this.#queue.run(async () => {
      if (this.#conflicts(resource, current, onConflict)) {
        return false;
      }
      const nextState = await this.#produce(this.#state, (draft) => this.#handler.handleEvent(draft, scope, event, { signal }));
      signal?.throwIfAborted();
      // `closeResource` does not queue, so the version may have moved while the handler ran.
      if (this.#conflicts(resource, current, onConflict)) {
        return false;
      }
      await this.#commit(resource, nextState, next, [event]);
      return true;
    }, signal);
  }

  /** One commit for the run: the events that applied, from the first, with the last one's version. */
  protected override async _handleEventBatch({ resource, deliveries, signal }: EventBatchCall<E>): Promise<BatchResult> {
    const first = deliveries[0] as EventBatchCall<E>["deliveries"][number];
    let storedVersion: Version | undefined;
    const onConflict: CheckedConditionalOptions["onConflict"] = (conflict) => {
      storedVersion = conflict.storedVersion;
    };
    if (this.#conflicts(resource, first.current, onConflict)) {
      return { applied: 0, requests: 0, stopped: { index: 0, reason: "conflict", storedVersion } };
    }
    try {
      return await this.#queue.run(async (): Promise<BatchResult> => {
        if (this.#conflicts(resource, first.current, onConflict)) {
          return { applied: 0, requests: 1, stopped: { index: 0, reason: "conflict", storedVersion } };
        }
        let state = this.#state;
        let applied = 0;
        let failure: { error: unknown } | undefined;
        for (const delivery of deliveries) {
          try {
            state = await this.#produce(state, (draft) => this.#handler.handleEvent(draft, delivery.scope, delivery.event, { signal }));
          } catch (error) {
            failure = { error };
            break;
          }
          applied++;
        }
        signal?.throwIfAborted();
        if (applied === 0) {
          return { applied: 0, requests: 1, stopped: { index: 0, reason: "error", error: failure?.error } };
        }
        if (this.#conflicts(resource, first.current, onConflict)) {
          return { applied: 0, requests: 1, stopped: { index: 0, reason: "conflict", storedVersion } };
        }
        const committed = deliveries.slice(0, applied);
        await this.#commit(resource, state, (committed[applied - 1] as (typeof committed)[number]).next, committed.map((d) => d.event));
        return {
          applied,
          requests: 1,
          stopped: failure === undefined ? undefined : { index: applied, reason: "error", error: failure.error },
        };
      }, signal);
    } catch (error) {
      // The queue's wait was aborted, a hook failed before or after the commit, or the signal aborted.
      return { applied: 0, requests: 1, stopped: { index: 0, reason: "error", error } };
    }
  }

  protected async _resourceVersion(resource: Resource): Promise<Version> {
    return this.#versions.get(resource);
  }

  protected async _closeResource(resource: Resource): Promise<void> {
    this.#versions.set(resource, new Uint8Array(0));
  }

  protected async _compact(scope: ProjectionCompactScope, { signal }: CheckedOptions): Promise<void> {
    const compact = this.#handler.compact?.bind(this.#handler);
    if (compact === undefined) {
      return;
    }
    await this.#queue.run(async () => {
      const nextState = await this.#produce(this.#state, (draft) => compact(draft, scope, { signal }));
      signal?.throwIfAborted();
      this.#state = nextState;
    }, signal);
  }

  /** Commits a state and a version together, between the commit hooks. */
  async #commit(resource: Resource, nextState: S, version: Version, events: readonly E[]): Promise<void> {
    const context = { resource, event: events[events.length - 1] as E, events };
    await this.#hooks.beforeCommit?.(context);
    this.#state = nextState;
    this.#versions.set(resource, version);
    await this.#hooks.afterCommit?.(context);
  }

  #conflicts(resource: Resource, expected: Version, onConflict: CheckedConditionalOptions["onConflict"]): boolean {
    if (this.#versions.matches(resource, expected)) {
      return false;
    }
    onConflict?.({ resource, expectedVersion: expected, storedVersion: this.#versions.get(resource) });
    return true;
  }

  #produce(base: S, update: (draft: Draft<S>) => StateUpdate<S>): Promise<S> {
    return this.#drafts.apply(base, update);
  }
}
