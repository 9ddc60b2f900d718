import {
  CreateTableCommand,
  ScanCommand,
  waitUntilTableExists,
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { createTable } from "@projectionkit/dynamodb";
import type { CustomerTotals } from "./customer-totals-projection.js";

/**
 * The tables of the example, by name.
 *
 * @example
 * ```ts
 * const tables: ProjectionTables = { versionsTable: "ProjectionVersions", totalsTable: "CustomerTotals" };
 * ```
 */
export interface ProjectionTables {
  readonly versionsTable: string;
  readonly totalsTable: string;
}

/**
 * Creates the tables the function writes, if they do not exist, and waits until they are ACTIVE:
 * the version table (`createTable` of `@projectionkit/dynamodb`, the Go library's layout) and the
 * `CustomerTotals` read model. For tests and local runs; in an AWS account, create them with your
 * infrastructure code (the README lists their definitions).
 *
 * @param client - the client.
 * @param tables - their names.
 * @returns when both are ACTIVE.
 *
 * @example
 * ```ts
 * await createProjectionTables(client, { versionsTable: "ProjectionVersions", totalsTable: "CustomerTotals" });
 * ```
 */
export async function createProjectionTables(client: DynamoDBClient, tables: ProjectionTables): Promise<void> {
  await Promise.all([createTable(client, tables.versionsTable), createCustomerTotalsTable(client, tables.totalsTable)]);
}

/**
 * Creates the `CustomerTotals` table (HASH key `customerId`, S; on demand) if it does not exist,
 * and waits until it is ACTIVE. An existing table of that name is accepted as it is.
 *
 * @param client - the client.
 * @param name - the table's name.
 * @returns when it is ACTIVE.
 *
 * @example
 * ```ts
 * await createCustomerTotalsTable(client, "CustomerTotals");
 * ```
 */
export function createCustomerTotalsTable(client: DynamoDBClient, name: string): Promise<void> {
  return createIfMissing(client, {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: "customerId", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "customerId", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  });
}

/**
 * Creates the `Orders` source table (HASH key `orderId`, S; on demand) with a stream of
 * `NEW_AND_OLD_IMAGES`, which the projection needs, if it does not exist, and waits until it is
 * ACTIVE. The function never writes it; it is here to show the stream's settings.
 *
 * @param client - the client.
 * @param name - the table's name.
 * @returns when it is ACTIVE.
 *
 * @example
 * ```ts
 * await createOrdersTable(client, "Orders");
 * ```
 */
export function createOrdersTable(client: DynamoDBClient, name: string): Promise<void> {
  return createIfMissing(client, {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: "orderId", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "orderId", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
  });
}

/**
 * Reads the whole `CustomerTotals` table (strongly consistent scan), by `customerId`. For tests
 * and small local runs: a real read model is read by key.
 *
 * @param client - the client.
 * @param name - the table's name.
 * @returns the totals of every customer that has a row.
 *
 * @example
 * ```ts
 * const totals = await readCustomerTotals(client, "CustomerTotals");
 * totals["cust-ada"]; // { orders: 2, spent: 4990, open: 0 }
 * ```
 */
export async function readCustomerTotals(client: DynamoDBClient, name: string): Promise<Record<string, CustomerTotals>> {
  const totals: Record<string, CustomerTotals> = {};
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: name, ConsistentRead: true, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      const row = unmarshall(item);
      totals[String(row["customerId"])] = { orders: Number(row["orders"] ?? 0), spent: Number(row["spent"] ?? 0), open: Number(row["open"] ?? 0) };
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return totals;
}

async function createIfMissing(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name !== "ResourceInUseException") {
      throw error;
    }
  }
  await waitUntilTableExists({ client, minDelay: 1, maxWaitTime: 120 }, { TableName: input.TableName });
}
