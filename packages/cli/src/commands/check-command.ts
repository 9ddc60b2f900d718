import { Option, type Command } from "commander";
import type { CliIo } from "../cli-io.js";
import type { Connection } from "../connect.js";
import { EXIT_CODES, type ExitCode } from "../exit-codes.js";
import { formatColumns } from "../text-columns.js";
import { describeVersionTable, type VersionTableDescription } from "../version-table.js";
import { addTableOptions, type TableFlags } from "./options.js";
import { tableCommand } from "./table-command.js";

interface CheckFlags extends TableFlags {
  readonly json?: boolean | undefined;
}

/**
 * The `check` command.
 *
 * @internal
 */
export function checkCommand(io: CliIo, exit: (code: ExitCode) => void): Command {
  return tableCommand(
    {
      name: "check",
      summary: "check that the version table exists with the right key schema; show its billing mode, items and size",
      description:
        "Describes the version table (DescribeTable) and checks its key schema: exactly the key attribute (default " +
        "HandlerAndResource) of type B as the HASH key, no RANGE key. Reports the status, billing mode, item count and size " +
        "(DynamoDB updates the last two about every six hours).\n\n" +
        "Exits with 3 when the table is missing, 4 when its key schema is wrong.",
      addOptions: (command) => addTableOptions(command).addOption(new Option("--json", "print one JSON object instead of text")),
      examples: ["projectionkit check --table ProjectionVersions", "projectionkit check --table ProjectionVersions --key-attribute pk --json"],
      run: check,
    },
    io,
    exit,
  );
}

async function check(connection: Connection, flags: CheckFlags, io: CliIo): Promise<ExitCode> {
  const table = await describeVersionTable(connection, flags.table, { keyAttribute: flags.keyAttribute, signal: io.signal });
  io.stdout.write(flags.json === true ? `${JSON.stringify(checkJson(table))}\n` : checkText(table));
  if (!table.keySchemaMatches) {
    io.stderr.write(`table ${table.table} has key schema ${table.keySchema}; the version table needs ${table.expectedKeySchema}\n`);
    return EXIT_CODES.schemaMismatch;
  }
  return EXIT_CODES.ok;
}

function checkText(table: VersionTableDescription): string {
  const billing = table.provisioned === undefined ? table.billingMode : `${table.billingMode} (${table.provisioned.readUnits} read units, ${table.provisioned.writeUnits} write units)`;
  return formatColumns([
    ["table", table.table],
    ["status", table.status],
    ["key schema", table.keySchemaMatches ? `${table.keySchema} (ok)` : `${table.keySchema} (WRONG: expected ${table.expectedKeySchema})`],
    ["billing mode", billing],
    ["items", `${table.itemCount} (DynamoDB updates the count about every six hours)`],
    ["size", `${formatBytes(table.sizeBytes)} (${table.sizeBytes} bytes)`],
  ]);
}

function checkJson(table: VersionTableDescription): Record<string, unknown> {
  return {
    table: table.table,
    status: table.status,
    keySchema: table.keySchema,
    expectedKeySchema: table.expectedKeySchema,
    keySchemaMatches: table.keySchemaMatches,
    billingMode: table.billingMode,
    provisioned: table.provisioned ?? null,
    itemCount: table.itemCount,
    sizeBytes: table.sizeBytes,
  };
}

function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
