import type { OperationOptions, ProjectionCompactScope, ProjectionEvent, ProjectionEventScope, ProjectionLogic } from "@projectionkit/core";
import type { Draft } from "./draft.js";

/**
 * What a state-updating function of a {@link MemoryProjectionHandler} may return: nothing (it
 * changed the draft it was given) or the next state (it did not touch the draft), possibly as a
 * promise.
 *
 * @example
 * ```ts
 * const increment = (count: number): StateUpdate<number> => count + 1;
 * ```
 */
export type StateUpdate<S> = S | Draft<S> | void | undefined | Promise<S | Draft<S> | void | undefined>;

/**
 * The projection logic a user writes for the memory adapter: how the state of type `S` changes per
 * event. {@link memoryProjection} binds it and takes care of versions, atomicity and concurrency.
 *
 * `handleEvent` receives a draft of the current state. It either mutates the draft or returns the
 * next state (not both), as with an Immer recipe. If it throws, the state and the version stay as
 * they were, whatever it changed. It is only called after the version check passed. The draft, and
 * every part of it, is revoked when the call ends: keep values, not drafts.
 *
 * The state holds primitives, `Date`s, plain objects, arrays, `Map`s with primitive keys and `Set`s
 * of primitives; anything else (class instances, typed arrays, functions) is refused with an
 * `InvalidStateUpdateError`. A `Date` is replaced, never changed in place (its setters throw). The
 * committed state is frozen unless `freeze: false`.
 *
 * @typeParam S - the projection's state.
 * @typeParam E - the events it consumes.
 *
 * @example
 * ```ts
 * type AccountEvent = { type: "Deposited"; account: string; amount: number };
 *
 * const balances: MemoryProjectionHandler<Record<string, number>, AccountEvent> = {
 *   configure(c) {
 *     c.identity("balances", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
 *     c.handlesEvents("Deposited");
 *   },
 *   initialState: {},
 *   handleEvent(state, _scope, event) {
 *     state[event.account] = (state[event.account] ?? 0) + event.amount;
 *   },
 * };
 * ```
 */
export interface MemoryProjectionHandler<S, E extends ProjectionEvent = ProjectionEvent> extends ProjectionLogic<E> {
  /** The state before any event. */
  readonly initialState: S;

  /**
   * Applies one event to a draft of the state.
   *
   * @param state - a draft of the current state; mutate it, or return the next state.
   * @param scope - the event's context.
   * @param event - the event, of a declared type.
   * @param options - the caller's abort signal.
   * @returns nothing, or the next state.
   */
  handleEvent(state: Draft<S>, scope: ProjectionEventScope, event: E, options: OperationOptions): StateUpdate<S>;

  /**
   * Shrinks the state, e.g. drops expired entries. Absent means there is nothing to compact.
   *
   * @param state - a draft of the current state; mutate it, or return the next state.
   * @param scope - the compaction's context.
   * @param options - the caller's abort signal.
   * @returns nothing, or the next state.
   */
  compact?(state: Draft<S>, scope: ProjectionCompactScope, options: OperationOptions): StateUpdate<S>;
}
