import { codedError } from "@projectionkit/core";

declare module "@projectionkit/core" {
  interface ProjectionKitErrorCodes {
    ERR_TABLE_SCHEMA_MISMATCH: TableSchemaMismatchError;
    ERR_TABLE_NOT_READY: TableNotReadyError;
  }
}

/**
 * `createTable` found a table of that name whose key schema is not the version table's: the HASH
 * key must be the key attribute (default `HandlerAndResource`) of type B, with no RANGE key (D2).
 * The Go library silently accepted such a table (pitfall GP7); every later write to it would
 * fail. Nothing was changed. Not retryable.
 *
 * Code: `ERR_TABLE_SCHEMA_MISMATCH`.
 *
 * @example
 * ```ts
 * try {
 *   await createTable(client, "ProjectionVersions");
 * } catch (error) {
 *   if (isProjectionKitError(error, "ERR_TABLE_SCHEMA_MISMATCH")) {
 *     console.error(`${error.table}: expected ${error.expected}, found ${error.actual}`);
 *     // e.g. "expected HASH HandlerAndResource (B), found HASH pk (S), RANGE sk (S)"
 *   }
 * }
 * ```
 */
export class TableSchemaMismatchError extends codedError("ERR_TABLE_SCHEMA_MISMATCH", "TableSchemaMismatchError") {
  /** The table's name. */
  readonly table: string;
  /** The key schema the version table needs, e.g. `"HASH HandlerAndResource (B)"`. */
  readonly expected: string;
  /** The existing table's key schema in the same form, e.g. `"HASH pk (S), RANGE sk (S)"`. */
  readonly actual: string;

  /**
   * @param table - the table's name.
   * @param expected - the key schema the version table needs, as text.
   * @param actual - the existing table's key schema, as text.
   */
  constructor(table: string, expected: string, actual: string) {
    super(`table ${table} exists with key schema ${actual}; the version table needs ${expected}`);
    this.table = table;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * `createTable` or `deleteTable` waited for the table to become ACTIVE (or to be gone) for the
 * whole of `options.waitTimeoutMs` and it did not. The request itself was accepted; the table may
 * still get there. Retryable: calling again (both functions are idempotent) waits again.
 *
 * Code: `ERR_TABLE_NOT_READY`.
 *
 * @example
 * ```ts
 * try {
 *   await createTable(client, "ProjectionVersions", { waitTimeoutMs: 30_000 });
 * } catch (error) {
 *   if (isProjectionKitError(error, "ERR_TABLE_NOT_READY")) {
 *     console.warn(`${error.table} not ready after ${error.waitedMs} ms; retrying`);
 *   }
 * }
 * ```
 */
export class TableNotReadyError extends codedError("ERR_TABLE_NOT_READY", "TableNotReadyError") {
  /** The table's name. */
  readonly table: string;
  /** How long the call had been running when it gave up, in milliseconds. */
  readonly waitedMs: number;

  /**
   * @param table - the table's name.
   * @param waitedMs - how long the call waited, in milliseconds.
   * @param awaited - what it waited for: `"ACTIVE"`, or `"deleted"`.
   * @param cause - the waiter's own timeout error, if any.
   */
  constructor(table: string, waitedMs: number, awaited: "ACTIVE" | "deleted", cause?: unknown) {
    super(
      `table ${table} was not ${awaited} after ${waitedMs} ms (options.waitTimeoutMs)`,
      cause === undefined ? { retryable: true } : { cause, retryable: true },
    );
    this.table = table;
    this.waitedMs = waitedMs;
  }
}
