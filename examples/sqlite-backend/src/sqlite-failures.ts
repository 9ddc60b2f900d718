import { SqliteBusyError, SqliteStatementError } from "./errors.js";

/** SQLite's primary result codes that mean "another connection holds a lock". */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

/** The shape of the errors `node:sqlite` throws: `code` is always `"ERR_SQLITE_ERROR"`. */
interface NodeSqliteError extends Error {
  readonly code: "ERR_SQLITE_ERROR";
  /** SQLite's extended result code; its low byte is the primary code. */
  readonly errcode: number;
}

function isNodeSqliteError(error: unknown): error is NodeSqliteError {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === "ERR_SQLITE_ERROR" &&
    typeof (error as { errcode?: unknown }).errcode === "number"
  );
}

/**
 * Runs one synchronous piece of SQLite work and turns the errors `node:sqlite` throws into this
 * backend's typed errors: a busy or locked database into a retryable {@link SqliteBusyError},
 * anything else SQLite reports into a {@link SqliteStatementError} naming `sql`. Other errors pass
 * through unchanged.
 *
 * @param sql - the statement's SQL text, for the error.
 * @param work - the work, e.g. `() => statement.run(...parameters)`.
 * @returns what `work` returns.
 *
 * @example
 * ```ts
 * const row = withSqliteErrors(sql, () => statement.get(resource));
 * ```
 */
export function withSqliteErrors<T>(sql: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw translateSqliteError(error, sql);
  }
}

/** Turns one error from `node:sqlite` into this backend's typed error (see {@link withSqliteErrors}). */
function translateSqliteError(error: unknown, sql: string): unknown {
  if (!isNodeSqliteError(error)) {
    return error;
  }
  const primaryCode = error.errcode & 0xff;
  if (primaryCode === SQLITE_BUSY || primaryCode === SQLITE_LOCKED) {
    return new SqliteBusyError(`SQLite is busy (${error.message}) running: ${sql}`, { cause: error });
  }
  return new SqliteStatementError(sql, `SQLite failed (${error.message}) running: ${sql}`, { cause: error });
}
