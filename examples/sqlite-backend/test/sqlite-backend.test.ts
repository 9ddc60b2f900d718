import { createEventScope, encodeOffset, isProjectionKitError, isRetryableError } from "@projectionkit/core";
import { probeEvent, type ProbeEvent } from "@projectionkit/conformance";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import {
  readProbeList,
  sqliteProbeHandler,
  sqliteProbeProjection,
  sqliteProjection,
  SqliteResourceRepository,
  type SqliteProjectionHandler,
} from "../src/index.js";

// What the conformance kit does not check for this backend: its SQLite-specific behaviour.

const scope = createEventScope();
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const EMPTY = new Uint8Array(0);

/** A pause that holds each caller until the test releases it, in the order the test chooses. */
function gatedPause(): { pause: () => Promise<void>; waiting: () => number; release: (index: number) => void } {
  const gates: Array<() => void> = [];
  return {
    pause: () => new Promise<void>((resolve) => gates.push(resolve)),
    waiting: () => gates.length,
    release: (index) => gates[index]?.(),
  };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

const tableNames = (database: DatabaseSync): string[] =>
  database
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .all()
    .map((row) => String(row["name"]));

describe("atomicity under overlapping calls", () => {
  it("a failing user item whose call overlaps another call's writes nothing, and the other call commits", async () => {
    const database = new DatabaseSync(":memory:");
    const gate = gatedPause();
    const projection = sqliteProbeProjection(database, gate.pause);
    const applied = projection.handleEvent(utf8("a"), EMPTY, encodeOffset(0), scope, probeEvent("a", "a0"));
    const failing = projection.handleEvent(utf8("b"), EMPTY, encodeOffset(0), scope, probeEvent("b", "b0", true));
    await until(() => gate.waiting() === 2);
    gate.release(0);
    expect(await applied).toBe(true);
    gate.release(1);
    await expect(failing).rejects.toSatisfy((error) => isProjectionKitError(error, "ERR_SQLITE_STATEMENT_FAILED"));
    expect(readProbeList(database, "a")).toEqual(["a0"]);
    expect(readProbeList(database, "b")).toEqual([]);
    expect(await projection.resourceVersion(utf8("b"))).toEqual(EMPTY);
  });

  it("a handler that throws after another call committed leaves only the other call's changes", async () => {
    const database = new DatabaseSync(":memory:");
    const gate = gatedPause();
    const probe = sqliteProbeHandler(gate.pause);
    const throwing: SqliteProjectionHandler<ProbeEvent> = {
      configure: (configurer) => probe.configure(configurer),
      async handleEvent(db, eventScope, event, options) {
        await probe.handleEvent(db, eventScope, event, options);
        if (event.id === "boom") {
          throw new Error("the handler failed after queueing its statements");
        }
      },
    };
    database.exec("CREATE TABLE probe_list_entries (entry INTEGER PRIMARY KEY, list TEXT NOT NULL, id TEXT NOT NULL) STRICT");
    const projection = sqliteProjection(database, throwing);
    const failing = projection.handleEvent(utf8("a"), EMPTY, encodeOffset(0), scope, probeEvent("a", "boom"));
    const applied = projection.handleEvent(utf8("b"), EMPTY, encodeOffset(0), scope, probeEvent("b", "b0"));
    await until(() => gate.waiting() === 2);
    gate.release(1);
    expect(await applied).toBe(true);
    gate.release(0);
    await expect(failing).rejects.toThrow("the handler failed");
    expect(readProbeList(database, "a")).toEqual([]);
    expect(readProbeList(database, "b")).toEqual(["b0"]);
  });
});

describe("a database locked by another connection", () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory !== undefined) {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("rejects the commit with a retryable SqliteBusyError, writes nothing, and commits on a retry", async () => {
    directory = mkdtempSync(join(tmpdir(), "sqlite-backend-"));
    const file = join(directory, "projections.db");
    const database = new DatabaseSync(file); // busy timeout 0: fail at once instead of waiting
    const other = new DatabaseSync(file);
    try {
      const projection = sqliteProbeProjection(database, () => Promise.resolve());
      await projection.resourceVersion(utf8("a")); // creates the version table
      other.exec("BEGIN IMMEDIATE");
      const outcome = projection.handleEvent(utf8("a"), EMPTY, encodeOffset(0), scope, probeEvent("a", "a0"));
      await expect(outcome).rejects.toSatisfy((error) => isProjectionKitError(error, "ERR_SQLITE_BUSY") && isRetryableError(error));
      other.exec("ROLLBACK");
      expect(readProbeList(database, "a")).toEqual([]);
      expect(await projection.handleEvent(utf8("a"), EMPTY, encodeOffset(0), scope, probeEvent("a", "a0"))).toBe(true);
      expect(readProbeList(other, "a")).toEqual(["a0"]);
    } finally {
      other.close();
      database.close();
    }
  });
});

