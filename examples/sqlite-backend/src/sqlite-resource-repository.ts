import {
  requireConditionalWriteOptions,
  requireOperationOptions,
  requireResource,
  requireVersion,
  type ConditionalWriteOptions,
  type OperationOptions,
  type Resource,
  type ResourceRepository,
  type Version,
  type VersionInput,
} from "@projectionkit/core";
import type { DatabaseSync } from "node:sqlite";
import { runInImmediateTransaction } from "./immediate-transaction.js";
import { requireDatabase, requireHandlerKey, requireOptionsObject, requireTableName } from "./sqlite-arguments.js";
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
 * A {@link ResourceRepository} on SQLite through `node:sqlite` (clauses R1–R6): one BLOB version
 * per BLOB resource, in a table shared with `sqliteProjection`.
 *
 * The constructor does no I/O. The table is created on first use (`CREATE TABLE IF NOT EXISTS`),
 * so there is no migration step. Every operation is synchronous SQL wrapped in a promise: reads
 * and unconditional writes are one statement each, and `updateResourceVersion` reads, compares and
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
export class SqliteResourceRepository implements ResourceRepository {
  readonly #database: DatabaseSync;
  readonly #versions: VersionTable;

  /**
   * @param database - an open `DatabaseSync`; the caller owns it and closes it.
   * @param options - the table and the handler key; see {@link SqliteResourceRepositoryOptions}.
   * @throws `InvalidArgumentError` for a malformed database or option (no I/O happens).
   */
  constructor(database: DatabaseSync, options?: SqliteResourceRepositoryOptions) {
    this.#database = requireDatabase(database);
    const { table, handlerKey } = requireOptionsObject(options, "options");
    this.#versions = new VersionTable(
      this.#database,
      requireTableName(table, "options.table"),
      requireHandlerKey(handlerKey, "options.handlerKey"),
    );
  }

  /**
   * Reads the stored version of `resource` (R1).
   *
   * @param resource - a non-empty resource.
   * @param options - an abort signal.
   * @returns the stored version, or the empty version.
   *
   * @example
   * ```ts
   * (await repository.resourceVersion(r)).length; // 0 for a new resource
   * ```
   */
  async resourceVersion(resource: Resource, options?: OperationOptions): Promise<Version> {
    requireResource(resource);
    requireOperationOptions(options); // also throws the reason of an aborted signal
    return this.#versions.read(resource);
  }

  /**
   * Sets the version of `resource` unconditionally; the empty version deletes it (R2).
   *
   * @param resource - a non-empty resource.
   * @param version - the version; empty deletes.
   * @param options - an abort signal.
   *
   * @example
   * ```ts
   * await repository.storeResourceVersion(r, encodeOffset(9));
   * ```
   */
  async storeResourceVersion(resource: Resource, version: VersionInput, options?: OperationOptions): Promise<void> {
    requireResource(resource);
    const value = requireVersion(version);
    requireOperationOptions(options);
    this.#versions.write(resource, value);
  }

  /**
   * Sets the version of `resource` to `next` if it is `current` (R3, R5, R6), in one `BEGIN
   * IMMEDIATE` transaction.
   *
   * @param resource - a non-empty resource.
   * @param current - the expected version; empty means "absent".
   * @param next - the new version; empty deletes.
   * @param options - an abort signal, and `onConflict`, which always receives the stored version.
   * @returns whether the version was `current` and is now `next`.
   *
   * @example
   * ```ts
   * await repository.updateResourceVersion(r, encodeOffset(0), encodeOffset(1)); // true if at 0
   * ```
   */
  async updateResourceVersion(
    resource: Resource,
    current: VersionInput,
    next: VersionInput,
    options?: ConditionalWriteOptions,
  ): Promise<boolean> {
    requireResource(resource);
    const expected = requireVersion(current, "current");
    const replacement = requireVersion(next, "next");
    const { onConflict } = requireConditionalWriteOptions(options);
    this.#versions.ensureCreated();
    const outcome = runInImmediateTransaction(this.#database, () => this.#versions.compareAndSet(resource, expected, replacement));
    if (!outcome.applied) {
      onConflict?.({ resource, expectedVersion: expected, storedVersion: outcome.storedVersion });
    }
    return outcome.applied;
  }

  /**
   * Removes the version of `resource`; idempotent (R4).
   *
   * @param resource - a non-empty resource.
   * @param options - an abort signal.
   *
   * @example
   * ```ts
   * await repository.deleteResource(r);
   * ```
   */
  async deleteResource(resource: Resource, options?: OperationOptions): Promise<void> {
    requireResource(resource);
    requireOperationOptions(options);
    this.#versions.write(resource, new Uint8Array(0));
  }
}
