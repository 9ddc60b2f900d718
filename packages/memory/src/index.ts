/**
 * projectionkit in memory: the reference implementation of the contract, and the double users put
 * in their unit tests.
 *
 * - {@link memoryProjection} binds a {@link MemoryProjectionHandler} (state `S` per event) into a
 *   `ProjectionMessageHandler`; read the result with {@link MemoryProjection.state}.
 * - {@link MemoryResourceRepository} is the version store alone.
 *
 * @example
 * ```ts
 * import { createEventScope, streamEventVersions } from "@projectionkit/core";
 * import { memoryProjection } from "@projectionkit/memory";
 *
 * type Deposited = { type: "Deposited"; amount: number };
 *
 * const projection = memoryProjection<{ total: number }, Deposited>({
 *   configure(c) {
 *     c.identity("deposits", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
 *     c.handlesEvents("Deposited");
 *   },
 *   initialState: { total: 0 },
 *   handleEvent(state, _scope, event) {
 *     state.total += event.amount;
 *   },
 * });
 * const { resource, current, next } = streamEventVersions("acc-1", 0);
 * await projection.handleEvent(resource, current, next, createEventScope(), { type: "Deposited", amount: 5 });
 * projection.state.total; // 5
 * ```
 *
 * @packageDocumentation
 */

export type { CommitContext, MemoryProjectionHooks } from "./commit-hooks.js";
export type { Draft } from "./draft.js";
export { MemoryResourceRepository } from "./memory-resource-repository.js";
export type { MemoryProjectionHandler, StateUpdate } from "./memory-projection-handler.js";
export { InvalidStateUpdateError } from "./state-update-error.js";
export { memoryProjection, type MemoryProjection, type MemoryProjectionOptions } from "./memory-projection.js";
