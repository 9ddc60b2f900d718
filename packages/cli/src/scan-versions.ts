import { ScanCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { InvalidArgumentError, requireOperationOptions, validateIdentityKey, type OperationOptions } from "@projectionkit/core";
import { DEFAULT_ATTRIBUTE_NAMES, versionKeyPrefix, type AttributeNames } from "@projectionkit/dynamodb";
import type { RequestTarget } from "./cli-errors.js";
import { describeInput } from "./describe-input.js";
import { request } from "./service-failures.js";
import { readVersionEntry, type VersionEntry } from "./version-entry.js";
import { requireAttributeName, requireTable } from "./version-table.js";

/**
 * The key and version attribute names of the version table: the adapter's `AttributeNames.key` and
 * `AttributeNames.version`, each optional and defaulting to the adapter's (`HandlerAndResource`,
 * `Version`).
 *
 * @example
 * ```ts
 * const names: VersionAttributeNames = { key: "pk" };
 * ```
 */
export type VersionAttributeNames = { readonly [N in keyof Pick<AttributeNames, "key" | "version">]?: AttributeNames[N] | undefined };

/**
 * How far a scan got.
 *
 * @example
 * ```ts
 * const progress: ScanProgress = { scanned: 1200, found: 40, pages: 3 };
 * ```
 */
export interface ScanProgress {
  /** Items of the table read so far (of every projection). */
  readonly scanned: number;
  /** Version items of the projection found so far. */
  readonly found: number;
  /** Scan requests answered so far. */
  readonly pages: number;
}

/**
 * What a scan did: the final {@link ScanProgress}, the number of segments, and whether it read the
 * whole table (`false` when `signal` stopped it).
 *
 * @example
 * ```ts
 * const summary: ScanSummary = { scanned: 1200, found: 40, pages: 3, segments: 1, complete: true };
 * ```
 */
export interface ScanSummary extends ScanProgress {
  /** The number of parallel scan segments. */
  readonly segments: number;
  /** Whether every segment was read to its end. */
  readonly complete: boolean;
}

/**
 * Options of {@link scanVersions}.
 *
 * @example
 * ```ts
 * const options: ScanVersionsOptions = {
 *   segments: 4,
 *   onEntries: (entries) => entries.forEach((entry) => console.log(entry.resource)),
 *   signal: AbortSignal.timeout(60_000),
 * };
 * ```
 */
export interface ScanVersionsOptions extends OperationOptions {
  /** The attribute names; defaults are the adapter's. */
  readonly attributeNames?: VersionAttributeNames | undefined;
  /** Parallel scan segments (`TotalSegments`), 1 to 1 000 000. Default 1. */
  readonly segments?: number | undefined;
  /** Items read per request (`Limit`). Default: as many as fit in DynamoDB's 1 MB page. */
  readonly pageSize?: number | undefined;
  /** Strongly consistent reads (twice the read units). Default `false`. */
  readonly consistentRead?: boolean | undefined;
  /**
   * Called with the entries of each page, in the order pages arrive (segments interleave); the
   * next page of that segment is requested once it resolves. What it throws ends the scan.
   */
  readonly onEntries?: ((entries: readonly VersionEntry[]) => void | Promise<void>) | undefined;
  /** Called after each page, with the totals so far. */
  readonly onProgress?: ((progress: ScanProgress) => void) | undefined;
}

/** The keys of {@link ScanVersionsOptions} besides `signal` and `onRequest`. */
const SCAN_OPTION_KEYS = ["attributeNames", "segments", "pageSize", "consistentRead", "onEntries", "onProgress"];

/**
 * Finds every version item of one projection (handler key) in a shared version table: a `Scan`
 * with the filter `begins_with(key, UTF-8(handler key) + space)` on the binary key, page by page,
 * in `segments` parallel segments. The space ends the prefix, so items of another handler key that
 * merely starts with the same characters are never matched. A scan reads the whole table: every
 * projection's items count towards its read units, only the projection's come back.
 *
 * When `signal` aborts, the pages in flight are abandoned and the call resolves with
 * `complete: false` and the totals so far (it does not reject): what `onEntries` received is all
 * that was found.
 *
 * @param connection - the client and where it sends requests.
 * @param table - the version table's name (or ARN).
 * @param handlerKey - the projection's identity key (a UUID), verbatim.
 * @param options - attribute names, segments, page size, callbacks, an abort signal.
 * @returns the summary.
 * @throws `InvalidIdentityError` for a handler key that is not a UUID and `InvalidArgumentError`
 *   for another malformed argument, before any request; the translated service errors of a page
 *   (`AccessDeniedError`, `EndpointUnreachableError`, …); what `onEntries` throws.
 *
 * @example
 * ```ts
 * using connection = await connectDynamoDB({ endpoint: "http://127.0.0.1:8000" });
 * const found: VersionEntry[] = [];
 * const summary = await scanVersions(connection, "ProjectionVersions", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11", {
 *   onEntries: (entries) => void found.push(...entries),
 * });
 * console.log(`${summary.found} resources, ${summary.scanned} items read`);
 * ```
 */
export async function scanVersions(
  connection: { readonly client: DynamoDBClient; readonly target: RequestTarget },
  table: string,
  handlerKey: string,
  options: ScanVersionsOptions = {},
): Promise<ScanSummary> {
  requireTable(table);
  validateIdentityKey(handlerKey);
  const { signal } = requireOperationOptions(options, "options", SCAN_OPTION_KEYS);
  const names = {
    key: requireAttributeName(options.attributeNames?.key ?? DEFAULT_ATTRIBUTE_NAMES.key, "options.attributeNames.key"),
    version: requireAttributeName(options.attributeNames?.version ?? DEFAULT_ATTRIBUTE_NAMES.version, "options.attributeNames.version"),
  };
  if (names.key === names.version) {
    throw new InvalidArgumentError("options.attributeNames", "the key and version attributes must be different");
  }
  const segments = requireInteger(options.segments ?? 1, 1, 1_000_000, "options.segments");
  const pageSize = options.pageSize === undefined ? undefined : requireInteger(options.pageSize, 1, Number.MAX_SAFE_INTEGER, "options.pageSize");
  const prefix = versionKeyPrefix(handlerKey);

  const stop = new AbortController();
  const stopped = signal === undefined ? stop.signal : AbortSignal.any([signal, stop.signal]);
  const totals = { scanned: 0, found: 0, pages: 0 };
  let finished = 0;

  const scanSegment = async (segment: number): Promise<void> => {
    let start: Record<string, AttributeValue> | undefined;
    do {
      if (stopped.aborted) {
        return;
      }
      let page;
      try {
        page = await request(connection.target, "Scan", () =>
          connection.client.send(
            new ScanCommand({
              TableName: table,
              FilterExpression: "begins_with(#k, :prefix)",
              ProjectionExpression: "#k, #v",
              ExpressionAttributeNames: { "#k": names.key, "#v": names.version },
              ExpressionAttributeValues: { ":prefix": { B: prefix } },
              ConsistentRead: options.consistentRead === true,
              ...(segments > 1 ? { Segment: segment, TotalSegments: segments } : {}),
              ...(pageSize === undefined ? {} : { Limit: pageSize }),
              ...(start === undefined ? {} : { ExclusiveStartKey: start }),
            }),
            { abortSignal: stopped },
          ),
        );
      } catch (error) {
        if (stopped.aborted) {
          return; // the page in flight is abandoned
        }
        throw error;
      }
      const entries = (page.Items ?? []).flatMap((item) => readVersionEntry(item, prefix, names) ?? []);
      totals.scanned += page.ScannedCount ?? 0;
      totals.found += entries.length;
      totals.pages += 1;
      if (entries.length > 0) {
        await options.onEntries?.(entries);
      }
      options.onProgress?.({ ...totals });
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    finished += 1;
  };

  const outcomes = await Promise.allSettled(
    Array.from({ length: segments }, (_, segment) =>
      scanSegment(segment).catch((error: unknown) => {
        stop.abort(); // one segment failed: the others stop too
        throw error;
      }),
    ),
  );
  const failure = outcomes.find((outcome) => outcome.status === "rejected");
  if (failure !== undefined) {
    throw failure.reason;
  }
  return { ...totals, segments, complete: finished === segments };
}

/**
 * Checks an integer option in `[min, max]`.
 *
 * @internal
 */
export function requireInteger(value: unknown, min: number, max: number, argument: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(argument, `expected an integer from ${min} to ${max}, got ${describeInput(value)}`);
  }
  return value;
}
