import { createEventScope, isProjectionKitError, isRetryableError, streamEventVersions, type BatchDelivery, type BatchResult } from "@projectionkit/core";
import fc from "fast-check";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { InjectedFaultError, SqliteFaultInjector, sqliteProjection, type SqliteCommitContext, type SqliteProjectionHandler } from "../src/index.js";

// The batch capability of the SQLite backend (B1–B4): one transaction per run, the prefix before
// the first failure committed, faults on batch commits.

/** What an event asks its handler to do, so that tests can put a failure anywhere in a run. */
type Noted = {
  type: "Noted";
  id: string;
  /** Throw in the handler, before queueing anything. */
  throws?: boolean;
  /** Queue a second statement that violates NOT NULL, after the good one. */
  failsStatement?: boolean;
  /** Queue a row too large for the database (see `fullDatabase`). */
  big?: boolean;
};

const scope = createEventScope();
const EMPTY = new Uint8Array(0);

function notesHandler(options: { pause?: () => Promise<void>; reads?: string[][] } = {}): SqliteProjectionHandler<Noted> {
  return {
    configure(c) {
      c.identity("notes", "2c7e5a19-8d34-4f6b-a1e0-93b8c4d5e6f7");
      c.handlesEvents("Noted");
    },
    async handleEvent(db, _scope, event) {
      await options.pause?.();
      if (event.throws === true) {
        throw new Error(`handler failed on ${event.id}`);
      }
      options.reads?.push(db.all("SELECT id FROM notes ORDER BY entry").map((row) => String(row["id"])));
      db.run("INSERT INTO notes (id, text) VALUES (?, ?)", event.id, event.big === true ? "x".repeat(200_000) : event.id);
      if (event.failsStatement === true) {
        db.run("INSERT INTO notes (id, text) VALUES (?, NULL)", event.id);
      }
    },
  };
}

function notesDatabase(): DatabaseSync {
  const database = new DatabaseSync(":memory:");
  database.exec("CREATE TABLE notes (entry INTEGER PRIMARY KEY, id TEXT NOT NULL, text TEXT NOT NULL) STRICT");
  return database;
}

function notes(database: DatabaseSync): string[] {
  return database
    .prepare("SELECT id FROM notes ORDER BY entry")
    .all()
    .map((row) => String(row["id"]));
}

/** Deliveries of stream "s" from `from`, one per event. */
function run(from: number, events: ReadonlyArray<Partial<Noted>>): BatchDelivery<Noted>[] {
  return events.map((event, i) => ({ ...streamEventVersions("s", from + i), scope, event: { type: "Noted", id: `e${from + i}`, ...event } }));
}

const { resource } = streamEventVersions("s", 0);

