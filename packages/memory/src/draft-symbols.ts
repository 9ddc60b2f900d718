import type { DraftCall } from "./draft-call.js";

/**
 * Keys only the adapter's draft proxies answer: the live node a draft stands for, and the call it
 * belongs to. Any other value has neither (a plain property lookup that misses), and a draft of a
 * finished call throws when asked.
 *
 * @internal
 */
export const DRAFT_NODE: unique symbol = Symbol("projectionkit.memory.draftNode");

/** @internal */
export const DRAFT_CALL: unique symbol = Symbol("projectionkit.memory.draftCall");

/**
 * The call `value` is a draft of; `undefined` when it is not a draft.
 *
 * @throws `TypeError` if it is a draft of a call that has finished.
 *
 * @internal
 */
export function draftCallOf(value: object): DraftCall | undefined {
  return (value as { [DRAFT_CALL]?: DraftCall })[DRAFT_CALL];
}

/**
 * The live node a draft stands for.
 *
 * @internal
 */
export function draftNodeOf(draft: object): object {
  return (draft as { [DRAFT_NODE]: object })[DRAFT_NODE];
}
