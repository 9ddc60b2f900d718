import { codedError, type ProjectionKitErrorOptions } from "@projectionkit/core";

// A backend adds its own stable codes to the map of core's errors, so that `isProjectionKitError`
// narrows to its classes (the pattern of `@projectionkit/dynamodb`'s `ERR_THROTTLED`).
declare module "@projectionkit/core" {
  interface ProjectionKitErrorCodes {
    ERR_SQLITE_BUSY: SqliteBusyError;
    ERR_SQLITE_STATEMENT_FAILED: SqliteStatementError;
  }
}

/**
 * SQLite refused the write because the database is locked by another connection (`SQLITE_BUSY`,
 * `SQLITE_LOCKED`), or the connection is inside a transaction that someone else opened and has not
 * finished. SQLite's form of throttling. Nothing was written. Retryable, with backoff; a larger
 * `timeout` on the `DatabaseSync` makes SQLite itself wait longer before giving up.
 *
 * Code: `ERR_SQLITE_BUSY`.
 *
 * @example
 * ```ts
 * import { isRetryableError } from "@projectionkit/core";
 *
 * try {
 *   await projection.handleEvent(resource, current, next, scope, event);
 * } catch (error) {
 *   if (isProjectionKitError(error, "ERR_SQLITE_BUSY")) await sleep(backoff);
 *   isRetryableError(error); // true for a SqliteBusyError
 * }
 * ```
 */
export class SqliteBusyError extends codedError("ERR_SQLITE_BUSY", "SqliteBusyError") {
  /**
   * @param message - what happened.
   * @param options - SQLite's error as `cause`.
   */
  constructor(message: string, options: Omit<ProjectionKitErrorOptions, "retryable"> = {}) {
    super(message, { ...options, retryable: true });
  }
}

/**
 * An SQL statement failed for a reason other than a busy database: a violated constraint (`NOT
 * NULL`, `CHECK`, `UNIQUE` …), a syntax error, a missing table. When it happens during a commit,
 * the whole transaction is rolled back: nothing was written, not even the version. Not retryable:
 * the same statement fails the same way.
 *
 * Code: `ERR_SQLITE_STATEMENT_FAILED`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_SQLITE_STATEMENT_FAILED")) {
 *   console.error(`${error.sql} failed: ${error.message}`);
 * }
 * ```
 */
export class SqliteStatementError extends codedError("ERR_SQLITE_STATEMENT_FAILED", "SqliteStatementError") {
  /** The SQL text of the statement that failed. */
  readonly sql: string;

  /**
   * @param sql - the SQL text of the failed statement.
   * @param message - what happened.
   * @param options - SQLite's error as `cause`.
   */
  constructor(sql: string, message: string, options: Omit<ProjectionKitErrorOptions, "retryable"> = {}) {
    super(message, { ...options, retryable: false });
    this.sql = sql;
  }
}
