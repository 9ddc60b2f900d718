import { createEventScope, streamEventVersions, streamResource } from "@projectionkit/core";
import { createTable, documentItem, dynamoProjection, type DynamoProjectionHandler } from "@projectionkit/dynamodb";
import { startDynalite } from "@projectionkit/dynamodb-testing";
import { expect, it } from "vitest";
import { balances, BALANCES_TABLE, createBalancesTable, readBalance, type Deposited } from "../src/balance-projection.ts";

// The same projection, coalescing: a run of deposits becomes one ADD per account.
const coalescingBalances: DynamoProjectionHandler<Deposited> = {
  ...balances,
  handleEvents(deliveries) {
    const sums = new Map<string, number>();
    for (const { event } of deliveries) sums.set(event.account, (sums.get(event.account) ?? 0) + event.amount);
    return [...sums].map(([account, sum]) =>
      documentItem({
        Update: {
          TableName: BALANCES_TABLE,
          Key: { account },
          UpdateExpression: "ADD balance :sum",
          ExpressionAttributeValues: { ":sum": sum },
        },
      }),
    );
  },
};

it.each([
  { handler: balances, writes: 200 }, // one action per item: one transaction per deposit
  { handler: coalescingBalances, writes: 1 },
])("200 deposits into one balance in one batch: $writes write request(s)", async ({ handler, writes }) => {
  const deposit: Deposited = { type: "MoneyDeposited", account: "acc-1", amount: 5 };
  const deliveries = Array.from({ length: 200 }, (_, offset) => {
    const { current, next } = streamEventVersions("acc-1", offset);
    return { current, next, event: deposit, scope: createEventScope() };
  });

  await using dynamodb = await startDynalite();
  await createTable(dynamodb.client, "ProjectionVersions");
  await createBalancesTable(dynamodb.client);
  const projection = dynamoProjection(dynamodb.client, "ProjectionVersions", handler);
  let requests = 0;
  const result = await projection.handleEventBatch(streamResource("acc-1"), deliveries, { onRequest: () => requests++ });
  expect(result).toEqual({ applied: 200, requests: writes, stopped: undefined });
  expect(requests).toBe(writes);
  expect(await readBalance(dynamodb.client, "acc-1")).toBe(1000);
});