describe("SQLite batch capability", () => {
  it("B1: a run is applied in one transaction; the version moves to the last delivery's next", async () => {
    const database = notesDatabase();
    const commits: SqliteCommitContext[] = [];
    const projection = sqliteProjection(database, notesHandler(), { hooks: { afterCommit: (context) => void commits.push(context) } });
    const result = await projection.handleEventBatch(resource, run(0, [{}, {}, {}, {}]));
    expect(result).toEqual({ applied: 4, requests: 1, stopped: undefined });
    expect(notes(database)).toEqual(["e0", "e1", "e2", "e3"]);
    expect(await projection.resourceVersion(resource)).toEqual(streamEventVersions("s", 3).next);
    expect(commits.map((commit) => commit.events.map((event) => (event as Noted).id))).toEqual([["e0", "e1", "e2", "e3"]]);
  });

  it("B2: a stale first current is a conflict reporting the stored version; nothing is written", async () => {
    const database = notesDatabase();
    const projection = sqliteProjection(database, notesHandler());
    await projection.handleEventBatch(resource, run(0, [{}, {}]));
    const result = await projection.handleEventBatch(resource, run(1, [{}, {}]));
    expect(result).toEqual({ applied: 0, requests: 1, stopped: { index: 0, reason: "conflict", storedVersion: streamEventVersions("s", 1).next } });
    expect(notes(database)).toEqual(["e0", "e1"]);
  });

  it("B1: a handler that throws stops the run there: the deliveries before it commit, it and the rest do not", async () => {
    const database = notesDatabase();
    const projection = sqliteProjection(database, notesHandler());
    const result = await projection.handleEventBatch(resource, run(0, [{}, {}, { throws: true }, {}]));
    expect(result).toMatchObject({ applied: 2, requests: 1, stopped: { index: 2, reason: "error", error: new Error("handler failed on e2") } });
    expect(notes(database)).toEqual(["e0", "e1"]);
    expect(await projection.resourceVersion(resource)).toEqual(streamEventVersions("s", 1).next);
  });

  it("B1: a statement that fails stops the run at its delivery, whose other statements are rolled back too", async () => {
    const database = notesDatabase();
    const projection = sqliteProjection(database, notesHandler());
    const result = await projection.handleEventBatch(resource, run(0, [{}, { failsStatement: true }, {}]));
    expect(result).toMatchObject({ applied: 1, requests: 1, stopped: { index: 1, reason: "error" } });
    const error = (result.stopped as { error: unknown }).error;
    expect(isProjectionKitError(error, "ERR_SQLITE_STATEMENT_FAILED") && !isRetryableError(error)).toBe(true);
    expect(notes(database)).toEqual(["e0"]); // e1's good row went with its failing one
    expect(await projection.resourceVersion(resource)).toEqual(streamEventVersions("s", 0).next);
  });

  it("B1: a failure at the first delivery commits nothing, and says whether a transaction was attempted", async () => {
    const database = notesDatabase();
    const projection = sqliteProjection(database, notesHandler());
    expect(await projection.handleEventBatch(resource, run(0, [{ throws: true }, {}]))).toMatchObject({ applied: 0, requests: 0, stopped: { index: 0, reason: "error" } });
    expect(await projection.handleEventBatch(resource, run(0, [{ failsStatement: true }, {}]))).toMatchObject({ applied: 0, requests: 1, stopped: { index: 0, reason: "error" } });
    expect(notes(database)).toEqual([]);
    expect(await projection.resourceVersion(resource)).toEqual(EMPTY);
  });

  it("an error that rolls back SQLite's whole transaction (a full database) commits nothing of the run, not even the prefix's version", async () => {
    const database = notesDatabase();
    const projection = sqliteProjection(database, notesHandler());
    await projection.resourceVersion(resource); // creates the version table before the size limit
    const pages = Number(database.prepare("PRAGMA page_count").get()?.["page_count"]);
    database.exec(`PRAGMA max_page_count = ${pages + 3}`);
    const result = await projection.handleEventBatch(resource, run(0, [{}, { big: true }, {}]));
    expect(result).toMatchObject({ applied: 0, requests: 1, stopped: { index: 0, reason: "error" } });
    expect(notes(database)).toEqual([]);
    expect(await projection.resourceVersion(resource)).toEqual(EMPTY);
    expect(database.isTransaction).toBe(false);
  });

  it("an abort while the handlers run commits nothing", async () => {
    const database = notesDatabase();
    const controller = new AbortController();
    let calls = 0;
    const projection = sqliteProjection(
      database,
      notesHandler({
        pause: async () => {
          if (++calls === 2) controller.abort(new Error("stop"));
        },
      }),
    );
    const result = await projection.handleEventBatch(resource, run(0, [{}, {}, {}]), { signal: controller.signal });
    expect(result).toMatchObject({ applied: 0, requests: 0, stopped: { index: 0, reason: "error", error: new Error("stop") } });
    expect(notes(database)).toEqual([]);
    expect(await projection.resourceVersion(resource)).toEqual(EMPTY);
  });

  it("B3: of two runs racing from the same version on one resource, exactly one applies", async () => {
    const database = notesDatabase();
    const projection = sqliteProjection(database, notesHandler({ pause: () => new Promise((resolve) => setTimeout(resolve, 1)) }));
    const results = await Promise.all([projection.handleEventBatch(resource, run(0, [{}, {}, {}])), projection.handleEventBatch(resource, run(0, [{}, {}, {}]))]);
    expect(results.map((result) => result.applied).sort()).toEqual([0, 3]);
    expect(results.find((result) => result.applied === 0)?.stopped).toMatchObject({ reason: "conflict", storedVersion: streamEventVersions("s", 2).next });
    expect(notes(database)).toEqual(["e0", "e1", "e2"]);
  });

  it("in a batch, handlers read what was committed before the batch, not the batch's earlier events", async () => {
    const database = notesDatabase();
    const reads: string[][] = [];
    const projection = sqliteProjection(database, notesHandler({ reads }));
    await projection.handleEventBatch(resource, run(0, [{}]));
    await projection.handleEventBatch(resource, run(1, [{}, {}]));
    expect(reads).toEqual([[], ["e0"], ["e0"]]);
  });
});

