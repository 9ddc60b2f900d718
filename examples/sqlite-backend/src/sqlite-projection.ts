import {
  describeValue,
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
import type { DatabaseSync } from "node:sqlite";
import { runInImmediateTransaction } from "./immediate-transaction.js";
import { QueuedWrites } from "./queued-writes.js";
import { requireDatabase, requireOptionsObject, requireTableName } from "./sqlite-arguments.js";
import type { SqliteProjectionHandler } from "./sqlite-projection-handler.js";
import { VersionTable, type CompareAndSetOutcome } from "./version-table.js";

/**
 * Functions that run around the commit of each `handleEvent` call, whether it applies the event or
 * finds a conflict (compactions do not run them). They exist so that tests can break commits on
 * purpose: the `SqliteFaultInjector` is made of them.
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
   * Runs inside the event's transaction, after its statements and its version were written, just
   * before `COMMIT`. Throwing rolls all of it back, and the call rejects with what was thrown.
   */
  readonly beforeCommit?: (() => void) | undefined;
  /**
   * Runs just after `COMMIT` succeeded. Throwing makes the call reject although its changes are
   * committed: the caller cannot tell, as when a response is lost.
   */
  readonly afterCommit?: (() => void) | undefined;
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
  /** Functions around each event's commit, for fault injection in tests. */
  readonly hooks?: SqliteCommitHooks | undefined;
}

/**
 * A projection on SQLite: a {@link ProjectionMessageHandler} for engines, plus the identity its
 * handler declared (its `key` is the projection's `handlerKey` in the version table).
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
}

/**
 * Binds a {@link SqliteProjectionHandler} into a {@link ProjectionMessageHandler} that keeps the
 * projection's data and one version per resource in one SQLite database (clauses H1–H7).
 *
 * For each event: the arguments and the event type are checked (H3) before anything else; then the
 * user's `handleEvent` runs, may `await`, and only queues its statements; then one synchronous
 * `BEGIN IMMEDIATE` transaction checks the stored version, and if it is `current` runs the queued
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

class BoundSqliteProjection<E extends ProjectionEvent> implements SqliteProjection<E> {
  readonly #database: DatabaseSync;
  readonly #handler: SqliteProjectionHandler<E>;
  readonly #configuration: ProjectionConfiguration<E>;
  readonly #versions: VersionTable;
  readonly #hooks: SqliteCommitHooks;

  constructor(database: DatabaseSync, handler: SqliteProjectionHandler<E>, options: SqliteProjectionOptions | undefined) {
    this.#database = requireDatabase(database);
    this.#configuration = readProjectionConfiguration(handler);
    requireMethod(handler, "handleEvent", true);
    requireMethod(handler, "timeoutHint", false);
    requireMethod(handler, "compact", false);
    const { versionTable, hooks } = requireOptionsObject(options, "options");
    this.#hooks = requireHooks(hooks);
    this.#handler = handler;
    this.#versions = new VersionTable(this.#database, requireTableName(versionTable, "options.versionTable"), this.identity.key);
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

    const writes = new QueuedWrites(this.#database);
    await this.#handler.handleEvent(writes, scope, event, { signal });
    signal?.throwIfAborted();

    const outcome = this.#commitEvent(resource, expected, replacement, writes);
    if (!outcome.applied) {
      onConflict?.({ resource, expectedVersion: expected, storedVersion: outcome.storedVersion });
    }
    return outcome.applied;
  }

  async resourceVersion(resource: Resource, options?: OperationOptions): Promise<Version> {
    requireResource(resource);
    requireOperationOptions(options);
    return this.#versions.read(resource);
  }

  async closeResource(resource: Resource, options?: OperationOptions): Promise<void> {
    requireResource(resource);
    requireOperationOptions(options);
    this.#versions.write(resource, new Uint8Array(0));
  }

  timeoutHint(event: E): number {
    return this.#handler.timeoutHint?.(event) ?? 0;
  }

  async compact(scope: ProjectionCompactScope, options?: OperationOptions): Promise<void> {
    const { signal } = requireOperationOptions(options);
    if (this.#handler.compact === undefined) {
      return;
    }
    const writes = new QueuedWrites(this.#database);
    await this.#handler.compact(writes, scope, { signal });
    signal?.throwIfAborted();
    runInImmediateTransaction(this.#database, () => writes.apply());
  }

  /** The commit of one event: synchronous from `BEGIN IMMEDIATE` to `COMMIT`, hooks included. */
  #commitEvent(resource: Resource, expected: Version, replacement: Version, writes: QueuedWrites): CompareAndSetOutcome {
    this.#versions.ensureCreated();
    const outcome = runInImmediateTransaction(this.#database, () => {
      const versionCheck = this.#versions.compareAndSet(resource, expected, replacement);
      if (versionCheck.applied) {
        writes.apply();
      }
      this.#hooks.beforeCommit?.();
      return versionCheck;
    });
    this.#hooks.afterCommit?.();
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
  if (value === undefined) {
    return {};
  }
  if (typeof value !== "object" || value === null) {
    throw new InvalidArgumentError("options.hooks", `expected an object, got ${describeValue(value)}`);
  }
  for (const name of ["beforeCommit", "afterCommit"] as const) {
    const hook: unknown = (value as SqliteCommitHooks)[name];
    if (hook !== undefined && typeof hook !== "function") {
      throw new InvalidArgumentError(`options.hooks.${name}`, `expected a function, got ${describeValue(hook)}`);
    }
  }
  return value;
}
