import { checkVersionTableKeySchema } from "@projectionkit/dynamodb";
import type { CliIo } from "../cli-io.js";
import type { Connection } from "../connect.js";
import { startProgress, type Progress } from "../progress.js";
import { scanVersions, type ScanSummary, type VersionAttributeNames } from "../scan-versions.js";
import type { VersionEntry } from "../version-entry.js";
import { defaultScanSegments, describeVersionTable, type VersionTableDescription } from "../version-table.js";
import type { ProjectionFlags } from "./options.js";

/**
 * Describes the version table and checks its key schema: the first step of `versions` and `reset`.
 *
 * @internal
 */
export async function checkedVersionTable(connection: Connection, flags: ProjectionFlags, io: CliIo): Promise<VersionTableDescription> {
  const table = await describeVersionTable(connection, flags.table, { keyAttribute: flags.keyAttribute, signal: io.signal });
  checkVersionTableKeySchema(flags.table, table.description, flags.keyAttribute);
  return table;
}

/**
 * The scan settings `versions` and `reset` take from their flags.
 *
 * @internal
 */
export function scanSettings(
  flags: ProjectionFlags,
  table: VersionTableDescription,
  io: CliIo,
): { attributeNames: VersionAttributeNames; segments: number; pageSize: number | undefined; signal: AbortSignal | undefined } {
  return {
    attributeNames: { key: flags.keyAttribute, version: flags.versionAttribute },
    segments: flags.segments ?? defaultScanSegments(table.sizeBytes),
    pageSize: flags.pageSize,
    signal: io.signal,
  };
}

/**
 * Scans the projection's version items with a progress bar, handing each page's entries to
 * `onEntries`: what `versions` lists and `reset` shows in a dry run.
 *
 * @internal
 */
export function scanProjection(
  connection: Connection,
  table: VersionTableDescription,
  flags: ProjectionFlags,
  io: CliIo,
  { consistentRead, onEntries }: { readonly consistentRead?: boolean | undefined; readonly onEntries: (entries: readonly VersionEntry[]) => void },
): Promise<ScanSummary> {
  return withProgress(io, "scanning", table, ["found"], (progress) =>
    scanVersions(connection, flags.table, flags.handlerKey, {
      ...scanSettings(flags, table, io),
      consistentRead,
      onEntries,
      onProgress: ({ scanned, found }) => progress.update(scanned, { found }),
    }),
  );
}

/**
 * Runs `work` with a progress bar on standard error (on a terminal), stopped however `work` ends.
 *
 * @internal
 */
export async function withProgress<T>(
  io: CliIo,
  label: string,
  table: VersionTableDescription,
  counters: readonly string[],
  work: (progress: Progress) => Promise<T>,
): Promise<T> {
  const progress = startProgress(io.stderr, label, table.itemCount, counters);
  try {
    return await work(progress);
  } finally {
    progress.stop();
  }
}
