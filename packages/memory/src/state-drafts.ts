import { freeze, Immer, isDraft, isDraftable, type Draft, type Objectish } from "immer";
import type { StateUpdate } from "./memory-projection-handler.js";
import { InvalidStateUpdateError } from "./state-update-error.js";

/**
 * Runs a state-updating function on a draft of a committed state and returns the next state,
 * without touching the committed one. Unlike Immer's `produce`, the function may be asynchronous:
 * the draft stays valid until it settles.
 *
 * @internal
 */
export class StateDrafts {
  readonly #immer: Immer;
  readonly #freeze: boolean;

  constructor(freezeStates: boolean) {
    this.#immer = new Immer({ autoFreeze: freezeStates });
    this.#freeze = freezeStates;
  }

  /** Checks and (if configured) freezes a state given from outside, such as the initial state. */
  accept<S>(state: S): S {
    if (typeof state === "object" && state !== null) {
      if (!isDraftable(state)) {
        throw new InvalidStateUpdateError(
          "a state must be a primitive or plain objects, arrays, Maps and Sets; class instances cannot be drafted",
        );
      }
      if (this.#freeze) {
        freeze(state, true);
      }
    }
    return state;
  }

  /**
   * Applies `update` to a draft of `base`.
   *
   * @returns the next state; `base` itself when nothing changed.
   */
  async apply<S>(base: S, update: (draft: Draft<S>) => StateUpdate<S>): Promise<S> {
    if (!isDraftable(base)) {
      const result = await update(base as Draft<S>);
      return result === undefined ? base : this.accept(result as S);
    }
    const draft = this.#immer.createDraft(base as Objectish);
    let result: unknown;
    try {
      result = await update(draft as Draft<S>);
    } catch (error) {
      // Revoke the draft, so that a failed handler cannot keep changing it; then drop it.
      this.#immer.finishDraft(draft);
      throw error;
    }
    if (result !== draft && containsDraft(result, new Set())) {
      this.#immer.finishDraft(draft);
      throw new InvalidStateUpdateError(
        "the returned state contains parts of the draft; mutate the draft, or return a state built from fresh values",
      );
    }
    const fromDraft = this.#immer.finishDraft(draft) as S;
    if (result === undefined || result === draft) {
      return fromDraft;
    }
    if (fromDraft !== base) {
      throw new InvalidStateUpdateError(
        "the handler both changed its draft and returned a new state; do one or the other",
      );
    }
    return this.accept(result as S);
  }
}

function containsDraft(value: unknown, seen: Set<unknown>): boolean {
  if (typeof value !== "object" || value === null || seen.has(value)) {
    return false;
  }
  if (isDraft(value)) {
    return true;
  }
  seen.add(value);
  const children = value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? [...value] : Object.values(value);
  return children.some((child) => containsDraft(child, seen));
}
