import type { DatabaseSync } from "node:sqlite";
import { withSqliteErrors } from "./sqlite-failures.js";

const SAVEPOINT = "projectionkit_delivery";

/**
 * Runs `work` inside a `SAVEPOINT` of the open transaction: if it throws, its changes are rolled
 * back and the transaction goes on without them (one event of a batch). Synchronous, like the
 * transaction around it.
 *
 * Some SQLite errors (a full disk, an I/O error) roll back the whole transaction rather than the
 * statement; then there is nothing to go on with, and the error is thrown as such for the caller
 * to abandon the transaction.
 *
 * @param database - the connection, inside a transaction.
 * @param work - the synchronous work.
 * @returns what `work` returns.
 * @throws what `work` throws, after rolling back to the savepoint.
 *
 * @example
 * ```ts
 * runInImmediateTransaction(database, () => {
 *   for (const writes of queued) runInSavepoint(database, () => writes.apply());
 * });
 * ```
 */
export function runInSavepoint<T>(database: DatabaseSync, work: () => T): T {
  withSqliteErrors(`SAVEPOINT ${SAVEPOINT}`, () => database.exec(`SAVEPOINT ${SAVEPOINT}`));
  try {
    const result = work();
    withSqliteErrors(`RELEASE ${SAVEPOINT}`, () => database.exec(`RELEASE ${SAVEPOINT}`));
    return result;
  } catch (error) {
    if (database.isTransaction) {
      database.exec(`ROLLBACK TO ${SAVEPOINT}`);
      database.exec(`RELEASE ${SAVEPOINT}`);
    }
    throw error;
  }
}
