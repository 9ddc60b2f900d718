import { Option, type Command } from "commander";
import type { CliIo } from "../cli-io.js";
import type { Connection } from "../connect.js";
import { EXIT_CODES, type ExitCode } from "../exit-codes.js";
import { versionEntryJson, type VersionEntry } from "../version-entry.js";
import { addProjectionOptions, type ProjectionFlags } from "./options.js";
import { checkedVersionTable, scanProjection } from "./projection-scan.js";
import { tableCommand } from "./table-command.js";
import { count, formatEntries } from "./version-listing.js";

interface VersionsFlags extends ProjectionFlags {
  readonly json?: boolean | undefined;
}

/**
 * The `versions` command.
 *
 * @internal
 */
export function versionsCommand(io: CliIo, exit: (code: ExitCode) => void): Command {
  return tableCommand(
    {
      name: "versions",
      summary: "list every resource of a projection with its version",
      description:
        "Lists every resource that a projection (handler key) has a version for in the version table, with the version. " +
        "It scans the table (every projection's items are read, only this one's are kept), in parallel segments on large tables.\n\n" +
        "Resources show as UTF-8 text when printable (no white space), else as hex; versions as the offset they encode when " +
        "they are 8 bytes, else as hex. The FORM columns say which. Text output is sorted by resource bytes.\n\n" +
        "--json prints JSON lines instead: one object per resource, in the order the scan finds them, with raw and decoded forms.",
      addOptions: (command) =>
        addProjectionOptions(command).addOption(new Option("--json", "print JSON lines: {resource: {hex, base64, text}, version: {hex, base64, offset}}")),
      examples: [
        "projectionkit versions --table ProjectionVersions --handler-key 0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11",
        "projectionkit versions --table ProjectionVersions --handler-key 0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11 --json | jq -r .resource.text",
        "projectionkit versions --endpoint http://127.0.0.1:8000 --table ProjectionVersions --handler-key 0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11",
      ],
      run: listVersions,
    },
    io,
    exit,
  );
}

async function listVersions(connection: Connection, flags: VersionsFlags, io: CliIo): Promise<ExitCode> {
  const table = await checkedVersionTable(connection, flags, io);
  const entries: VersionEntry[] = [];
  const summary = await scanProjection(connection, table, flags, io, {
    onEntries: (found) => {
      if (flags.json === true) {
        io.stdout.write(found.map((entry) => `${JSON.stringify(versionEntryJson(entry))}\n`).join(""));
      } else {
        entries.push(...found);
      }
    },
  });
  const where = `of handler ${flags.handlerKey} in table ${flags.table} (${count(summary.scanned, "item")} read, ${count(summary.segments, "segment")})`;
  if (flags.json !== true) {
    io.stdout.write(entries.length === 0 ? `no resources ${where}\n` : `${formatEntries(entries)}\n${count(entries.length, "resource")} ${where}\n`);
  }
  if (!summary.complete) {
    io.stderr.write(`interrupted: the list is incomplete (${count(summary.found, "resource")} found, ${count(summary.scanned, "item")} read of ~${table.itemCount})\n`);
    return EXIT_CODES.interrupted;
  }
  return EXIT_CODES.ok;
}
