import { codedError } from "@projectionkit/core";

declare module "@projectionkit/core" {
  interface ProjectionKitErrorCodes {
    ERR_INVALID_STATE_UPDATE: InvalidStateUpdateError;
  }
}

/**
 * A memory projection's handler produced a state the adapter cannot keep atomically: it both
 * changed its draft and returned a new state, returned a state that still contains parts of the
 * draft, or returned a class instance (which cannot be drafted). Nothing was committed. A
 * programming error, not retryable.
 *
 * Code: `ERR_INVALID_STATE_UPDATE`.
 *
 * @example
 * ```ts
 * handleEvent(state, _scope, event) {
 *   state.count += 1;
 *   return { count: 0 }; // rejects with InvalidStateUpdateError: mutate or return, not both
 * }
 * ```
 */
export class InvalidStateUpdateError extends codedError("ERR_INVALID_STATE_UPDATE", "InvalidStateUpdateError") {}
