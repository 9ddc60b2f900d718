import type {
  OperationOptions,
  ProjectionCompactScope,
  ProjectionConfigurer,
  ProjectionEvent,
  ProjectionEventScope,
} from "@projectionkit/core";
import type { SQLInputValue, SQLOutputValue } from "node:sqlite";

/**
 * The database as a {@link SqliteProjectionHandler} sees it while it handles one event (or one
 * compaction).
 *
 * - `run` does not write yet: it checks the statement (a syntax error or a missing table throws
 *   at once) and queues it. After the handler settles, the adapter runs the queued statements in
 *   order, in the same synchronous transaction as the version check and the new version. So the
 *   event's changes and its version commit together or not at all, and a handler that throws, or
 *   a statement that violates a constraint, leaves everything as it was.
 * - `get` and `all` read committed data now. They cannot write (the connection is switched to
 *   `PRAGMA query_only` around them) and they do not see the statements queued so far. Data may be
 *   committed by other calls between such a read and the commit, so prefer writes that are correct
 *   whatever happened in between (`SET balance = balance + ?`, `INSERT … ON CONFLICT`), or read only
 *   data that belongs to the event's own resource, which the version check protects.
 *
 * @example
 * ```ts
 * async handleEvent(db, _scope, event) {
 *   const row = db.get("SELECT name FROM accounts WHERE id = ?", event.account);
 *   db.run("UPDATE balances SET amount = amount + ? WHERE account = ?", event.amount, event.account);
 * }
 * ```
 */
export interface SqliteProjectionDatabase {
  /**
   * Queues a statement that changes the projection's data, to run in the commit.
   *
   * @param sql - one SQL statement; it must not begin or end transactions.
   * @param parameters - values for its `?` placeholders.
   */
  run(sql: string, ...parameters: SQLInputValue[]): void;

  /**
   * Reads the first row of a query over committed data.
   *
   * @param sql - one read-only SQL statement.
   * @param parameters - values for its `?` placeholders.
   * @returns the row, or `undefined` when there is none.
   */
  get(sql: string, ...parameters: SQLInputValue[]): Record<string, SQLOutputValue> | undefined;

  /**
   * Reads all rows of a query over committed data.
   *
   * @param sql - one read-only SQL statement.
   * @param parameters - values for its `?` placeholders.
   * @returns the rows.
   */
  all(sql: string, ...parameters: SQLInputValue[]): Array<Record<string, SQLOutputValue>>;
}

/**
 * The projection logic a user writes for this backend: which SQL statements each event queues.
 * {@link sqliteProjection} binds it and takes care of versions, atomicity and concurrency.
 *
 * @typeParam E - the events it consumes.
 *
 * @example
 * ```ts
 * type Deposited = { type: "MoneyDeposited"; account: string; amount: number };
 *
 * const balances: SqliteProjectionHandler<Deposited> = {
 *   configure(c) {
 *     c.identity("balances", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
 *     c.handlesEvents("MoneyDeposited");
 *   },
 *   handleEvent(db, _scope, event) {
 *     db.run(
 *       "INSERT INTO balances (account, amount) VALUES (?, ?) ON CONFLICT (account) DO UPDATE SET amount = amount + excluded.amount",
 *       event.account,
 *       event.amount,
 *     );
 *   },
 * };
 * ```
 */
export interface SqliteProjectionHandler<E extends ProjectionEvent = ProjectionEvent> {
  /**
   * Declares identity and event types; called when the handler is bound and must give the same
   * answer every time (H1).
   *
   * @param configurer - receives the declarations.
   */
  configure(configurer: ProjectionConfigurer<E>): void;

  /**
   * Queues the statements that apply one event. May be asynchronous; it is called for every
   * delivery, including one that turns out to be a duplicate at commit (its statements are then
   * dropped).
   *
   * @param db - queues writes and reads committed data; see {@link SqliteProjectionDatabase}.
   * @param scope - the event's context.
   * @param event - the event, of a declared type.
   * @param options - the caller's abort signal.
   */
  handleEvent(db: SqliteProjectionDatabase, scope: ProjectionEventScope, event: E, options: OperationOptions): void | Promise<void>;

  /**
   * Suggests a deadline for handling `event`, in milliseconds; `0` or absent for no hint.
   *
   * @param event - the event.
   * @returns milliseconds.
   */
  timeoutHint?(event: E): number;

  /**
   * Queues the statements of one small compaction step, e.g. deleting expired rows; they commit in
   * one transaction. Absent means there is nothing to compact.
   *
   * @param db - queues writes and reads committed data.
   * @param scope - the compaction's context.
   * @param options - the caller's abort signal.
   */
  compact?(db: SqliteProjectionDatabase, scope: ProjectionCompactScope, options: OperationOptions): void | Promise<void>;
}
