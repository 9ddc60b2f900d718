import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateTableCommand, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { documentItem, type DynamoProjectionHandler } from "@projectionkit/dynamodb";

/** The demo's events: money moving in and out of accounts. */
export type AccountEvent =
  | { readonly type: "Deposited"; readonly id: string; readonly account: string; readonly amount: number }
  | { readonly type: "Withdrawn"; readonly id: string; readonly account: string; readonly amount: number };

/** The read model's table: one item per account with its balance and how many events it saw. */
export const BALANCES_TABLE = "DemoBalances";

/** The version table (the Go library's layout, shared by all projections). */
export const VERSIONS_TABLE = "DemoProjectionVersions";

/**
 * The account-balance projection: each event becomes one Update of the account's item. The
 * adapter adds the version check to the same TransactWriteItems.
 */
export const balanceProjection: DynamoProjectionHandler<AccountEvent> = {
  configure(c) {
    c.identity("demo-balances", "6f2c9a1e-3b7d-4e0f-8a5c-1d2e3f4a5b6c");
    c.handlesEvents("Deposited", "Withdrawn");
  },
  handleEvent: (_scope, event) => [
    documentItem({
      Update: {
        TableName: BALANCES_TABLE,
        Key: { account: event.account },
        UpdateExpression: "ADD balance :amount, events :one",
        ExpressionAttributeValues: { ":amount": event.type === "Deposited" ? event.amount : -event.amount, ":one": 1 },
      },
    }),
  ],
};

/** Creates the read model's table and waits until it is active. */
export async function createBalancesTable(client: DynamoDBClient): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: BALANCES_TABLE,
      AttributeDefinitions: [{ AttributeName: "account", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "account", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: BALANCES_TABLE });
}
