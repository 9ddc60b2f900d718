import {
  DeleteTableCommand,
  GetItemCommand,
  ScanCommand,
  type AttributeValue,
  type CancellationReason,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { createServer } from "node:net";
import { uniqueTableName } from "../support/clients.js";
import { createKeyedTable, keySchema } from "../../../../test/support/dynamodb-tables.js";
export { rejection } from "../../../../test/support/rejection.js";

/** The key schema of a test table. */
export type KeyShape = "hash" | "composite";

/**
 * Creates a table with a unique name: `pk` (S), and with `composite` also `sk` (N).
 *
 * @param client - the backend's client.
 * @param prefix - a readable hint of the test.
 * @param shape - the key schema.
 * @returns the table name.
 *
 * @example
 * ```ts
 * const table = await createTable(client, "tx");
 * ```
 */
export async function createTable(client: DynamoDBClient, prefix: string, shape: KeyShape = "hash"): Promise<string> {
  const name = uniqueTableName(prefix);
  await createNamedTable(client, name, shape);
  return name;
}

/**
 * Creates a table with the given name: `pk` (S), and with `composite` also `sk` (N).
 *
 * @param client - the backend's client.
 * @param name - the table name.
 * @param shape - the key schema.
 *
 * @example
 * ```ts
 * await createNamedTable(client, uniqueTableName("diff"), "composite");
 * ```
 */
export async function createNamedTable(client: DynamoDBClient, name: string, shape: KeyShape): Promise<void> {
  await createKeyedTable(client, name, keySchema(["pk", "S"], shape === "composite" ? ["sk", "N"] : undefined));
}

/**
 * Deletes a table.
 *
 * @param client - the backend's client.
 * @param name - the table.
 *
 * @example
 * ```ts
 * await deleteTable(client, table);
 * ```
 */
export async function deleteTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: name }));
}

/** An attribute map. */
export type Item = Record<string, AttributeValue>;

/**
 * Shorthand for a string key `{ pk: { S: pk } }`.
 *
 * @param pk - the partition key.
 * @returns the key.
 *
 * @example
 * ```ts
 * key("a"); // { pk: { S: "a" } }
 * ```
 */
export function key(pk: string): Item {
  return { pk: { S: pk } };
}

/**
 * Reads one item with a consistent read.
 *
 * @param client - the backend's client.
 * @param table - the table.
 * @param itemKey - the key.
 * @returns the item, or `undefined`.
 *
 * @example
 * ```ts
 * expect(await getItem(client, table, key("a"))).toEqual({ pk: { S: "a" } });
 * ```
 */
export async function getItem(client: DynamoDBClient, table: string, itemKey: Item): Promise<Item | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: itemKey, ConsistentRead: true }));
  return Item;
}

/**
 * A consistent Scan of the whole table, sorted by key, in a canonical JSON form (attribute order
 * inside items differs between the backends).
 *
 * @param client - the backend's client.
 * @param table - the table.
 * @returns the items, sorted.
 *
 * @example
 * ```ts
 * expect(await scanSorted(client, table)).toEqual([{ pk: { S: "a" } }]);
 * ```
 */
export async function scanSorted(client: DynamoDBClient, table: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items
    .map((item) => ({ item, id: JSON.stringify([item["pk"], item["sk"]]) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(({ item }) => item);
}

/**
 * What a call came to, in a form two backends can be compared on: the result, or the error's
 * name, message and cancellation reasons.
 */
export type Outcome<T> =
  | { readonly ok: true; readonly result: T }
  | {
      readonly ok: false;
      readonly name: string;
      readonly message: string;
      readonly reasons?: readonly CancellationReason[];
      /** The stored item a single-item write's `ConditionalCheckFailedException` returned (`ALL_OLD`). */
      readonly item?: Readonly<Record<string, AttributeValue>>;
    };

/**
 * Runs a call and captures its {@link Outcome}; the SDK's `$metadata` is dropped.
 *
 * @param call - the call.
 * @returns the outcome.
 *
 * @example
 * ```ts
 * const outcome = await capture(client.send(new TransactWriteItemsCommand(input)));
 * ```
 */
export async function capture<T extends object>(call: Promise<T>): Promise<Outcome<Omit<T, "$metadata">>> {
  try {
    const { $metadata: _metadata, ...result } = (await call) as T & { $metadata?: unknown };
    return { ok: true, result };
  } catch (error) {
    if (!(error instanceof Error)) {
      throw error;
    }
    const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons;
    const item = (error as { Item?: Record<string, AttributeValue> }).Item;
    return { ok: false, name: error.name, message: error.message, ...(reasons === undefined ? {} : { reasons }), ...(item === undefined ? {} : { item }) };
  }
}

/**
 * Whether a TCP port can be bound on 127.0.0.1 right now.
 *
 * @param port - the port.
 * @returns `true` when it is free.
 *
 * @example
 * ```ts
 * expect(await canListen(port)).toBe(true);
 * ```
 */
export function canListen(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}
