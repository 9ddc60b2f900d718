import { Option, type Command } from "commander";
import { showResource, showVersion } from "../byte-forms.js";
import type { CliIo } from "../cli-io.js";
import type { Connection } from "../connect.js";
import { DEFAULT_DELETE_CONCURRENCY, deleteVersions } from "../delete-versions.js";
import { EXIT_CODES, type ExitCode } from "../exit-codes.js";
import type { VersionEntry } from "../version-entry.js";
import type { VersionTableDescription } from "../version-table.js";
import { addProjectionOptions, integer, type ProjectionFlags } from "./options.js";
import { checkedVersionTable, scanProjection, scanSettings, withProgress } from "./projection-scan.js";
import { tableCommand } from "./table-command.js";
import { count, formatEntries } from "./version-listing.js";

interface ResetFlags extends ProjectionFlags {
  readonly yes?: boolean | undefined;
  readonly concurrency: number;
}

/**
 * The `reset` command.
 *
 * @internal
 */
export function resetCommand(io: CliIo, exit: (code: ExitCode) => void): Command {
  return tableCommand(
    {
      name: "reset",
      summary: "delete a projection's versions, e.g. before rebuilding it (dry run without --yes)",
      description:
        "Deletes every version item of a projection (handler key) from the version table, and nothing of other projections. " +
        "Without --yes it is a dry run: it lists what it would delete and changes nothing.\n\n" +
        "Stop the projection first. Each item is deleted with a DeleteItem conditioned on the version the scan read: an item " +
        "whose version changed meanwhile (the projection is still running) is kept and reported, and the exit code is 7.\n\n" +
        "Safe to interrupt (Ctrl-C: deletes in flight finish, the rest is left) and to run again: a new run scans again and " +
        "deletes what is left; deleting an item that is already gone is not an error.",
      addOptions: (command) =>
        addProjectionOptions(command)
          .addOption(new Option("--yes", "delete; without it, only say what would be deleted"))
          .addOption(new Option("--concurrency <n>", "deletes in flight at most").default(DEFAULT_DELETE_CONCURRENCY).argParser(integer(1, 1000))),
      examples: [
        "projectionkit reset --table ProjectionVersions --handler-key 0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11        # dry run",
        "projectionkit reset --table ProjectionVersions --handler-key 0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11 --yes",
      ],
      run: reset,
    },
    io,
    exit,
  );
}

async function reset(connection: Connection, flags: ResetFlags, io: CliIo): Promise<ExitCode> {
  const table = await checkedVersionTable(connection, flags, io);
  return flags.yes === true ? deleteForReal(connection, table, flags, io) : dryRun(connection, table, flags, io);
}

async function dryRun(connection: Connection, table: VersionTableDescription, flags: ResetFlags, io: CliIo): Promise<ExitCode> {
  const entries: VersionEntry[] = [];
  const summary = await scanProjection(connection, table, flags, io, { consistentRead: true, onEntries: (found) => void entries.push(...found) });
  const whose = `of handler ${flags.handlerKey} in table ${flags.table}`;
  if (entries.length === 0) {
    io.stdout.write(`dry run: no version items ${whose} (${count(summary.scanned, "item")} read); nothing to delete\n`);
  } else {
    io.stdout.write(
      `${formatEntries(entries)}\ndry run: would delete these ${count(entries.length, "version item")} ${whose} (${count(summary.scanned, "item")} read).\n` +
        "Nothing was changed. Stop the projection, then run again with --yes to delete them.\n",
    );
  }
  if (!summary.complete) {
    io.stderr.write(`interrupted: the dry run's list is incomplete (${count(summary.scanned, "item")} read of ~${table.itemCount})\n`);
    return EXIT_CODES.interrupted;
  }
  return EXIT_CODES.ok;
}

async function deleteForReal(connection: Connection, table: VersionTableDescription, flags: ResetFlags, io: CliIo): Promise<ExitCode> {
  const summary = await withProgress(io, "resetting", table, ["found", "deleted"], (progress) =>
    deleteVersions(connection, flags.table, flags.handlerKey, {
      ...scanSettings(flags, table, io),
      concurrency: flags.concurrency,
      onProgress: ({ scanned, found, deleted }) => progress.update(scanned, { found, deleted }),
    }),
  );
  const gone = summary.alreadyGone === 0 ? "" : `; ${count(summary.alreadyGone, "item was", "items were")} already gone`;
  io.stdout.write(
    `deleted ${count(summary.deleted, "version item")} of handler ${flags.handlerKey} from table ${flags.table} (${count(summary.scanned, "item")} read${gone})\n`,
  );
  for (const { entry, current } of summary.kept) {
    const resource = showResource(entry.resource);
    const before = showVersion(entry.version);
    const now = showVersion(current);
    io.stdout.write(`kept ${resource.shown} (${resource.form}): its version changed from ${before.shown} (${before.form}) to ${now.shown} (${now.form}) during the reset\n`);
  }
  if (!summary.complete) {
    io.stderr.write(
      `interrupted: deleted ${summary.deleted} of the ${count(summary.found, "version item")} found so far (${count(summary.scanned, "item")} read of ~${table.itemCount}).\n` +
        "Run the same command again to continue: it scans again and deletes what is left.\n",
    );
    return EXIT_CODES.interrupted;
  }
  if (summary.kept.length > 0) {
    io.stderr.write(
      `${count(summary.kept.length, "item was", "items were")} written while the reset ran: is the projection still running? Stop it and run reset again.\n`,
    );
    return EXIT_CODES.keptChangedVersions;
  }
  return EXIT_CODES.ok;
}
