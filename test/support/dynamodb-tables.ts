import { CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";

/**
 * Creates an on-demand table whose key is one string attribute (`pk` unless `key` says otherwise):
 * the read-model and scratch tables of the tests.
 */
export async function createStringKeyTable(client: DynamoDBClient, name: string, key = "pk"): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: key, AttributeType: "S" }],
      KeySchema: [{ AttributeName: key, KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}
