import {
  EMPTY_VERSION,
  requireKnownKeys,
  ResourceRepositoryBase,
  type CheckedConditionalOptions,
  type Resource,
  type Version,
} from "@projectionkit/core";
import type { DatabaseSync } from "node:sqlite";
import { runInImmediateTransaction } from "./immediate-transaction.js";
import { requireDatabase, requireHandlerKey, requireTableName } from "./sqlite-arguments.js";
import { VersionTable } from "./version-table.js";

/**
 * Options of {@link SqliteResourceRepository}.
 *
 * @example
 * ```ts
 * const options: SqliteResourceRepositoryOptions = { table: "stream_versions" };
 * ```
 */
export interface SqliteResourceRepositoryOptions {
  /** The version table. Default `"projectionkit_versions"`, the table `sqliteProjection` uses. */
  readonly table?: string | undefined;
  /**
   * Whose versions to see: a projection's identity key, to read or repair the versions that
   * projection keeps, or `""` (the default) for versions that belong to no projection.
   */
  readonly handlerKey?: string | undefined;
}

/**
 * A `ResourceRepository` on SQLite through `node:sqlite` (clauses R1–R7): one BLOB version per
 * BLOB resource, in a table shared with `sqliteProjection`.
 *
 * It extends core's `ResourceRepositoryBase`, so it implements only the storage: the base checks
 * every argument and option before calling a hook (a typed error, no I/O), gives the hooks copies
 * of the caller's arrays, and copies what they return (R7). The constructor does no I/O; the table
 * is created on first use (`CREATE TABLE IF NOT EXISTS`), so there is no migration step. Reads and
 * unconditional writes are one statement each, and `updateResourceVersion` reads, compares and
 * writes inside one `BEGIN IMMEDIATE` transaction that is finished before the method returns, so
 * concurrent calls are linearizable both within a process and across processes sharing a file. On
 * a conflict it always reports the stored version to `onConflict`. A database locked by another
 * connection fails with a retryable `SqliteBusyError`.
 *
 * @example
 * ```ts
 * import { encodeOffset } from "@projectionkit/core";
 * import { DatabaseSync } from "node:sqlite";
 *
 * const repository = new SqliteResourceRepository(new DatabaseSync("projections.db"));
 * const r = new TextEncoder().encode("stream-1");
 * await repository.updateResourceVersion(r, undefined, encodeOffset(0)); // true: created
 * await repository.updateResourceVersion(r, undefined, encodeOffset(0)); // false: not absent
 * await repository.resourceVersion(r); // encodeOffset(0)
 * ```
 */
export class SqliteResourceRepository extends ResourceRepositoryBase {
  readonly #database: DatabaseSync;
  readonly #versions: VersionTable;

  /**
   * @param database - an open `DatabaseSync`; the caller owns it and closes it.
   * @param options - the table and the handler key; see {@link SqliteResourceRepositoryOptions}.
   * @throws `InvalidArgumentError` for a malformed database or option, or an unknown option key
   *   (no I/O happens).
   */
  constructor(database: DatabaseSync, options?: SqliteResourceRepositoryOptions) {
    super();
    this.#database = requireDatabase(database);
    const { table, handlerKey } = requireKnownKeys(options, "options", ["table", "handlerKey"]);
    this.#versions = new VersionTable(this.#database, requireTableName(table, "options.table"), requireHandlerKey(handlerKey, "options.handlerKey"));
  }

  protected async _resourceVersion(resource: Resource): Promise<Version> {
    return this.#versions.read(resource);
  }

  protected async _storeResourceVersion(resource: Resource, version: Version): Promise<void> {
    this.#versions.write(resource, version);
  }

  protected async _updateResourceVersion(resource: Resource, current: Version, next: Version, { onConflict }: CheckedConditionalOptions): Promise<boolean> {
    this.#versions.ensureCreated();
    const outcome = runInImmediateTransaction(this.#database, () => this.#versions.compareAndSet(resource, current, next));
    if (!outcome.applied) {
      onConflict?.({ resource, expectedVersion: current, storedVersion: outcome.storedVersion });
    }
    return outcome.applied;
  }

  protected async _deleteResource(resource: Resource): Promise<void> {
    this.#versions.write(resource, EMPTY_VERSION);
  }
}
