import { DescribeTableCommand, type DynamoDBClient, type TableDescription } from "@aws-sdk/client-dynamodb";
import { InvalidArgumentError, isProjectionKitError, requireOperationOptions, type OperationOptions } from "@projectionkit/core";
import { checkVersionTableKeySchema, DEFAULT_ATTRIBUTE_NAMES, describeKeySchema } from "@projectionkit/dynamodb";
import { TableNotFoundError, type RequestTarget } from "./cli-errors.js";
import { describeInput } from "./describe-input.js";
import { request } from "./service-failures.js";

/**
 * What `DescribeTable` says about a version table, and whether its key schema is the one the
 * adapter needs.
 *
 * @example
 * ```ts
 * const description: VersionTableDescription = await describeVersionTable(connection, "ProjectionVersions");
 * if (!description.keySchemaMatches) console.error(`expected ${description.expectedKeySchema}`);
 * ```
 */
export interface VersionTableDescription {
  /** The table's name. */
  readonly table: string;
  /** `ACTIVE`, `CREATING`, `UPDATING`, … */
  readonly status: string;
  /** The key schema as text, e.g. `"HASH HandlerAndResource (B)"`. */
  readonly keySchema: string;
  /** The key schema the adapter needs, e.g. `"HASH HandlerAndResource (B)"`. */
  readonly expectedKeySchema: string;
  /** Whether `keySchema` is `expectedKeySchema`. */
  readonly keySchemaMatches: boolean;
  /** `PAY_PER_REQUEST` or `PROVISIONED`. */
  readonly billingMode: string;
  /** The provisioned read and write capacity units, for `PROVISIONED` tables. */
  readonly provisioned: { readonly readUnits: number; readonly writeUnits: number } | undefined;
  /** The number of items. DynamoDB updates it about every six hours, so it is an estimate. */
  readonly itemCount: number;
  /** The table's size in bytes, updated like `itemCount`. */
  readonly sizeBytes: number;
  /** The full description, as the SDK returned it. */
  readonly description: TableDescription;
}

/**
 * Options of {@link describeVersionTable}.
 *
 * @example
 * ```ts
 * const options: DescribeVersionTableOptions = { keyAttribute: "pk", signal: AbortSignal.timeout(5_000) };
 * ```
 */
export interface DescribeVersionTableOptions extends OperationOptions {
  /** The key attribute's name. Default `HandlerAndResource`, as the adapter's. */
  readonly keyAttribute?: string | undefined;
}

/**
 * Describes a version table (one `DescribeTable` request) and compares its key schema with the one
 * the adapter needs: the key attribute of type B as the HASH key, alone (D2).
 *
 * @param connection - the client and where it sends requests.
 * @param table - the table's name (or ARN).
 * @param options - the key attribute's name, an abort signal.
 * @returns the description.
 * @throws `TableNotFoundError` when the table does not exist; the errors of `request` for refused
 *   credentials and unreachable endpoints; `InvalidArgumentError` for a malformed argument, before
 *   any request.
 *
 * @example
 * ```ts
 * using connection = await connectDynamoDB({ endpoint: "http://127.0.0.1:8000" });
 * const { itemCount, billingMode } = await describeVersionTable(connection, "ProjectionVersions");
 * ```
 */
