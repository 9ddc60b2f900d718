import { CreateTableCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { createEventScope, streamEventVersions } from "@projectionkit/core";
import { createTable, documentItem, dynamoProjection } from "@projectionkit/dynamodb";
import { startDynamoDBLocal } from "@projectionkit/dynamodb-testing";

type Deposited = { type: "MoneyDeposited"; account: string; amount: number };

// AWS's DynamoDB Local, in memory (needs Java; use your own DynamoDBClient in production).
await using local = await startDynamoDBLocal();
const client = local.client;

// One version table for all projections (the Go library's layout), and the read model.
await createTable(client, "ProjectionVersions");
await client.send(
  new CreateTableCommand({
    TableName: "Balances",
    AttributeDefinitions: [{ AttributeName: "account", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "account", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  }),
);

// The projection returns the writes for each event; the adapter adds the version check.
const balances = dynamoProjection<Deposited>(client, "ProjectionVersions", {
  configure(c) {
    c.identity("balances", "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
    c.handlesEvents("MoneyDeposited");
  },
  handleEvent: (_scope, event) => [
    documentItem({
      Update: {
        TableName: "Balances",
        Key: { account: event.account },
        UpdateExpression: "ADD balance :amount",
        ExpressionAttributeValues: { ":amount": event.amount },
      },
    }),
  ],
});

// Offset 1 is delivered twice: the second time, the version check fails and nothing is written.
const stream: Deposited[] = [
  { type: "MoneyDeposited", account: "acc-1", amount: 30 },
  { type: "MoneyDeposited", account: "acc-1", amount: 12 },
];
for (const offset of [0, 1, 1]) {
  const { resource, current, next } = streamEventVersions("acc-1", offset);
  const applied = await balances.handleEvent(resource, current, next, createEventScope(), stream[offset]!);
  console.log(`offset ${offset}: ${applied ? "applied" : "duplicate, skipped"}`);
}

const { Item } = await client.send(new GetItemCommand({ TableName: "Balances", Key: { account: { S: "acc-1" } } }));
console.log(`balance of acc-1: ${Item?.["balance"]?.N}`); // 42
