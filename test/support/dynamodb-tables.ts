import { CreateTableCommand, type CreateTableCommandInput, type DynamoDBClient, type ScalarAttributeType } from "@aws-sdk/client-dynamodb";

/** A key attribute of a table: its name and its type, e.g. `["pk", "S"]`. */
export type KeyAttribute = readonly [name: string, type: ScalarAttributeType];

/** The part of a CreateTable input that says what a table's key is. */
export type TableKeySchema = Required<Pick<CreateTableCommandInput, "AttributeDefinitions" | "KeySchema">>;

/**
 * The key schema of a table whose key is `hash`, or `hash` and `range`: their attribute
 * definitions and the KeySchema, HASH first.
 */
export function keySchema(hash: KeyAttribute, range?: KeyAttribute): TableKeySchema {
  const attributes = range === undefined ? [hash] : [hash, range];
  return {
    AttributeDefinitions: attributes.map(([name, type]) => ({ AttributeName: name, AttributeType: type })),
    KeySchema: attributes.map(([name], index) => ({ AttributeName: name, KeyType: index === 0 ? "HASH" : "RANGE" })),
  };
}

/**
 * Creates a table with the given key schema, on demand unless `settings` says otherwise (say,
 * `BillingMode: "PROVISIONED"` with its `ProvisionedThroughput`, or indexes).
 */
export async function createKeyedTable(
  client: DynamoDBClient,
  name: string,
  key: TableKeySchema,
  settings: Omit<CreateTableCommandInput, "TableName" | "AttributeDefinitions" | "KeySchema"> = {},
): Promise<void> {
  await client.send(new CreateTableCommand({ TableName: name, BillingMode: "PAY_PER_REQUEST", ...key, ...settings }));
}

/**
 * Creates an on-demand table whose key is one string attribute (`pk` unless `key` says otherwise):
 * the read-model and scratch tables of the tests.
 */
export async function createStringKeyTable(client: DynamoDBClient, name: string, key = "pk"): Promise<void> {
  await createKeyedTable(client, name, keySchema([key, "S"]));
}
