import {
  InvalidArgumentError,
  readProjectionConfiguration,
  requireConditionalWriteOptions,
  requireHandledEvent,
  requireOperationOptions,
  requireResource,
  requireVersion,
  type ConditionalWriteOptions,
  type Identity,
  type OperationOptions,
  type ProjectionCompactScope,
  type ProjectionConfiguration,
  type ProjectionConfigurer,
  type ProjectionEvent,
  type ProjectionEventScope,
  type ProjectionMessageHandler,
  type Resource,
  type Version,
  type VersionInput,
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

class BoundMemoryProjection<S, E extends ProjectionEvent> implements MemoryProjection<S, E> {
  readonly #handler: MemoryProjectionHandler<S, E>;
  readonly #configuration: ProjectionConfiguration<E>;
  readonly #drafts: StateDrafts;
  readonly #versions = new VersionMap();
  readonly #queue = new SerialQueue();
  readonly #hooks: MemoryProjectionHooks<E>;
  #state: S;

  constructor(handler: MemoryProjectionHandler<S, E>, options: MemoryProjectionOptions<E>) {
    this.#configuration = readProjectionConfiguration(handler);
    if (typeof handler.handleEvent !== "function") {
      throw new InvalidArgumentError("handler.handleEvent", "expected a function");
    }
    if (typeof options !== "object" || options === null) {
      throw new InvalidArgumentError("options", "expected an object");
    }
    if (options.freeze !== undefined && typeof options.freeze !== "boolean") {
      throw new InvalidArgumentError("options.freeze", "expected a boolean");
    }
    this.#hooks = requireCommitHooks(options.hooks);
    enableMapSet();
    this.#handler = handler;
    this.#drafts = new StateDrafts(options.freeze ?? true);
    try {
      this.#state = this.#drafts.accept(handler.initialState);
    } catch (error) {
      throw new InvalidArgumentError("handler.initialState", (error as Error).message, { cause: error });
    }
  }

  get state(): S {
    return this.#state;
  }

  get identity(): Identity {
    return this.#configuration.identity;
  }

  configure(configurer: ProjectionConfigurer<E>): void {
    this.#handler.configure(configurer);
  }

  async handleEvent(
    resource: Resource,
    current: VersionInput,
    next: VersionInput,
    scope: ProjectionEventScope,
    event: E,
    options?: ConditionalWriteOptions,
  ): Promise<boolean> {
    requireResource(resource);
    const expected = requireVersion(current, "current");
    const replacement = requireVersion(next, "next");
    requireHandledEvent(this.#configuration, event);
    const { signal, onConflict } = requireConditionalWriteOptions(options);

    // A conflict needs no turn in the queue: the check is a valid linearisation point.
    if (this.#conflicts(resource, expected, onConflict)) {
      return false;
    }
    return this.#queue.run(async () => {
      if (this.#conflicts(resource, expected, onConflict)) {
        return false;
      }
      const nextState = await this.#produce((draft) => this.#handler.handleEvent(draft, scope, event, { signal }));
      signal?.throwIfAborted();
      // `closeResource` does not queue, so the version may have moved while the handler ran.
      if (this.#conflicts(resource, expected, onConflict)) {
        return false;
      }
      await this.#hooks.beforeCommit?.({ resource, event });
      this.#state = nextState;
      this.#versions.set(resource, replacement);
      await this.#hooks.afterCommit?.({ resource, event });
      return true;
    }, signal);
  }

  async resourceVersion(resource: Resource, options?: OperationOptions): Promise<Version> {
    requireResource(resource);
    requireOperationOptions(options);
    return this.#versions.get(resource);
  }

  async closeResource(resource: Resource, options?: OperationOptions): Promise<void> {
    requireResource(resource);
    requireOperationOptions(options);
    this.#versions.set(resource, new Uint8Array(0));
  }

  timeoutHint(event: E): number {
    return this.#handler.timeoutHint?.(event) ?? 0;
  }

  async compact(scope: ProjectionCompactScope, options?: OperationOptions): Promise<void> {
    const { signal } = requireOperationOptions(options);
    const compact = this.#handler.compact?.bind(this.#handler);
    if (compact === undefined) {
      return;
    }
    await this.#queue.run(async () => {
      const nextState = await this.#produce((draft) => compact(draft, scope, { signal }));
      signal?.throwIfAborted();
      this.#state = nextState;
    }, signal);
  }

  #conflicts(
    resource: Resource,
    expected: Version,
    onConflict: ConditionalWriteOptions["onConflict"],
  ): boolean {
    if (this.#versions.matches(resource, expected)) {
      return false;
    }
    onConflict?.({ resource, expectedVersion: expected, storedVersion: this.#versions.get(resource) });
    return true;
  }

  #produce(update: (draft: Draft<S>) => StateUpdate<S>): Promise<S> {
    return this.#drafts.apply(this.#state, update);
  }
}
