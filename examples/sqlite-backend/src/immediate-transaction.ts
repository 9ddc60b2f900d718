import type { DatabaseSync } from "node:sqlite";
import { SqliteBusyError } from "./errors.js";
import { withSqliteErrors } from "./sqlite-failures.js";

/**
 * Runs `work` in one `BEGIN IMMEDIATE … COMMIT` transaction, rolling back if it throws.
 *
 * `work` must be synchronous, and so is this function: the transaction is opened and finished in
 * one turn of the event loop. That is the whole concurrency story of this backend. `DatabaseSync`
 * has a single connection, and SQLite transactions belong to connections, not to callers: if a
 * transaction stayed open across an `await`, the statements of any other call that ran meanwhile
 * would silently join it (and be committed or rolled back with it). Here nothing else can run
 * between `BEGIN` and `COMMIT`, so every transaction is isolated from the other calls of this
 * process. Against other processes sharing a database file, `IMMEDIATE` takes the write lock up
 * front, so a read-compare-write inside `work` cannot be interleaved either.
 *
 * @param database - the connection.
 * @param work - the synchronous work; whatever it throws rolls the transaction back.
 * @returns what `work` returns, once committed.
 * @throws {@link SqliteBusyError} when the database is locked by another connection, or when this
 *   connection is already inside a transaction someone else opened (retryable);
 *   {@link SqliteStatementError} when SQLite fails otherwise; whatever `work` throws.
 *
 * @example
 * ```ts
 * const applied = runInImmediateTransaction(database, () => versions.compareAndSet(r, c, n).applied);
 * ```
 */
export function runInImmediateTransaction<T>(database: DatabaseSync, work: () => T): T {
  if (database.isTransaction) {
    throw new SqliteBusyError(
      "the connection is inside a transaction that was opened elsewhere and is still open (across an await?); this backend never joins it",
    );
  }
  withSqliteErrors("BEGIN IMMEDIATE", () => database.exec("BEGIN IMMEDIATE"));
  try {
    const result = work();
    withSqliteErrors("COMMIT", () => database.exec("COMMIT"));
    return result;
  } catch (error) {
    // SQLite may already have rolled back (some errors do that); a failed COMMIT leaves it open.
    if (database.isTransaction) {
      database.exec("ROLLBACK");
    }
    throw error;
  }
}
