import { createEventScope, streamEventVersions } from "@projectionkit/core";
import { createTable, dynamoProjection } from "@projectionkit/dynamodb";
import { startDynalite } from "@projectionkit/dynamodb-testing";
import { expect, it } from "vitest";
import { balances, createBalancesTable, readBalance, type Deposited } from "../src/balance-projection.ts";

it("applies a deposit once, even when it is delivered twice", async () => {
  const deposit: Deposited = { type: "MoneyDeposited", account: "acc-1", amount: 30 };
  const { resource, current, next } = streamEventVersions("acc-1", 0);

  await using dynamodb = await startDynalite(); // in this process: no Java, no Docker
  await createTable(dynamodb.client, "ProjectionVersions");
  await createBalancesTable(dynamodb.client);
  const projection = dynamoProjection(dynamodb.client, "ProjectionVersions", balances);
  expect(await projection.handleEvent(resource, current, next, createEventScope(), deposit)).toBe(true);
  expect(await projection.handleEvent(resource, current, next, createEventScope(), deposit)).toBe(false); // redelivered
  expect(await readBalance(dynamodb.client, "acc-1")).toBe(30);
});
