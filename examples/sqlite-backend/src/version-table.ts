import { EMPTY_VERSION, versionsEqual, type Resource, type Version } from "@projectionkit/core";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { SqliteBusyError } from "./errors.js";
import { withSqliteErrors } from "./sqlite-failures.js";

/** The result of {@link VersionTable.compareAndSet}. */
export type CompareAndSetOutcome = { readonly applied: true } | { readonly applied: false; readonly storedVersion: Version };

interface VersionStatements {
  readonly select: StatementSync;
  readonly upsert: StatementSync;
  readonly delete: StatementSync;
}

/**
 * The table of versions, one row per (handler key, resource), with synchronous operations. It is
 * created on first use with `CREATE TABLE IF NOT EXISTS` (never in a constructor); the schema is
 * {@link versionTableSchema}.
 *
 * A row exists only for a non-empty version: storing the empty version deletes the row, so absent
 * and empty are the same thing, as the contract wants.
 *
 * @internal
 */
export class VersionTable {
  readonly #database: DatabaseSync;
  readonly #table: string;
  readonly #handlerKey: string;
  #statements: VersionStatements | undefined;

  /**
   * @param database - the connection.
   * @param quotedTable - the table's name, checked and quoted.
   * @param handlerKey - the handler whose versions these are; `""` for none.
   */
  constructor(database: DatabaseSync, quotedTable: string, handlerKey: string) {
    this.#database = database;
    this.#table = quotedTable;
    this.#handlerKey = handlerKey;
  }

  /**
   * Creates the table if this instance has not done so yet. Call it before opening a transaction:
   * DDL inside a transaction is rolled back with it, and the table would be gone again.
   */
  ensureCreated(): void {
    this.#prepared();
  }

  /** Reads the stored version of `resource`; the empty version when there is no row. */
  read(resource: Resource): Version {
    const { select } = this.#prepared();
    const row = withSqliteErrors(select.sourceSQL, () => select.get(this.#handlerKey, resource));
    const version = row?.["version"];
    return version instanceof Uint8Array ? version : EMPTY_VERSION;
  }

  /** Stores `version` for `resource`; the empty version deletes the row. */
  write(resource: Resource, version: Version): void {
    const statements = this.#prepared();
    if (version.length === 0) {
      withSqliteErrors(statements.delete.sourceSQL, () => statements.delete.run(this.#handlerKey, resource));
    } else {
      withSqliteErrors(statements.upsert.sourceSQL, () => statements.upsert.run(this.#handlerKey, resource, version));
    }
  }

  /**
   * Replaces the version of `resource` with `replacement` if it is `expected`. Not atomic by itself
   * against other connections: call {@link VersionTable.ensureCreated}, then call this inside
   * `runInImmediateTransaction`.
   *
   * @returns `{ applied: true }`, or the stored version that did not match.
   */
  compareAndSet(resource: Resource, expected: Version, replacement: Version): CompareAndSetOutcome {
    const storedVersion = this.read(resource);
    if (!versionsEqual(storedVersion, expected)) {
      return { applied: false, storedVersion };
    }
    // Empty to empty on an absent resource succeeds and writes nothing (R5).
    if (expected.length > 0 || replacement.length > 0) {
      this.write(resource, replacement);
    }
    return { applied: true };
  }

  #prepared(): VersionStatements {
    if (this.#statements === undefined) {
      if (this.#database.isTransaction) {
        // Never create the table inside a transaction that might roll back (see ensureCreated). This
        // backend's own transactions call ensureCreated first; someone else's may be open, though.
        throw new SqliteBusyError(
          "the version table does not exist yet, and the connection is inside a transaction opened elsewhere; it is only created outside transactions",
        );
      }
      const schema = versionTableSchema(this.#table);
      withSqliteErrors(schema, () => this.#database.exec(schema));
      const prepare = (sql: string): StatementSync => withSqliteErrors(sql, () => this.#database.prepare(sql));
      this.#statements = {
        select: prepare(`SELECT version FROM ${this.#table} WHERE handler_key = ? AND resource = ?`),
        upsert: prepare(
          `INSERT INTO ${this.#table} (handler_key, resource, version) VALUES (?, ?, ?) ON CONFLICT (handler_key, resource) DO UPDATE SET version = excluded.version`,
        ),
        delete: prepare(`DELETE FROM ${this.#table} WHERE handler_key = ? AND resource = ?`),
      };
    }
    return this.#statements;
  }
}

/**
 * The DDL of a version table: one row per (handler key, resource) with a non-empty BLOB version.
 * Several projections and repositories share one table, each under its own handler key (the layout
 * of the Go library's SQL drivers).
 *
 * @param quotedTable - the table's name, quoted.
 * @returns a `CREATE TABLE IF NOT EXISTS` statement.
 *
 * @internal
 */
export function versionTableSchema(quotedTable: string): string {
  return `CREATE TABLE IF NOT EXISTS ${quotedTable} (
  handler_key TEXT NOT NULL,
  resource BLOB NOT NULL CHECK (length(resource) > 0),
  version BLOB NOT NULL CHECK (length(version) > 0),
  PRIMARY KEY (handler_key, resource)
) WITHOUT ROWID, STRICT`;
}