export async function describeVersionTable(
  connection: { readonly client: DynamoDBClient; readonly target: RequestTarget },
  table: string,
  options: DescribeVersionTableOptions = {},
): Promise<VersionTableDescription> {
  requireTable(table);
  const keyAttribute = requireAttributeName(options.keyAttribute ?? DEFAULT_ATTRIBUTE_NAMES.key, "options.keyAttribute");
  const { signal } = requireOperationOptions(options, "options", ["keyAttribute"]);
  let description: TableDescription | undefined;
  try {
    ({ Table: description } = await request(connection.target, "DescribeTable", () =>
      connection.client.send(new DescribeTableCommand({ TableName: table }), signal === undefined ? {} : { abortSignal: signal }),
    ));
  } catch (error) {
    if (error instanceof Error && error.name === "ResourceNotFoundException") {
      throw new TableNotFoundError(table, connection.target, error);
    }
    throw error;
  }
  if (description === undefined) {
    throw new TableNotFoundError(table, connection.target);
  }
  const keySchema = describeKeySchema(description);
  let expectedKeySchema = keySchema;
  try {
    checkVersionTableKeySchema(table, description, keyAttribute);
  } catch (error) {
    if (!isProjectionKitError(error, "ERR_TABLE_SCHEMA_MISMATCH")) {
      throw error;
    }
    expectedKeySchema = error.expected;
  }
  const billingMode = description.BillingModeSummary?.BillingMode ?? "PROVISIONED";
  const throughput = description.ProvisionedThroughput;
  return {
    table,
    status: description.TableStatus ?? "UNKNOWN",
    keySchema,
    expectedKeySchema,
    keySchemaMatches: keySchema === expectedKeySchema,
    billingMode,
    provisioned:
      billingMode === "PROVISIONED"
        ? { readUnits: throughput?.ReadCapacityUnits ?? 0, writeUnits: throughput?.WriteCapacityUnits ?? 0 }
        : undefined,
    itemCount: description.ItemCount ?? 0,
    sizeBytes: description.TableSizeBytes ?? 0,
    description,
  };
}

/**
 * How much of the table one parallel scan segment reads by default: 256 MiB.
 *
 * @example
 * ```ts
 * Math.ceil(tableSizeBytes / BYTES_PER_SCAN_SEGMENT); // segments before the cap
 * ```
 */
export const BYTES_PER_SCAN_SEGMENT = 256 * 1024 * 1024;
/**
 * The most segments the default picks: 8.
 *
 * @example
 * ```ts
 * defaultScanSegments(Number.MAX_SAFE_INTEGER) === MAX_DEFAULT_SCAN_SEGMENTS; // true
 * ```
 */
export const MAX_DEFAULT_SCAN_SEGMENTS = 8;

/**
 * The default number of parallel scan segments for a table of `sizeBytes`: one per 256 MiB, at
 * least 1 and at most 8. A scan reads the whole table (every projection's versions), 1 MB per
 * request; below a few hundred MB one segment finishes in seconds and more would only add requests,
 * above it segments divide the time. 8 keeps the read rate within what an on-demand table absorbs
 * without throttling.
 *
 * @param sizeBytes - the table's size, as `DescribeTable` reports it.
 * @returns the number of segments.
 *
 * @example
 * ```ts
 * defaultScanSegments(10_000); // 1
 * defaultScanSegments(1024 ** 3); // 4
 * ```
 */
export function defaultScanSegments(sizeBytes: number): number {
  return Math.min(MAX_DEFAULT_SCAN_SEGMENTS, Math.max(1, Math.ceil(sizeBytes / BYTES_PER_SCAN_SEGMENT)));
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const TABLE_ARN = /^arn:[a-z-]+:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/;

/**
 * Checks a table argument: a name (3–255 characters of `A-Z a-z 0-9 _ . -`) or a table ARN.
 *
 * @internal
 */
export function requireTable(table: unknown, argument = "table"): string {
  if (typeof table !== "string" || !(TABLE_NAME.test(table) || TABLE_ARN.test(table))) {
    throw new InvalidArgumentError(argument, `expected a table name (3 to 255 characters of A-Z a-z 0-9 _ . -) or a table ARN, got ${describeInput(table)}`);
  }
  return table;
}

/**
 * Checks an attribute name: 1 to 255 bytes.
 *
 * @internal
 */
export function requireAttributeName(name: unknown, argument: string): string {
  if (typeof name !== "string" || name.length === 0 || Buffer.byteLength(name) > 255) {
    throw new InvalidArgumentError(argument, `expected an attribute name of 1 to 255 bytes, got ${describeInput(name)}`);
  }
  return name;
}
