import {
  describeValue,
  InvalidArgumentError,
  ProjectionHandlerBase,
  requireKnownKeys,
  versionsEqual,
  type BatchDelivery,
  type BatchOptions,
  type BatchResult,
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
import type { DatabaseSync } from "node:sqlite";
import { runInImmediateTransaction } from "./immediate-transaction.js";
import { QueuedWrites } from "./queued-writes.js";
import { runInSavepoint } from "./savepoint.js";
import { requireDatabase, requireTableName } from "./sqlite-arguments.js";
import type { SqliteProjectionHandler } from "./sqlite-projection-handler.js";
import { VersionTable } from "./version-table.js";

/**
 * What the commit hooks are told about the commit they surround.
 *
 * @example
 * ```ts
 * const hooks: SqliteCommitHooks = { afterCommit: ({ events }) => console.log(`${events.length} events committed`) };
 * ```
 */
export interface SqliteCommitContext {
  /** The resource whose version the commit checks and moves. */
  readonly resource: Resource;
  /**
   * The events whose changes the commit carries, in order: one for `handleEvent`, the applied
   * prefix for `handleEventBatch`, none when the version check found a conflict.
   */
  readonly events: readonly ProjectionEvent[];
}

/**
 * Functions that run around every commit of `handleEvent` and `handleEventBatch`, whether it applies
 * events or finds a conflict (compactions do not run them). They exist so that tests can break
 * commits on purpose: the `SqliteFaultInjector` is made of them.
 *
 * @example
 * ```ts
 * const hooks: SqliteCommitHooks = {
 *   beforeCommit: () => {
 *     throw new Error("simulated crash: nothing is written");
 *   },
 * };
 * ```
 */
export interface SqliteCommitHooks {
  /**
   * Runs inside the commit's transaction, after its statements and its version were written, just
   * before `COMMIT`. Throwing rolls all of it back, and the call fails with what was thrown.
   */
  readonly beforeCommit?: ((context: SqliteCommitContext) => void) | undefined;
  /**
   * Runs just after `COMMIT` succeeded. Throwing makes the call fail although its changes are
   * committed: the caller cannot tell, as when a response is lost.
   */
  readonly afterCommit?: ((context: SqliteCommitContext) => void) | undefined;
}

/**
 * Options of {@link sqliteProjection}.
 *
 * @example
 * ```ts
 * const projection = sqliteProjection(database, handler, { versionTable: "balances_versions" });
 * ```
 */
export interface SqliteProjectionOptions {
  /**
   * The table of versions, shared by projections (each under its identity key) and created on first
   * use. Default `"projectionkit_versions"`.
   */
  readonly versionTable?: string | undefined;
  /** Functions around each commit, for fault injection in tests. */
  readonly hooks?: SqliteCommitHooks | undefined;
}

/**
 * A projection on SQLite: a {@link ProjectionMessageHandler} for engines, with the batch capability,
 * plus the identity its handler declared (its `key` is the projection's `handlerKey` in the version
 * table).
 *
 * @typeParam E - the events it consumes.
 *
 * @example
 * ```ts
 * const projection: SqliteProjection<Deposited> = sqliteProjection(database, balances);
 * const versions = new SqliteResourceRepository(database, { handlerKey: projection.identity.key });
 * ```
 */
export interface SqliteProjection<E extends ProjectionEvent = ProjectionEvent> extends ProjectionMessageHandler<E> {
  /** The identity the handler declared. */
  readonly identity: Identity;
  /**
   * Applies consecutive events of one resource in one SQLite transaction (B1–B3). Every handler
   * runs first, in order, queueing its statements; then one `BEGIN IMMEDIATE` transaction checks
   * the first delivery's `current`, runs each delivery's statements, and writes the `next` of the
   * last one that applied. A handler that throws, or a statement that fails, stops the run there:
   * the deliveries before it are committed, it and the rest are not. An aborted signal commits
   * nothing.
   *
   * In a batch, a handler's `db.get` and `db.all` read what was committed before the batch, not the
   * writes of the batch's earlier events.
   *
   * @param resource - the resource of every delivery.
   * @param deliveries - the events in order; each `current` is the previous delivery's `next`.
   * @param options - an abort signal.
   * @returns how many were applied, in how many transactions (0 or 1), and where and why it stopped.
   */
  handleEventBatch(resource: Resource, deliveries: readonly BatchDelivery<E>[], options?: BatchOptions): Promise<BatchResult>;
}

/**
 * Binds a {@link SqliteProjectionHandler} into a {@link ProjectionMessageHandler} that keeps the
 * projection's data and one version per resource in one SQLite database (clauses H1–H7, B1–B4).
 *
 * It extends core's `ProjectionHandlerBase`, so it implements only the storage: the base checks
 * the arguments, options and event type (H3) before anything else, reads the handler's
 * configuration once (H1), and copies arrays in and out (R7). For each event, the user's
 * `handleEvent` runs, may `await`, and only queues its statements; then one synchronous `BEGIN
 * IMMEDIATE` transaction checks the stored version, and if it is `current` runs the queued
 * statements and writes `next`, then commits. Because that transaction never spans an `await`,
 * calls that overlap in one process cannot join each other's transactions, and of several with the
 * same resource and current version exactly one resolves `true` (H6). A throwing handler, an
 * aborted signal, or a statement that violates a constraint commits nothing. Conflicts report the
 * stored version through `onConflict` (H7). The constructor does no I/O; the version table is
 * created on first use.
 *
 * @param database - an open `DatabaseSync`; the caller owns it and closes it.
 * @param handler - the projection logic.
 * @param options - see {@link SqliteProjectionOptions}.
 * @returns the projection.
 * @throws `InvalidConfigurationError` if `configure` declares something unusable;
 *   `InvalidArgumentError` for a malformed database, handler or option.
 *
 * @example
 * ```ts
 * import { createEventScope, streamEventVersions } from "@projectionkit/core";
 * import { DatabaseSync } from "node:sqlite";
 *
 * const database = new DatabaseSync("read-model.db");
 * database.exec("CREATE TABLE IF NOT EXISTS balances (account TEXT PRIMARY KEY, amount INTEGER NOT NULL)");
 * const projection = sqliteProjection(database, balances);
 * const { resource, current, next } = streamEventVersions("acc-1", 0);
 * await projection.handleEvent(resource, current, next, createEventScope(), {
 *   type: "MoneyDeposited",
 *   account: "acc-1",
 *   amount: 10,
 * }); // true; a redelivery resolves false and changes nothing
 * ```
 */
export function sqliteProjection<E extends ProjectionEvent>(
  database: DatabaseSync,
  handler: SqliteProjectionHandler<E>,
  options?: SqliteProjectionOptions,
): SqliteProjection<E> {
  return new BoundSqliteProjection(database, handler, options);
}

/** The outcome of the transaction of a batch. */
type RunOutcome =
  | { readonly conflict: Version }
  | { readonly conflict?: undefined; readonly applied: number; readonly failure: { readonly index: number; readonly error: unknown } | undefined };

class BoundSqliteProjection<E extends ProjectionEvent> extends ProjectionHandlerBase<E> implements SqliteProjection<E> {
  readonly #database: DatabaseSync;
  readonly #handler: SqliteProjectionHandler<E>;
  readonly #versions: VersionTable;
  readonly #hooks: SqliteCommitHooks;

  constructor(database: DatabaseSync, handler: SqliteProjectionHandler<E>, options: SqliteProjectionOptions | undefined) {
    super(handler);
    this.#database = requireDatabase(database);
    requireMethod(handler, "handleEvent", true);
    requireMethod(handler, "compact", false);
    const { versionTable, hooks } = requireKnownKeys(options, "options", ["versionTable", "hooks"]);
    this.#hooks = requireHooks(hooks);
    this.#handler = handler;
    this.#versions = new VersionTable(this.#database, requireTableName(versionTable, "options.versionTable"), this.identity.key);
  }

  protected async _handleEvent({ resource, current, next, scope, event, signal, onConflict }: EventCall<E>): Promise<boolean> {
    const writes = new QueuedWrites(this.#database);
    await this.#handler.handleEvent(writes, scope, event, { signal });
    signal?.throwIfAborted();
    // One synchronous transaction, hooks included: nothing else can run between BEGIN and COMMIT.
    this.#versions.ensureCreated();
    const outcome = runInImmediateTransaction(this.#database, () => {
      const versionCheck = this.#versions.compareAndSet(resource, current, next);
      if (versionCheck.applied) {
        writes.apply();
      }
      this.#hooks.beforeCommit?.({ resource, events: versionCheck.applied ? [event] : [] });
      return versionCheck;
    });
    this.#hooks.afterCommit?.({ resource, events: outcome.applied ? [event] : [] });
    if (!outcome.applied) {
      onConflict?.({ resource, expectedVersion: current, storedVersion: outcome.storedVersion });
    }
    return outcome.applied;
  }

  /**
   * The batch capability: every handler first (they may await), then one transaction for the run,
   * each delivery's statements in a savepoint, so that the run commits the prefix before the first
   * failure (B1).
   */
  protected override async _handleEventBatch({ resource, deliveries, signal }: EventBatchCall<E>): Promise<BatchResult> {
    const queued: QueuedWrites[] = [];
    let handlerFailure: { index: number; error: unknown } | undefined;
    for (const [index, { scope, event }] of deliveries.entries()) {
      const writes = new QueuedWrites(this.#database);
      try {
        await this.#handler.handleEvent(writes, scope, event, { signal });
      } catch (error) {
        handlerFailure = { index, error };
        break;
      }
      queued.push(writes);
    }
    if (signal?.aborted === true) {
      return { applied: 0, requests: 0, stopped: { index: 0, reason: "error", error: signal.reason } };
    }
    if (queued.length === 0) {
      return { applied: 0, requests: 0, stopped: { index: 0, reason: "error", error: handlerFailure?.error } };
    }
    let outcome: RunOutcome;
    try {
      outcome = this.#commitRun(resource, deliveries, queued);
    } catch (error) {
      // The transaction failed as a whole (busy, an injected fault, a lost response): no prefix
      // is known to be committed, so the request that starts at the first delivery failed.
      return { applied: 0, requests: 1, stopped: { index: 0, reason: "error", error } };
    }
    if (outcome.conflict !== undefined) {
      return { applied: 0, requests: 1, stopped: { index: 0, reason: "conflict", storedVersion: outcome.conflict } };
    }
    const failure = outcome.failure ?? handlerFailure;
    return {
      applied: outcome.applied,
      requests: 1,
      stopped: failure === undefined ? undefined : { index: outcome.applied, reason: "error", error: failure.error },
    };
  }

  protected async _resourceVersion(resource: Resource): Promise<Version> {
    return this.#versions.read(resource);
  }

  protected async _closeResource(resource: Resource): Promise<void> {
    this.#versions.write(resource, new Uint8Array(0));
  }

  protected async _compact(scope: ProjectionCompactScope, { signal }: CheckedOptions): Promise<void> {
    if (this.#handler.compact === undefined) {
      return;
    }
    const writes = new QueuedWrites(this.#database);
    await this.#handler.compact(writes, scope, { signal });
    signal?.throwIfAborted();
    runInImmediateTransaction(this.#database, () => writes.apply());
  }

  /** The transaction of a batch: synchronous from `BEGIN IMMEDIATE` to `COMMIT`, hooks included. */
  #commitRun(resource: Resource, deliveries: EventBatchCall<E>["deliveries"], queued: readonly QueuedWrites[]): RunOutcome {
    const first = deliveries[0] as (typeof deliveries)[number];
    this.#versions.ensureCreated();
    let committed: readonly ProjectionEvent[] = [];
    const outcome = runInImmediateTransaction(this.#database, (): RunOutcome => {
      const storedVersion = this.#versions.read(resource);
      if (!versionsEqual(storedVersion, first.current)) {
        this.#hooks.beforeCommit?.({ resource, events: [] });
        return { conflict: storedVersion };
      }
      let applied = 0;
      let failure: { index: number; error: unknown } | undefined;
      for (const [index, writes] of queued.entries()) {
        try {
          runInSavepoint(this.#database, () => writes.apply());
        } catch (error) {
          if (!this.#database.isTransaction) {
            throw error; // SQLite rolled back the whole transaction: nothing of the run can commit
          }
          failure = { index, error };
          break;
        }
        applied++;
      }
      if (applied > 0) {
        const last = deliveries[applied - 1] as (typeof deliveries)[number];
        // Empty to empty on an absent resource writes nothing (R5).
        if (first.current.length > 0 || last.next.length > 0) {
          this.#versions.write(resource, last.next);
        }
      }
      committed = deliveries.slice(0, applied).map((delivery) => delivery.event);
      this.#hooks.beforeCommit?.({ resource, events: committed });
      return { applied, failure };
    });
    this.#hooks.afterCommit?.({ resource, events: committed });
    return outcome;
  }
}

function requireMethod(handler: object, name: string, required: boolean): void {
  const method: unknown = (handler as Record<string, unknown>)[name];
  if ((required || method !== undefined) && typeof method !== "function") {
    throw new InvalidArgumentError(`handler.${name}`, `expected a function, got ${describeValue(method)}`);
  }
}

function requireHooks(value: unknown): SqliteCommitHooks {
  const hooks = requireKnownKeys(value, "options.hooks", ["beforeCommit", "afterCommit"]);
  for (const name of ["beforeCommit", "afterCommit"] as const) {
    const hook: unknown = hooks[name];
    if (hook !== undefined && typeof hook !== "function") {
      throw new InvalidArgumentError(`options.hooks.${name}`, `expected a function, got ${describeValue(hook)}`);
    }
  }
  return hooks as SqliteCommitHooks;
}
