import { InvalidArgumentError, describeValue } from "@projectionkit/core";
import type { DatabaseSync, SQLInputValue, SQLOutputValue, StatementSync } from "node:sqlite";
import type { SqliteProjectionDatabase } from "./sqlite-projection-handler.js";
import { withSqliteErrors } from "./sqlite-failures.js";

interface QueuedStatement {
  readonly statement: StatementSync;
  readonly parameters: readonly SQLInputValue[];
}

/**
 * The {@link SqliteProjectionDatabase} of one handler call: reads go to the connection at once
 * (read-only), writes are prepared and queued until {@link QueuedWrites.apply} runs them inside
 * the commit's transaction. A new instance per call, so calls never see each other's queue.
 *
 * @internal
 */
export class QueuedWrites implements SqliteProjectionDatabase {
  readonly #database: DatabaseSync;
  readonly #queue: QueuedStatement[] = [];

  constructor(database: DatabaseSync) {
    this.#database = database;
  }

  run(sql: string, ...parameters: SQLInputValue[]): void {
    // Copy byte parameters, so that a caller changing its array later cannot change the commit.
    const copies = parameters.map((value) =>
      ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice() : value,
    );
    this.#queue.push({ statement: this.#prepare(sql), parameters: copies });
  }

  get(sql: string, ...parameters: SQLInputValue[]): Record<string, SQLOutputValue> | undefined {
    const statement = this.#prepare(sql);
    return this.#readOnly(sql, () => statement.get(...parameters));
  }

  all(sql: string, ...parameters: SQLInputValue[]): Array<Record<string, SQLOutputValue>> {
    const statement = this.#prepare(sql);
    return this.#readOnly(sql, () => statement.all(...parameters));
  }

  /** Runs the queued statements in order; call it inside the commit's transaction. */
  apply(): void {
    for (const { statement, parameters } of this.#queue) {
      withSqliteErrors(statement.sourceSQL, () => statement.run(...parameters));
    }
  }

  #prepare(sql: string): StatementSync {
    if (typeof sql !== "string") {
      throw new InvalidArgumentError("sql", `expected a string, got ${describeValue(sql)}`);
    }
    return withSqliteErrors(sql, () => this.#database.prepare(sql));
  }

  /** Runs a read with writes forbidden (all synchronous, so no other call can be affected). */
  #readOnly<T>(sql: string, read: () => T): T {
    const wasQueryOnly = this.#database.prepare("PRAGMA query_only").get()?.["query_only"] === 1;
    this.#database.exec("PRAGMA query_only = ON");
    try {
      return withSqliteErrors(sql, read);
    } finally {
      if (!wasQueryOnly) {
        this.#database.exec("PRAGMA query_only = OFF");
      }
    }
  }
}
