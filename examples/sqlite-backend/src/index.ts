/**
 * A custom projectionkit backend on SQLite through `node:sqlite`, and the pieces that run the
 * conformance kit against it.
 *
 * - {@link SqliteResourceRepository}: the version store (clauses R1–R7), on core's
 *   `ResourceRepositoryBase`.
 * - {@link sqliteProjection}: binds a {@link SqliteProjectionHandler} into a
 *   `ProjectionMessageHandler` (clauses H1–H7) with the batch capability (B1–B4: one transaction
 *   per run), on core's `ProjectionHandlerBase`.
 * - {@link SqliteBusyError} (retryable) and {@link SqliteStatementError}: its typed errors.
 * - {@link sqliteProbeProjection}, {@link readProbeList} and {@link SqliteFaultInjector}: the probe
 *   projection and fault injection the conformance kit needs.
 *
 * @example
 * ```ts
 * import { createEventScope, streamEventVersions } from "@projectionkit/core";
 * import { DatabaseSync } from "node:sqlite";
 * import { sqliteProjection } from "@projectionkit/example-sqlite-backend";
 *
 * const database = new DatabaseSync("read-model.db");
 * database.exec("CREATE TABLE IF NOT EXISTS deposits (account TEXT PRIMARY KEY, total INTEGER NOT NULL)");
 * const projection = sqliteProjection<{ type: "Deposited"; account: string; amount: number }>(database, {
 *   configure(c) {
 *     c.identity("deposits", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
 *     c.handlesEvents("Deposited");
 *   },
 *   handleEvent(db, _scope, event) {
 *     db.run(
 *       "INSERT INTO deposits VALUES (?, ?) ON CONFLICT (account) DO UPDATE SET total = total + excluded.total",
 *       event.account,
 *       event.amount,
 *     );
 *   },
 * });
 * const { resource, current, next } = streamEventVersions("acc-1", 0);
 * await projection.handleEvent(resource, current, next, createEventScope(), { type: "Deposited", account: "acc-1", amount: 5 });
 * ```
 *
 * @packageDocumentation
 */

export { SqliteBusyError, SqliteStatementError } from "./errors.js";
export { InjectedFaultError, SqliteFaultInjector } from "./fault-injector.js";
export { createProbeListTable, PROBE_LIST_TABLE, readProbeList, sqliteProbeHandler, sqliteProbeProjection } from "./probe.js";
export { DEFAULT_VERSION_TABLE } from "./sqlite-arguments.js";
export type { SqliteProjectionDatabase, SqliteProjectionHandler } from "./sqlite-projection-handler.js";
export {
  sqliteProjection,
  type SqliteCommitContext,
  type SqliteCommitHooks,
  type SqliteProjection,
  type SqliteProjectionOptions,
} from "./sqlite-projection.js";
export { SqliteResourceRepository, type SqliteResourceRepositoryOptions } from "./sqlite-resource-repository.js";
