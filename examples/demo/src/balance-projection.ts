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

const signed = (event: AccountEvent): number => (event.type === "Deposited" ? event.amount : -event.amount);

/** One Update of an account's item: its balance moves by `amount`, and it counts `events` more events. */
function balanceUpdate(account: string, amount: number, events: number) {
  return documentItem({
    Update: {
      TableName: BALANCES_TABLE,
      Key: { account },
      UpdateExpression: "ADD balance :amount, events :events",
      ExpressionAttributeValues: { ":amount": amount, ":events": events },
    },
  });
}

/**
 * The account-balance projection: each event becomes one Update of the account's item, and the
 * adapter adds the version check to the same TransactWriteItems. A run of one account's events
 * (the driver batches them) is coalesced by `handleEvents` into ONE Update with their sum: one
 * transaction for the run, instead of one per event (DynamoDB allows one action per item in a
 * transaction).
 */
export const balanceProjection: DynamoProjectionHandler<AccountEvent> = {
  configure(c) {
    c.identity("demo-balances", "6f2c9a1e-3b7d-4e0f-8a5c-1d2e3f4a5b6c");
    c.handlesEvents("Deposited", "Withdrawn");
  },
  handleEvent: (_scope, event) => [balanceUpdate(event.account, signed(event), 1)],
  handleEvents: (deliveries) => {
    const account = (deliveries[0] as (typeof deliveries)[number]).event.account;
    return [balanceUpdate(account, deliveries.reduce((sum, { event }) => sum + signed(event), 0), deliveries.length)];
  },
};

/** The same projection without `handleEvents`: every event of a batch is its own transaction. */
export const uncoalescedBalanceProjection: DynamoProjectionHandler<AccountEvent> = {
  configure(c) {
    c.identity("demo-balances-uncoalesced", "0b7e4d2a-9c1f-4a6e-8d3b-5f2a1c9e7d40");
    c.handlesEvents("Deposited", "Withdrawn");
  },
  handleEvent: balanceProjection.handleEvent,
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
