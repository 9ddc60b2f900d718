import { ScanCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { createTable, documentItem, type DynamoProjectionHandler } from "@projectionkit/dynamodb";
import { createStringKeyTable } from "../../../../test/support/dynamodb-tables.js";

/*
 * The row-per-event projections of the driver suites: each event puts one new row, keyed by the
 * event's id, so that a run of events fits few transactions and an event applied twice would fail
 * its row's condition.
 */

/** The version table of the row-per-event suites. */
export const ROW_VERSIONS = "versions";
/** The table the rows go to. */
export const ROWS = "rows";

/** An event that becomes one row. */
export interface RowEvent {
  readonly type: "Deposited";
  readonly id: string;
  readonly account: string;
}

/** Creates the version table and the row table. */
export async function createRowTables(client: DynamoDBClient): Promise<void> {
  await createTable(client, ROW_VERSIONS);
  await createStringKeyTable(client, ROWS);
}

/** A handler, named `name` with the handler key `key`, that puts one new row per event. */
export function rowPerEvent<E extends RowEvent>(name: string, key: string): DynamoProjectionHandler<E> {
  return {
    configure(c) {
      c.identity(name, key);
      c.handlesEvents("Deposited");
    },
    handleEvent: (_scope, event) => [documentItem({ Put: { TableName: ROWS, Item: { pk: event.id }, ConditionExpression: "attribute_not_exists(pk)" } })],
  };
}

/** The ids of the stored rows that start with `prefix`, read consistently. */
export async function rowIdsStartingWith(client: DynamoDBClient, prefix: string): Promise<string[]> {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: ROWS, ConsistentRead: true }));
  return Items.map((item) => String(unmarshall(item)["pk"])).filter((id) => id.startsWith(prefix));
}
