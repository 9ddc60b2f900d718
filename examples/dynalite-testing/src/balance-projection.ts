import { CreateTableCommand, GetItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { documentItem, type DynamoProjectionHandler } from "@projectionkit/dynamodb";

/** The events of this projection. */
export type Deposited = { readonly type: "MoneyDeposited"; readonly account: string; readonly amount: number };

/** The read model: one item per account in this table. */
export const BALANCES_TABLE = "Balances";

/** The handler under test: each deposit adds its amount to the account's balance. */
export const balances: DynamoProjectionHandler<Deposited> = {
  configure(c) {
    c.identity("balances", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
    c.handlesEvents("MoneyDeposited");
  },
  handleEvent: (_scope, event) => [
    documentItem({
      Update: {
        TableName: BALANCES_TABLE,
        Key: { account: event.account },
        UpdateExpression: "ADD balance :amount",
        ExpressionAttributeValues: { ":amount": event.amount },
      },
    }),
  ],
};

/** Creates the read model's table (as the application's infrastructure code would). */
export async function createBalancesTable(client: DynamoDBClient): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: BALANCES_TABLE,
      AttributeDefinitions: [{ AttributeName: "account", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "account", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}

/** Reads an account's balance from the read model (`undefined` when it has none). */
export async function readBalance(client: DynamoDBClient, account: string): Promise<number | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: BALANCES_TABLE, Key: { account: { S: account } }, ConsistentRead: true }));
  return Item?.["balance"]?.N === undefined ? undefined : Number(Item["balance"].N);
}
