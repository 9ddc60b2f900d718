import { describeValue, InvalidArgumentError } from "@projectionkit/core";
// Type-only: the kit is a test tool, and this module must load without it (and without vitest).
import type { FaultInjector, FaultKind } from "@projectionkit/conformance";
import { SqliteBusyError } from "./errors.js";
import type { SqliteCommitHooks } from "./sqlite-projection.js";

const INJECTABLE_FAULTS: readonly FaultKind[] = ["before-commit", "lost-response", "throttling"];

/**
 * The error an injected `"before-commit"` or `"lost-response"` fault throws. A plain `Error`, not a
 * projectionkit error: it stands for a crash or a broken connection, which a backend cannot type.
 *
 * @example
 * ```ts
 * if (error instanceof InjectedFaultError) console.log(error.kind); // "lost-response"
 * ```
 */
export class InjectedFaultError extends Error {
  override readonly name = "InjectedFaultError";
  /** The fault that was injected. */
  readonly kind: FaultKind;

  /**
   * @param kind - the fault that was injected.
   * @param message - what it simulates.
   */
  constructor(kind: FaultKind, message: string) {
    super(`injected fault (${kind}): ${message}`);
    this.kind = kind;
  }
}

/**
 * Breaks the next commits of one `sqliteProjection` on purpose, for the conformance kit (clause
 * K4). Pass its {@link SqliteFaultInjector.hooks} to `sqliteProjection` and hand the injector to the
 * kit as the backend's `faults`. Each commit attempt takes the next injected fault: one per
 * `handleEvent` call that reaches its transaction, and one per `handleEventBatch` call (its whole
 * run is one transaction):
 *
 * - `"before-commit"`: `beforeCommit` throws inside the transaction, after the statements and the
 *   version were written: everything is rolled back, as if the process crashed before `COMMIT`.
 *   `handleEvent` rejects; `handleEventBatch` reports an error at the first delivery, nothing
 *   applied.
 * - `"throttling"`: the same, with a retryable `SqliteBusyError`, as when SQLite reports
 *   `SQLITE_BUSY` at `COMMIT` because another connection holds a lock.
 * - `"lost-response"`: `afterCommit` throws after `COMMIT`: the changes stay, the caller sees an
 *   error (a batch: at the first delivery, as if nothing had applied) and retries, and the retry
 *   finds a conflict at the committed version.
 *
 * @example
 * ```ts
 * const faults = new SqliteFaultInjector();
 * const projection = sqliteProbeProjection(database, pause, { hooks: faults.hooks });
 * faults.inject("lost-response");
 * await projection.handleEvent(r, c, n, scope, event); // rejects, but the event is committed
 * await projection.handleEvent(r, c, n, scope, event); // false: already applied
 * ```
 */
export class SqliteFaultInjector implements FaultInjector {
  readonly #pending: FaultKind[] = [];

  /** The commit hooks that carry out the injected faults; pass them to `sqliteProjection`. */
  readonly hooks: SqliteCommitHooks = {
    beforeCommit: () => {
      const kind = this.#take(["before-commit", "throttling"]);
      if (kind === "throttling") {
        throw new SqliteBusyError("injected fault (throttling): the commit was refused as if the database were locked; nothing was written");
      }
      if (kind !== undefined) {
        throw new InjectedFaultError(kind, "the commit failed before it reached storage; nothing was written");
      }
    },
    afterCommit: () => {
      const kind = this.#take(["lost-response"]);
      if (kind !== undefined) {
        throw new InjectedFaultError(kind, "the commit was applied, then its response was lost");
      }
    },
  };

  /**
   * Breaks the next `times` commit attempts with `kind`.
   *
   * @param kind - the fault.
   * @param times - how many attempts to break. Default 1.
   * @throws `InvalidArgumentError` for an unknown fault or a count that is not a positive integer.
   *
   * @example
   * ```ts
   * faults.inject("throttling", 2); // the next two commits fail with SqliteBusyError
   * ```
   */
  inject(kind: FaultKind, times = 1): void {
    if (!INJECTABLE_FAULTS.includes(kind)) {
      throw new InvalidArgumentError("kind", `expected one of ${INJECTABLE_FAULTS.join(", ")}, got ${typeof kind === "string" ? JSON.stringify(kind) : describeValue(kind)}`);
    }
    if (!Number.isInteger(times) || times < 1) {
      throw new InvalidArgumentError("times", `expected a positive integer, got ${String(times)}`);
    }
    this.#pending.push(...Array.from({ length: times }, () => kind));
  }

  /**
   * Drops the faults not used yet (a call that never reached its commit, such as one whose
   * handler threw, leaves its fault pending).
   *
   * @example
   * ```ts
   * faults.reset();
   * ```
   */
  reset(): void {
    this.#pending.length = 0;
  }

  /** Takes the next pending fault if this hook is the one that carries it out. */
  #take(kinds: readonly FaultKind[]): FaultKind | undefined {
    const next = this.#pending[0];
    if (next === undefined || !kinds.includes(next)) {
      return undefined;
    }
    this.#pending.shift();
    return next;
  }
}
