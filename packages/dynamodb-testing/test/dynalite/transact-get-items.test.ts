import { PutItemCommand, TransactGetItemsCommand, type DynamoDBClient, type TransactGetItem, type TransactGetItemsCommandInput } from "@aws-sdk/client-dynamodb";
import { startDynalite } from "@projectionkit/dynamodb-testing";
import { describe, expect, it } from "vitest";
import { describeOnEmulators } from "../support/clients.js";
import { capture, createTable, key } from "./support.js";

// Every example runs against the dynalite harness and against AWS's DynamoDB Local.
function read(client: DynamoDBClient, input: TransactGetItemsCommandInput) {
  return capture(client.send(new TransactGetItemsCommand(input)));
}

describeOnEmulators("TransactGetItems", (emulator) => {
  const client = emulator.client();

  it("answers one entry per Get, in order, {} for an absent item, across tables", async () => {
    const a = await createTable(client, "tg-a");
    const b = await createTable(client, "tg-b");
    const first = { pk: { S: "x" }, n: { N: "1" }, m: { M: { deep: { L: [{ S: "q" }, { N: "2" }] } } } };
    await client.send(new PutItemCommand({ TableName: a, Item: first }));
    await client.send(new PutItemCommand({ TableName: b, Item: { pk: { S: "x" }, s: { S: "in b" } } }));

    const outcome = await read(client, {
      TransactItems: [
        { Get: { TableName: b, Key: key("x") } },
        { Get: { TableName: a, Key: key("absent") } },
        { Get: { TableName: a, Key: key("x") } },
      ],
    });

    expect(outcome).toEqual({
      ok: true,
      result: { Responses: [{ Item: { pk: { S: "x" }, s: { S: "in b" } } }, {}, { Item: first }] },
    });
  });

  it("applies ProjectionExpression with ExpressionAttributeNames; no attribute left is an empty Item", async () => {
    const table = await createTable(client, "tg-projection");
    await client.send(
      new PutItemCommand({ TableName: table, Item: { pk: { S: "x" }, n: { N: "1" }, m: { M: { deep: { L: [{ S: "q" }, { N: "2" }] } } } } }),
    );

    const outcome = await read(client, {
      TransactItems: [
        { Get: { TableName: table, Key: key("x"), ProjectionExpression: "#n, m.deep[1], nothing", ExpressionAttributeNames: { "#n": "n" } } },
        { Get: { TableName: table, Key: key("y"), ProjectionExpression: "n" } },
      ],
    });
    expect(outcome).toEqual({ ok: true, result: { Responses: [{ Item: { n: { N: "1" }, m: { M: { deep: { L: [{ N: "2" }] } } } } }, {}] } });

    const nothing = await read(client, { TransactItems: [{ Get: { TableName: table, Key: key("x"), ProjectionExpression: "nothing" } }] });
    expect(nothing).toEqual({ ok: true, result: { Responses: [{ Item: {} }] } });
  });

  it("two Gets of one item are a ValidationException; more than 100 too, and none", async () => {
    const table = await createTable(client, "tg-invalid");
    const gets = Array.from({ length: 101 }, (_, index) => ({ Get: { TableName: table, Key: key(`k${index}`) } }));
    const refused: Array<[TransactGetItem[], string]> = [
      [[{ Get: { TableName: table, Key: key("a") } }, { Get: { TableName: table, Key: key("a") } }], "Transaction request cannot include multiple operations on one item"],
      [gets, "Member must have length less than or equal to 100"],
      [[], "Value null at 'transactItems' failed to satisfy constraint: Member must not be null"],
    ];
    for (const [TransactItems, message] of refused) {
      expect(await read(client, { TransactItems })).toEqual({ ok: false, name: "ValidationException", message });
    }
    const hundred = await read(client, { TransactItems: gets.slice(0, 100) });
    expect(hundred.ok ? hundred.result.Responses : []).toHaveLength(100);
  });

  it("a missing table is a ResourceNotFoundException; a key that does not fit is a TransactionCanceledException without reasons", async () => {
    const table = await createTable(client, "tg-errors");
    const refused: Array<[TransactGetItem, string, string]> = [
      [{ Get: { TableName: `${table}-nope`, Key: key("a") } }, "ResourceNotFoundException", "Cannot do operations on a non-existent table"],
      [{ Get: { TableName: table, Key: { pk: { N: "1" } } } }, "TransactionCanceledException", "One or more parameter values were invalid: Type mismatch for key"],
      [{ Get: { TableName: table, Key: { pk: { S: "a" }, sk: { N: "1" } } } }, "TransactionCanceledException", "The number of conditions on the keys is invalid"],
    ];
    for (const [get, name, message] of refused) {
      expect(await read(client, { TransactItems: [get] })).toEqual({ ok: false, name, message });
    }
  });
});

describe("TransactGetItems on dynalite only", () => {
  it("answers ReturnConsumedCapacity: 2 read units per 4 KB per item, 2 for an absent one", async () => {
    await using ddb = await startDynalite();
    const table = await createTable(ddb.client, "tg-capacity");
    await ddb.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: "big" }, v: { S: "x".repeat(5000) } } }));
    await ddb.client.send(new PutItemCommand({ TableName: table, Item: key("small") }));

    const { ConsumedCapacity } = await ddb.client.send(
      new TransactGetItemsCommand({
        ReturnConsumedCapacity: "TOTAL",
        TransactItems: [
          { Get: { TableName: table, Key: key("big"), ProjectionExpression: "pk" } },
          { Get: { TableName: table, Key: key("small") } },
          { Get: { TableName: table, Key: key("absent") } },
        ],
      }),
    );
    // The same numbers as DynamoDB Local: 4 + 2 + 2.
    expect(ConsumedCapacity).toEqual([{ TableName: table, CapacityUnits: 8, ReadCapacityUnits: 8 }]);
  });
});
