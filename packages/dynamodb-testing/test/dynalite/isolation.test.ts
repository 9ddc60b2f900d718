import {
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { startDynalite, type Dynalite } from "@projectionkit/dynamodb-testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capture, createTable, getItem, key, scanSorted } from "./support.js";

// Isolation against concurrent writes, on the dynalite harness: every request below is in flight
// at the same time. dynalite's PutItem/UpdateItem/DeleteItem read, check and write an item
// asynchronously under a per-item lock; a transaction holds those locks on all its items from
// before its reads until after its one-batch commit, so nothing can interleave with it.

let ddb: Dynalite;
beforeAll(async () => {
  ddb = await startDynalite({ clientConfig: { maxAttempts: 1 } });
});
afterAll(async () => {
  await ddb.stop();
});

const ROUNDS = 60;

describe("transactions on dynalite are isolated from concurrent writes", () => {
  it("no lost update: concurrent transactional and single-item increments all count", async () => {
    const table = await createTable(ddb.client, "iso-counter");
    const increment = (pk: string) => ({
      Update: { TableName: table, Key: key(pk), UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": { N: "1" } } },
    });
    const requests: Promise<unknown>[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      requests.push(ddb.client.send(new TransactWriteItemsCommand({ TransactItems: [increment("a"), increment("b")] })));
      requests.push(
        ddb.client.send(
          new UpdateItemCommand({ TableName: table, Key: key("a"), UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": { N: "1" } } }),
        ),
      );
      requests.push(ddb.client.send(new TransactWriteItemsCommand({ TransactItems: [increment("b"), increment("c")] })));
    }
    await Promise.all(requests);

    expect(await scanSorted(ddb.client, table)).toEqual([
      { pk: { S: "a" }, n: { N: String(2 * ROUNDS) } },
      { pk: { S: "b" }, n: { N: String(2 * ROUNDS) } },
      { pk: { S: "c" }, n: { N: String(ROUNDS) } },
    ]);
  });

  it("check-and-write is atomic: of many transactions and single writes creating one item, exactly one wins", async () => {
    const table = await createTable(ddb.client, "iso-claim");
    const claims: Promise<{ readonly ok: boolean }>[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      claims.push(
        capture(
          ddb.client.send(
            new TransactWriteItemsCommand({
              TransactItems: [
                { Put: { TableName: table, Item: { pk: { S: "lock" }, by: { S: `tx-${round}` } }, ConditionExpression: "attribute_not_exists(pk)" } },
                { Put: { TableName: table, Item: { pk: { S: `marker-${round}` } } } },
              ],
            }),
          ),
        ),
      );
      claims.push(
        capture(
          ddb.client.send(
            new PutItemCommand({ TableName: table, Item: { pk: { S: "lock" }, by: { S: `single-${round}` } }, ConditionExpression: "attribute_not_exists(pk)" }),
          ),
        ),
      );
    }
    const outcomes = await Promise.all(claims);

    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    const winner = (await getItem(ddb.client, table, key("lock")))?.["by"]?.S ?? "";
    const markers = (await scanSorted(ddb.client, table)).filter((item) => item["pk"]?.S?.startsWith("marker-"));
    // A transaction that lost wrote nothing, not even its unconditional marker.
    expect(markers).toEqual(winner.startsWith("tx-") ? [{ pk: { S: `marker-${winner.slice(3)}` } }] : []);
  });

  it("TransactGetItems sees a consistent snapshot while transactions rewrite both items", async () => {
    const table = await createTable(ddb.client, "iso-snapshot");
    const setBoth = (value: string) =>
      ddb.client.send(
        new TransactWriteItemsCommand({
          TransactItems: ["a", "b"].map((pk) => ({
            Put: { TableName: table, Item: { pk: { S: pk }, v: { N: value }, pad: { S: "x".repeat(2000) } } },
          })),
        }),
      );
    await setBoth("0");

    const reads: Promise<readonly [string | undefined, string | undefined]>[] = [];
    const writes: Promise<unknown>[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      writes.push(setBoth(String(round)));
      reads.push(
        ddb.client
          .send(
            new TransactGetItemsCommand({
              TransactItems: [
                { Get: { TableName: table, Key: key("a"), ProjectionExpression: "v" } },
                { Get: { TableName: table, Key: key("b"), ProjectionExpression: "v" } },
              ],
            }),
          )
          .then(({ Responses }) => [Responses?.[0]?.Item?.["v"]?.N, Responses?.[1]?.Item?.["v"]?.N] as const),
      );
    }
    await Promise.all(writes);
    const seen = await Promise.all(reads);

    for (const [a, b] of seen) {
      expect(a).toBeDefined();
      expect(a).toBe(b);
    }
  });
});
