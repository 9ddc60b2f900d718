import { describeProjectionConformance, describeResourceRepositoryConformance, type BackendContext, type ProjectionBackend } from "@projectionkit/conformance";
import { isProjectionKitError } from "@projectionkit/core";
import { DatabaseSync } from "node:sqlite";
import { readProbeList, SqliteFaultInjector, sqliteProbeProjection, SqliteResourceRepository } from "../src/index.js";

// Every overlapping call is safe in one process: each commit is one synchronous transaction.
// Conflicts always report the stored version, batches are native (one transaction for a run), and
// the fault injector knows all three faults.
// BLOB resources and versions have no practical limit (SQLite's is a billion bytes), so no maximum
// is declared: the kit goes up to its own cap.
const capabilities = {
  concurrentCalls: true,
  reportsStoredVersion: true,
  batches: true,
  faults: ["before-commit", "lost-response", "throttling"],
} as const;

// Room for deep runs (CONFORMANCE_RUNS=1000) on a busy machine; the default runs take a second.
const timeout = 120_000;

describeResourceRepositoryConformance({
  name: "SQLite example backend",
  create: () => {
    const database = new DatabaseSync(":memory:");
    return { repository: new SqliteResourceRepository(database), teardown: () => database.close() };
  },
  capabilities,
  timeout,
});

/** One fresh kit backend: its own in-memory database, probe projection and fault injector. */
function sqliteProbeBackend({ pause }: BackendContext): ProjectionBackend {
  const database = new DatabaseSync(":memory:");
  const faults = new SqliteFaultInjector();
  return {
    handler: sqliteProbeProjection(database, pause, { hooks: faults.hooks }),
    readList: async (list) => readProbeList(database, list),
    // The probe's failing item breaks a NOT NULL constraint: the statement error, caused by it.
    isUserItemFailure: (error) =>
      isProjectionKitError(error, "ERR_SQLITE_STATEMENT_FAILED") && /constraint/i.test(String((error.cause as Error | undefined)?.message)),
    faults,
    teardown: () => database.close(),
  };
}

describeProjectionConformance({
  name: "SQLite example backend",
  create: sqliteProbeBackend,
  capabilities,
  timeout,
});
