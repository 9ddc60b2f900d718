// Type-only: the kit is a test tool, and this module must load without it (and without vitest).
import type { ProbeEvent } from "@projectionkit/conformance";
import type { DatabaseSync } from "node:sqlite";
import { sqliteProjection, type SqliteProjection, type SqliteProjectionOptions } from "./sqlite-projection.js";
import type { SqliteProjectionHandler } from "./sqlite-projection-handler.js";

/** The probe's event type; typed by the kit's `ProbeEvent`, so a change there fails to compile. */
const PROBE_EVENT_TYPE: ProbeEvent["type"] = "ProbeRecorded";

/**
 * The probe's one table: list entries in the order they were committed.
 *
 * @example
 * ```ts
 * database.prepare(`SELECT count(*) AS entries FROM ${PROBE_LIST_TABLE}`).get();
 * ```
 */
export const PROBE_LIST_TABLE = "probe_list_entries";

/** The probe's identity: any valid one; the key namespaces its versions in the version table. */
const PROBE_IDENTITY = { name: "sqlite-conformance-probe", key: "3b0f8c52-1d7e-4a69-b0c4-7e5a2f91d3c8" } as const;

/**
 * Creates the probe's table if it does not exist: `(entry INTEGER PRIMARY KEY, list TEXT NOT NULL,
 * id TEXT NOT NULL)`. The `NOT NULL` on `id` is the constraint a failing user item violates.
 *
 * @param database - the connection.
 *
 * @example
 * ```ts
 * createProbeListTable(database);
 * ```
 */
export function createProbeListTable(database: DatabaseSync): void {
  database.exec(`CREATE TABLE IF NOT EXISTS ${PROBE_LIST_TABLE} (
  entry INTEGER PRIMARY KEY,
  list TEXT NOT NULL,
  id TEXT NOT NULL
) STRICT`);
}

/**
 * The probe projection's logic on SQLite, as the conformance kit specifies it (see the kit's
 * `ProbeEvent`): await `pause`, then queue an `INSERT` that appends the event's id to its list;
 * when the event asks for a failing user item, also queue an `INSERT` of a `NULL` id, which
 * violates `NOT NULL` at commit time, so the whole commit (the append and the version included)
 * is rolled back and the call rejects with a `SqliteStatementError`.
 *
 * @param pause - the kit's pause, awaited once per event before any statement is queued.
 * @returns the handler, to bind with `sqliteProjection`.
 *
 * @example
 * ```ts
 * const projection = sqliteProjection(database, sqliteProbeHandler(() => Promise.resolve()));
 * ```
 */
export function sqliteProbeHandler(pause: () => Promise<void>): SqliteProjectionHandler<ProbeEvent> {
  return {
    configure(configurer) {
      configurer.identity(PROBE_IDENTITY.name, PROBE_IDENTITY.key);
      configurer.handlesEvents(PROBE_EVENT_TYPE);
    },
    async handleEvent(db, _scope, event) {
      await pause();
      db.run(`INSERT INTO ${PROBE_LIST_TABLE} (list, id) VALUES (?, ?)`, event.list, event.id);
      if (event.failUserItem === true) {
        db.run(`INSERT INTO ${PROBE_LIST_TABLE} (list, id) VALUES (?, NULL)`, event.list);
      }
    },
  };
}

/**
 * Creates the probe's table and binds the probe handler on `database`: the projection the kit
 * drives in `describeProjectionConformance`.
 *
 * @param database - the connection; a fresh `:memory:` database per kit backend keeps them apart.
 * @param pause - the kit's pause.
 * @param options - passed to `sqliteProjection`, e.g. the fault injector's hooks.
 * @returns the probe projection.
 *
 * @example
 * ```ts
 * const faults = new SqliteFaultInjector();
 * const handler = sqliteProbeProjection(new DatabaseSync(":memory:"), pause, { hooks: faults.hooks });
 * ```
 */
export function sqliteProbeProjection(
  database: DatabaseSync,
  pause: () => Promise<void>,
  options?: SqliteProjectionOptions,
): SqliteProjection<ProbeEvent> {
  createProbeListTable(database);
  return sqliteProjection(database, sqliteProbeHandler(pause), options);
}

/**
 * Reads the ids recorded in `list`, in commit order, straight from the probe's table (not through
 * the projection under test). A list never written reads as empty.
 *
 * @param database - the connection.
 * @param list - the list's name.
 * @returns the ids.
 *
 * @example
 * ```ts
 * readProbeList(database, "account-1"); // ["e0", "e1"]
 * ```
 */
export function readProbeList(database: DatabaseSync, list: string): string[] {
  const rows = database.prepare(`SELECT id FROM ${PROBE_LIST_TABLE} WHERE list = ? ORDER BY entry`).all(list);
  return rows.map((row) => String(row["id"]));
}