describe("schema and connection", () => {
  it("constructors do no I/O; the version table appears on first use", async () => {
    const database = new DatabaseSync(":memory:");
    const repository = new SqliteResourceRepository(database, { table: "stream_versions" });
    expect(tableNames(database)).toEqual([]);
    await repository.resourceVersion(utf8("r"));
    expect(tableNames(database)).toEqual(["stream_versions"]);
  });

  it("a projection's versions are its own, and a repository with its handler key sees them", async () => {
    const database = new DatabaseSync(":memory:");
    const projection = sqliteProbeProjection(database, () => Promise.resolve());
    expect(await projection.handleEvent(utf8("r"), EMPTY, encodeOffset(3), scope, probeEvent("r", "e"))).toBe(true);
    expect(await new SqliteResourceRepository(database).resourceVersion(utf8("r"))).toEqual(EMPTY);
    const versions = new SqliteResourceRepository(database, { handlerKey: projection.identity.key });
    expect(await versions.resourceVersion(utf8("r"))).toEqual(encodeOffset(3));
  });

  it("reads in a handler cannot write, and the connection is writable again afterwards", async () => {
    const database = new DatabaseSync(":memory:");
    database.exec("CREATE TABLE notes (text TEXT NOT NULL) STRICT");
    const projection = sqliteProjection<{ type: "Noted" }>(database, {
      configure(configurer) {
        configurer.identity("notes", "9a7c1e44-2f0b-4c1d-8e3a-5b6d7f801234");
        configurer.handlesEvents("Noted");
      },
      handleEvent(db) {
        db.get("DELETE FROM notes RETURNING text");
      },
    });
    database.exec("INSERT INTO notes VALUES ('kept')");
    await expect(projection.handleEvent(utf8("r"), EMPTY, encodeOffset(0), scope, { type: "Noted" })).rejects.toSatisfy((error) =>
      isProjectionKitError(error, "ERR_SQLITE_STATEMENT_FAILED"),
    );
    expect(database.prepare("SELECT text FROM notes").all().map((row) => row["text"])).toEqual(["kept"]);
    database.exec("INSERT INTO notes VALUES ('writable')");
  });

  it("bad options are typed errors, before any I/O", () => {
    const database = new DatabaseSync(":memory:");
    expect(() => new SqliteResourceRepository(database, { table: "bad name; DROP TABLE x" })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "options.table" }),
    );
    expect(() => new SqliteResourceRepository(database, { handlerKey: "not-a-uuid" })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "options.handlerKey" }),
    );
    expect(() => new SqliteResourceRepository({} as DatabaseSync)).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "database" }));
    expect(() => sqliteProbeProjection(database, () => Promise.resolve(), { hooks: { beforeCommit: 1 } as never })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "options.hooks.beforeCommit" }),
    );
    // E2: misspelt keys of this backend's own options are refused, naming the key.
    expect(() => new SqliteResourceRepository(database, { tabel: "x" } as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "options.tabel" }),
    );
    expect(() => sqliteProbeProjection(database, () => Promise.resolve(), { versionTabel: "x" } as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "options.versionTabel" }),
    );
    expect(() => sqliteProbeProjection(database, () => Promise.resolve(), { hooks: { afterComit: () => {} } as never })).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "options.hooks.afterComit" }),
    );
    expect(tableNames(database)).toEqual(["probe_list_entries"]); // the probe's own table, nothing else
  });
});

describe("compaction", () => {
  type Expiring = { type: "Seen"; at: number };
  const expiring = (database: DatabaseSync) =>
    sqliteProjection<Expiring>(database, {
      configure(configurer) {
        configurer.identity("last-seen", "6f2d9b10-3c4e-4a5f-9e8d-7c6b5a493821");
        configurer.handlesEvents("Seen");
      },
      handleEvent(db, _scope, event) {
        db.run("INSERT INTO seen (at) VALUES (?)", event.at);
      },
      compact(db, compactScope) {
        db.run("DELETE FROM seen WHERE at < ?", compactScope.now().getTime() - 1_000);
      },
    });

  it("commits the compaction's statements, and an aborted compaction commits nothing", async () => {
    const database = new DatabaseSync(":memory:");
    database.exec("CREATE TABLE seen (at INTEGER NOT NULL) STRICT");
    const projection = expiring(database);
    expect(projection.timeoutHint({ type: "Seen", at: 0 })).toBe(0);
    await projection.handleEvent(utf8("r"), EMPTY, encodeOffset(0), scope, { type: "Seen", at: 0 });
    await projection.handleEvent(utf8("r"), encodeOffset(0), encodeOffset(1), scope, { type: "Seen", at: 10_000 });
    const now = () => new Date(10_500);
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(projection.compact({ now, log: () => {} }, { signal: controller.signal })).rejects.toThrow("stop");
    expect(database.prepare("SELECT at FROM seen ORDER BY at").all().map((row) => row["at"])).toEqual([0, 10_000]);
    await projection.compact({ now, log: () => {} });
    expect(database.prepare("SELECT at FROM seen ORDER BY at").all().map((row) => row["at"])).toEqual([10_000]);
    expect(await projection.resourceVersion(utf8("r"))).toEqual(encodeOffset(1));
  });
});
