import { DeleteItemCommand, type AttributeValue, type DeleteItemCommandInput, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { requireOperationOptions } from "@projectionkit/core";
import { DEFAULT_ATTRIBUTE_NAMES } from "@projectionkit/dynamodb";
import pLimit from "p-limit";
import type { RequestTarget } from "./cli-errors.js";
import { scanVersions, requireInteger, type ScanProgress, type ScanVersionsOptions } from "./scan-versions.js";
import { request } from "./service-failures.js";
import { isMalformed, type VersionEntry } from "./version-entry.js";

/**
 * How far a {@link deleteVersions} call got: the scan's totals and what became of the items found.
 *
 * @example
 * ```ts
 * const progress: DeleteProgress = { scanned: 1200, found: 40, pages: 3, deleted: 38, alreadyGone: 1, kept: 1 };
 * ```
 */
export interface DeleteProgress extends ScanProgress {
  /** Items this call deleted. */
  readonly deleted: number;
  /** Items found by the scan that were gone when their delete arrived (someone else deleted them). */
  readonly alreadyGone: number;
  /** Items kept because their version changed between the scan and the delete. */
  readonly kept: number;
}

/**
 * An item that {@link deleteVersions} kept: its version changed after the scan read it, so a
 * writer (a projection that is still running) advanced it concurrently.
 *
 * @example
 * ```ts
 * const kept: KeptEntry = { entry, current: encodeOffset(42) };
 * ```
 */
export interface KeptEntry {
  /** The item as the scan found it. */
  readonly entry: VersionEntry;
  /** Its version when the delete was refused. */
  readonly current: Uint8Array;
}

/**
 * What a {@link deleteVersions} call did.
 *
 * @example
 * ```ts
 * if (!summary.complete || summary.kept.length > 0) console.error("run reset again");
 * ```
 */
export interface DeleteSummary extends Omit<DeleteProgress, "kept"> {
  /** The items kept because their version changed concurrently. */
  readonly kept: readonly KeptEntry[];
  /** The number of parallel scan segments. */
  readonly segments: number;
  /** Whether the whole table was scanned and every item found was dealt with. */
  readonly complete: boolean;
}

/**
 * Options of {@link deleteVersions}.
 *
 * @example
 * ```ts
 * const options: DeleteVersionsOptions = { concurrency: 8, onProgress: (p) => console.log(p.deleted) };
 * ```
 */
export interface DeleteVersionsOptions extends Omit<ScanVersionsOptions, "onEntries" | "onProgress" | "consistentRead"> {
  /** Deletes in flight at most, across all segments. Default 16. */
  readonly concurrency?: number | undefined;
  /** Called after each page and each delete, with the totals so far. */
  readonly onProgress?: ((progress: DeleteProgress) => void) | undefined;
}

/**
 * The default of `concurrency`: 16 deletes in flight.
 *
 * @example
 * ```ts
 * await deleteVersions(connection, table, handlerKey, { concurrency: DEFAULT_DELETE_CONCURRENCY * 2 });
 * ```
 */
export const DEFAULT_DELETE_CONCURRENCY = 16;

/**
 * Deletes every version item of one projection (handler key) from a shared version table, and
 * nothing else: the items {@link scanVersions} finds (with strongly consistent reads), each with a
 * conditional `DeleteItem` on the version the scan read.
 *
 * - **Concurrent writers.** An item whose version changed after the scan (the projection is still
 *   running) is not deleted but reported in `kept`, with its current version. Stop the projection
 *   and call again.
 * - **Idempotent and resumable.** An item already gone counts as `alreadyGone`; a later call
 *   scans again and finds only what is left, so an interrupted call is continued by calling again.
 * - **Interrupts.** When `signal` aborts, the scan stops (its page in flight is abandoned), deletes
 *   not yet sent are not sent, deletes in flight finish, and the call resolves with
 *   `complete: false` and exact counts.
 *
 * Each delete costs one write unit per KB of the item, as in `BatchWriteItem`, which cannot make a
 * delete conditional. Throttled requests are retried by the SDK.
 *
 * @param connection - the client and where it sends requests.
 * @param table - the version table's name (or ARN).
 * @param handlerKey - the projection's identity key (a UUID), verbatim.
 * @param options - attribute names, segments, page size, concurrency, progress, an abort signal.
 * @returns the summary.
 * @throws as {@link scanVersions}; the translated service errors of a delete.
 *
 * @example
 * ```ts
 * using connection = await connectDynamoDB({ region: "eu-west-1" });
 * const summary = await deleteVersions(connection, "ProjectionVersions", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
 * console.log(`deleted ${summary.deleted}, kept ${summary.kept.length}`);
 * ```
 */
export async function deleteVersions(
  connection: { readonly client: DynamoDBClient; readonly target: RequestTarget },
  table: string,
  handlerKey: string,
  options: DeleteVersionsOptions = {},
): Promise<DeleteSummary> {
  requireOperationOptions(options, "options", ["attributeNames", "segments", "pageSize", "concurrency", "onProgress"]);
  const concurrency = requireInteger(options.concurrency ?? DEFAULT_DELETE_CONCURRENCY, 1, 1000, "options.concurrency");
  const names = { key: options.attributeNames?.key ?? DEFAULT_ATTRIBUTE_NAMES.key, version: options.attributeNames?.version ?? DEFAULT_ATTRIBUTE_NAMES.version };
  const { signal } = options;
  const limit = pLimit(concurrency);
  const kept: KeptEntry[] = [];
  const counts = { deleted: 0, alreadyGone: 0 };
  let scan: ScanProgress = { scanned: 0, found: 0, pages: 0 };
  let skipped = 0;
  const report = (): void => options.onProgress?.({ ...scan, ...counts, kept: kept.length });

  const deleteEntry = async (entry: VersionEntry): Promise<void> => {
    if (signal?.aborted === true) {
      skipped += 1;
      return;
    }
    // Not aborted by `signal`: a delete in flight finishes, so the counts stay exact.
    try {
      const { Attributes } = await request(connection.target, "DeleteItem", () =>
        connection.client.send(new DeleteItemCommand(deleteInput(table, names, entry))),
      );
      if (Attributes === undefined) {
        counts.alreadyGone += 1;
      } else {
        counts.deleted += 1;
      }
    } catch (error) {
      if (!(error instanceof Error) || error.name !== "ConditionalCheckFailedException") {
        throw error;
      }
      const item = (error as { Item?: Record<string, AttributeValue> }).Item;
      if (item === undefined) {
        counts.alreadyGone += 1;
      } else {
        kept.push({ entry, current: item[names.version]?.B ?? new Uint8Array() });
      }
    }
    report();
  };

  const { concurrency: _, onProgress: __, ...scanOptions } = options;
  const summary = await scanVersions(connection, table, handlerKey, {
    ...scanOptions,
    consistentRead: true,
    onEntries: async (entries) => {
      await Promise.all(entries.map((entry) => limit(() => deleteEntry(entry))));
    },
    onProgress: (progress) => {
      scan = progress;
      report();
    },
  });
  return { ...summary, ...counts, kept, complete: summary.complete && skipped === 0 };
}

/** A delete of the item as the scan found it: conditioned on that version, returning the old item. */
function deleteInput(table: string, names: { key: string; version: string }, entry: VersionEntry): DeleteItemCommandInput {
  const base: DeleteItemCommandInput = {
    TableName: table,
    Key: { [names.key]: { B: entry.key } },
    ReturnValues: "ALL_OLD",
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  };
  if (isMalformed(entry)) {
    return base; // neither the adapter nor the Go library can have written it: no version to check
  }
  if (entry.version.length === 0) {
    return {
      ...base,
      ConditionExpression: "attribute_not_exists(#v) OR size(#v) = :zero",
      ExpressionAttributeNames: { "#v": names.version },
      ExpressionAttributeValues: { ":zero": { N: "0" } },
    };
  }
  return {
    ...base,
    ConditionExpression: "#v = :v",
    ExpressionAttributeNames: { "#v": names.version },
    ExpressionAttributeValues: { ":v": { B: entry.version } },
  };
}