describe("SQLite batch commits under injected faults (K4)", () => {
  it("before-commit: nothing is written and the first delivery reports the fault; the retry applies the whole run", async () => {
    const database = notesDatabase();
    const faults = new SqliteFaultInjector();
    const projection = sqliteProjection(database, notesHandler(), { hooks: faults.hooks });
    faults.inject("before-commit");
    const failed = await projection.handleEventBatch(resource, run(0, [{}, {}, {}]));
    expect(failed).toMatchObject({ applied: 0, requests: 1, stopped: { index: 0, reason: "error" } });
    expect((failed.stopped as { error: unknown }).error).toBeInstanceOf(InjectedFaultError);
    expect(notes(database)).toEqual([]);
    expect(await projection.resourceVersion(resource)).toEqual(EMPTY);
    expect(await projection.handleEventBatch(resource, run(0, [{}, {}, {}]))).toEqual({ applied: 3, requests: 1, stopped: undefined });
    expect(notes(database)).toEqual(["e0", "e1", "e2"]);
  });

  it("throttling: a retryable SqliteBusyError, nothing written", async () => {
    const database = notesDatabase();
    const faults = new SqliteFaultInjector();
    const projection = sqliteProjection(database, notesHandler(), { hooks: faults.hooks });
    faults.inject("throttling");
    const result = await projection.handleEventBatch(resource, run(0, [{}, {}]));
    const error = (result.stopped as { error: unknown } | undefined)?.error;
    expect(isProjectionKitError(error, "ERR_SQLITE_BUSY") && isRetryableError(error)).toBe(true);
    expect(notes(database)).toEqual([]);
  });

  it("lost-response: the run is committed but reported as failed at its first delivery; the redelivery is a conflict and doubles nothing", async () => {
    const database = notesDatabase();
    const faults = new SqliteFaultInjector();
    const projection = sqliteProjection(database, notesHandler(), { hooks: faults.hooks });
    faults.inject("lost-response");
    const lost = await projection.handleEventBatch(resource, run(0, [{}, {}, {}]));
    expect(lost).toMatchObject({ applied: 0, requests: 1, stopped: { index: 0, reason: "error" } });
    expect((lost.stopped as { error: unknown }).error).toBeInstanceOf(InjectedFaultError);
    expect(notes(database)).toEqual(["e0", "e1", "e2"]);
    const redelivered = await projection.handleEventBatch(resource, run(0, [{}, {}, {}]));
    expect(redelivered).toEqual({ applied: 0, requests: 1, stopped: { index: 0, reason: "conflict", storedVersion: streamEventVersions("s", 2).next } });
    expect(notes(database)).toEqual(["e0", "e1", "e2"]);
  });
});

describe("a batch against a database locked by another connection", () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory !== undefined) {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("fails at its first delivery with a retryable SqliteBusyError, writes nothing, and applies on a retry", async () => {
    directory = mkdtempSync(join(tmpdir(), "sqlite-batch-"));
    const file = join(directory, "projections.db");
    const database = new DatabaseSync(file);
    const other = new DatabaseSync(file);
    try {
      database.exec("CREATE TABLE notes (entry INTEGER PRIMARY KEY, id TEXT NOT NULL, text TEXT NOT NULL) STRICT");
      const projection = sqliteProjection(database, notesHandler());
      await projection.resourceVersion(resource);
      other.exec("BEGIN IMMEDIATE");
      const busy = await projection.handleEventBatch(resource, run(0, [{}, {}]));
      const error = (busy.stopped as { error: unknown } | undefined)?.error;
      expect(busy).toMatchObject({ applied: 0, stopped: { index: 0, reason: "error" } });
      expect(isProjectionKitError(error, "ERR_SQLITE_BUSY") && isRetryableError(error)).toBe(true);
      other.exec("ROLLBACK");
      expect(notes(database)).toEqual([]);
      expect((await projection.handleEventBatch(resource, run(0, [{}, {}]))).applied).toBe(2);
      expect(notes(other)).toEqual(["e0", "e1"]);
    } finally {
      other.close();
      database.close();
    }
  });
});

describe("the native batch against one event at a time (B4)", () => {
  it("commits the same rows and version as handleEvent per event, stopping where it fails", async () => {
    const failure = fc.constantFrom<Partial<Noted>>({}, {}, {}, { throws: true }, { failsStatement: true });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(failure, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }), async (runs) => {
        const batched = notesDatabase();
        const single = notesDatabase();
        const batchProjection = sqliteProjection(batched, notesHandler());
        const singleProjection = sqliteProjection(single, notesHandler());
        let from = 0;
        for (const events of runs) {
          const deliveries = run(from, events);
          const result: BatchResult = await batchProjection.handleEventBatch(resource, deliveries);
          let applied = 0;
          for (const { current, next, event } of deliveries) {
            const ok = await singleProjection.handleEvent(resource, current, next, scope, event).catch(() => false);
            if (!ok) break;
            applied++;
          }
          expect(result.applied).toBe(applied);
          expect(result.stopped === undefined).toBe(applied === deliveries.length);
          from += applied;
        }
        expect(notes(batched)).toEqual(notes(single));
        expect(await batchProjection.resourceVersion(resource)).toEqual(await singleProjection.resourceVersion(resource));
      }),
      { numRuns: 40 },
    );
  });
});
