import { InvalidArgumentError, requireKnownKeys, type ProjectionEvent, type Resource } from "@projectionkit/core";

/**
 * What a commit hook is told about the commit.
 *
 * @example
 * ```ts
 * const hook = ({ resource, event }: CommitContext) => console.log(resource, event.type);
 * ```
 */
export interface CommitContext<E extends ProjectionEvent = ProjectionEvent> {
  /** The resource whose version moves. */
  readonly resource: Resource;
  /** The event being committed (the last one, when a batch commits several). */
  readonly event: E;
  /** Every event of the commit, in order: one, or several for a batch. */
  readonly events: readonly E[];
}

/**
 * Hooks around each commit of {@link memoryProjection}, for tests that inject faults (the
 * conformance kit does) or count commits.
 *
 * - `beforeCommit` runs after the user's handler, just before the state and the version change.
 *   If it throws, nothing is committed and the call rejects: a failure before the commit.
 * - `afterCommit` runs just after the state and the version changed. If it throws, the commit
 *   stays and the call rejects: the caller cannot tell it committed (a lost response).
 *
 * @example
 * ```ts
 * let loseNext = true;
 * const projection = memoryProjection(handler, {
 *   hooks: {
 *     afterCommit: () => {
 *       if (loseNext) {
 *         loseNext = false;
 *         throw new Error("the response was lost");
 *       }
 *     },
 *   },
 * });
 * ```
 */
export interface MemoryProjectionHooks<E extends ProjectionEvent = ProjectionEvent> {
  readonly beforeCommit?: ((context: CommitContext<E>) => void | Promise<void>) | undefined;
  readonly afterCommit?: ((context: CommitContext<E>) => void | Promise<void>) | undefined;
}

const HOOK_NAMES = ["beforeCommit", "afterCommit"] as const;

/**
 * Checks the hooks option.
 *
 * @param hooks - the option as given.
 * @returns the hooks, or none.
 * @throws `InvalidArgumentError` naming the hook that is not a function, or an unknown key (E2).
 *
 * @example
 * ```ts
 * const hooks = requireCommitHooks(options.hooks);
 * ```
 */
export function requireCommitHooks<E extends ProjectionEvent>(hooks: MemoryProjectionHooks<E> | undefined): MemoryProjectionHooks<E> {
  if (hooks === undefined) {
    return {};
  }
  if (typeof hooks !== "object" || hooks === null) {
    throw new InvalidArgumentError("options.hooks", "expected an object");
  }
  requireKnownKeys(hooks, "options.hooks", HOOK_NAMES);
  for (const name of HOOK_NAMES) {
    if (hooks[name] !== undefined && typeof hooks[name] !== "function") {
      throw new InvalidArgumentError(`options.hooks.${name}`, "expected a function");
    }
  }
  return hooks;
}
