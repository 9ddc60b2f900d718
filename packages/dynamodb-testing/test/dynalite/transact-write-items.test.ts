import {
  CreateTableCommand,
  DynamoDBServiceException,
  IdempotentParameterMismatchException,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type DynamoDBClient,
  type TransactWriteItem,
  type TransactWriteItemsCommandInput,
} from "@aws-sdk/client-dynamodb";
import { startDynalite } from "@projectionkit/dynamodb-testing";
import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { describeOnEmulators, uniqueTableName } from "../support/clients.js";
import { capture, createTable, getItem, key, rejection, scanSorted } from "./support.js";

// Every example runs against the dynalite harness and against AWS's DynamoDB Local: the
// expectations are what DynamoDB Local 1.25.1 answers, so they hold for both.
const CONDITION_FAILED = "The conditional request failed";

function write(client: DynamoDBClient, input: TransactWriteItemsCommandInput) {
  return capture(client.send(new TransactWriteItemsCommand(input)));
}

async function put(client: DynamoDBClient, table: string, item: Record<string, unknown>): Promise<void> {
  await client.send(new PutItemCommand({ TableName: table, Item: item as never }));
}

describeOnEmulators("TransactWriteItems", (emulator) => {
  const client = emulator.client();

  /**
   * Writes `action` behind a ConditionCheck that fails (on an item "a" of a new table): what the
   * outcome shows whether DynamoDB looked at the condition or at the action first.
   */
  async function behindFailingCheck(prefix: string, action: (table: string) => TransactWriteItem) {
    const table = await createTable(client, prefix);
    await put(client, table, key("a"));
    const outcome = await write(client, {
      TransactItems: [{ ConditionCheck: { TableName: table, Key: key("a"), ConditionExpression: "attribute_not_exists(pk)" } }, action(table)],
    });
    return { table, outcome };
  }

  it("applies Put, Update, Delete and ConditionCheck together, across two tables", async () => {
    const orders = await createTable(client, "tx-orders");
    const totals = await createTable(client, "tx-totals");
    await put(client, orders, { pk: { S: "old" } });
    await put(client, totals, { pk: { S: "all" }, n: { N: "1" } });
    await put(client, totals, { pk: { S: "limits" }, max: { N: "10" } });

    const outcome = await write(client, {
      TransactItems: [
        { Put: { TableName: orders, Item: { pk: { S: "o1" }, qty: { N: "2" } }, ConditionExpression: "attribute_not_exists(pk)" } },
        { Update: { TableName: totals, Key: key("all"), UpdateExpression: "SET n = n + :q", ExpressionAttributeValues: { ":q": { N: "2" } } } },
        { Delete: { TableName: orders, Key: key("old"), ConditionExpression: "attribute_exists(pk)" } },
        { ConditionCheck: { TableName: totals, Key: key("limits"), ConditionExpression: "#m >= :q", ExpressionAttributeNames: { "#m": "max" }, ExpressionAttributeValues: { ":q": { N: "2" } } } },
      ],
    });

    expect(outcome).toEqual({ ok: true, result: {} });
    expect(await scanSorted(client, orders)).toEqual([{ pk: { S: "o1" }, qty: { N: "2" } }]);
    expect(await getItem(client, totals, key("all"))).toEqual({ pk: { S: "all" }, n: { N: "3" } });
  });

  it("one failed condition cancels every action, with one reason per action in order", async () => {
    const table = await createTable(client, "tx-cancel");
    await put(client, table, { pk: { S: "a" }, n: { N: "1" } });
    await put(client, table, { pk: { S: "b" }, n: { N: "5" } });
    const before = await scanSorted(client, table);

    const outcome = await write(client, {
      TransactItems: [
        { Put: { TableName: table, Item: { pk: { S: "new" } } } },
        { Update: { TableName: table, Key: key("a"), UpdateExpression: "SET n = :v", ConditionExpression: "n = :v", ExpressionAttributeValues: { ":v": { N: "9" } } } },
        { Delete: { TableName: table, Key: key("b") } },
        { ConditionCheck: { TableName: table, Key: key("missing"), ConditionExpression: "attribute_exists(pk)" } },
      ],
    });

    expect(outcome).toEqual({
      ok: false,
      name: "TransactionCanceledException",
      message:
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None, ConditionalCheckFailed]",
      reasons: [
        { Code: "None" },
        { Code: "ConditionalCheckFailed", Message: CONDITION_FAILED },
        { Code: "None" },
        // DynamoDB Local ends the message with a full stop for a ConditionCheck, and only there.
        { Code: "ConditionalCheckFailed", Message: `${CONDITION_FAILED}.` },
      ],
    });
    expect(await scanSorted(client, table)).toEqual(before);
  });

  it("ReturnValuesOnConditionCheckFailure ALL_OLD puts the stored item in the reason, if there is one", async () => {
    const table = await createTable(client, "tx-all-old");
    const stored = { pk: { S: "a" }, n: { N: "1" }, tags: { SS: ["x", "y"] } };
    await put(client, table, stored);

    const outcome = await write(client, {
      TransactItems: [
        { Put: { TableName: table, Item: key("a"), ConditionExpression: "attribute_not_exists(pk)", ReturnValuesOnConditionCheckFailure: "ALL_OLD" } },
        { Delete: { TableName: table, Key: key("none"), ConditionExpression: "attribute_exists(pk)", ReturnValuesOnConditionCheckFailure: "ALL_OLD" } },
        { ConditionCheck: { TableName: table, Key: key("b"), ConditionExpression: "attribute_exists(pk)", ReturnValuesOnConditionCheckFailure: "NONE" } },
      ],
    });

    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? [] : outcome.reasons).toEqual([
      { Code: "ConditionalCheckFailed", Message: CONDITION_FAILED, Item: stored },
      { Code: "ConditionalCheckFailed", Message: CONDITION_FAILED },
      { Code: "ConditionalCheckFailed", Message: `${CONDITION_FAILED}.` },
    ]);

    const check = await write(client, {
      TransactItems: [
        { ConditionCheck: { TableName: table, Key: key("a"), ConditionExpression: "n > :n", ExpressionAttributeValues: { ":n": { N: "1" } }, ReturnValuesOnConditionCheckFailure: "ALL_OLD" } },
      ],
    });
    expect(check.ok ? [] : check.reasons).toEqual([{ Code: "ConditionalCheckFailed", Message: `${CONDITION_FAILED}.`, Item: stored }]);
  });

  it("Update applies SET (arithmetic, if_not_exists), ADD and REMOVE, and creates a missing item", async () => {
    const table = await createTable(client, "tx-update");
    await put(client, table, { pk: { S: "a" }, n: { N: "10" }, gone: { S: "x" }, tags: { SS: ["x"] } });

    const outcome = await write(client, {
      TransactItems: [
        {
          Update: {
            TableName: table,
            Key: key("a"),
            UpdateExpression: "SET n = n - :one, #f = if_not_exists(#f, :zero) REMOVE gone ADD tags :tags, hits :one",
            ExpressionAttributeNames: { "#f": "first" },
            ExpressionAttributeValues: { ":one": { N: "1" }, ":zero": { N: "0" }, ":tags": { SS: ["y"] } },
          },
        },
        { Update: { TableName: table, Key: key("b"), UpdateExpression: "ADD n :five", ExpressionAttributeValues: { ":five": { N: "5" } } } },
      ],
    });

    expect(outcome).toEqual({ ok: true, result: {} });
    const a = await getItem(client, table, key("a"));
    expect({ ...a, tags: { SS: [...(a?.["tags"]?.SS ?? [])].sort() } }).toEqual({
      pk: { S: "a" },
      n: { N: "9" },
      first: { N: "0" },
      hits: { N: "1" },
      tags: { SS: ["x", "y"] },
    });
    expect(await getItem(client, table, key("b"))).toEqual({ pk: { S: "b" }, n: { N: "5" } });
  });

  it("an Update that cannot be applied answers its ValidationException, and nothing is written", async () => {
    const table = await createTable(client, "tx-bad-update");
    await put(client, table, { pk: { S: "a" }, s: { S: "text" } });

    const addToString = await write(client, {
      TransactItems: [
        { Put: { TableName: table, Item: key("new") } },
        { Update: { TableName: table, Key: key("a"), UpdateExpression: "ADD s :one", ExpressionAttributeValues: { ":one": { N: "1" } } } },
      ],
    });
    expect(addToString).toMatchObject({ ok: false, name: "ValidationException", message: "An operand in the update expression has an incorrect data type" });

    const missingOperand = await write(client, {
      TransactItems: [
        { Update: { TableName: table, Key: key("b"), UpdateExpression: "SET x = nothing + :one", ExpressionAttributeValues: { ":one": { N: "1" } } } },
      ],
    });
    expect(missingOperand).toMatchObject({
      ok: false,
      name: "ValidationException",
      message: "The provided expression refers to an attribute that does not exist in the item",
    });
    expect(await scanSorted(client, table)).toEqual([{ pk: { S: "a" }, s: { S: "text" } }]);
  });

  it("errors arrive as the AWS SDK's exception classes, with their fields", async () => {
    const table = await createTable(client, "tx-sdk-errors");
    await put(client, table, { pk: { S: "a" }, n: { N: "1" } });
    const send = (input: TransactWriteItemsCommandInput) => rejection(client.send(new TransactWriteItemsCommand(input)));

    const canceled = await send({
      TransactItems: [{ ConditionCheck: { TableName: table, Key: key("a"), ConditionExpression: "n > :n", ExpressionAttributeValues: { ":n": { N: "5" } }, ReturnValuesOnConditionCheckFailure: "ALL_OLD" } }],
    });
    expect(canceled).toBeInstanceOf(TransactionCanceledException);
    expect(canceled).toMatchObject({
      $fault: "client",
      $metadata: { httpStatusCode: 400 },
      CancellationReasons: [{ Code: "ConditionalCheckFailed", Item: { pk: { S: "a" }, n: { N: "1" } } }],
    });

    expect(await send({ TransactItems: [{ Put: { TableName: `${table}-nope`, Item: key("a") } }] })).toBeInstanceOf(ResourceNotFoundException);
    await client.send(new TransactWriteItemsCommand({ ClientRequestToken: `sdk-${table.slice(-16)}`, TransactItems: [{ Put: { TableName: table, Item: key("b") } }] }));
    expect(
      await send({ ClientRequestToken: `sdk-${table.slice(-16)}`, TransactItems: [{ Put: { TableName: table, Item: key("c") } }] }),
    ).toBeInstanceOf(IdempotentParameterMismatchException);
    const invalid = await send({ TransactItems: [] });
    expect(invalid).toBeInstanceOf(DynamoDBServiceException);
    expect(invalid).toMatchObject({ name: "ValidationException", $fault: "client" });
  });

  it("keeps a global secondary index up to date", async () => {
    const table = uniqueTableName("tx-gsi");
    await client.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "status", AttributeType: "S" },
        ],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        GlobalSecondaryIndexes: [
          { IndexName: "by-status", KeySchema: [{ AttributeName: "status", KeyType: "HASH" }], Projection: { ProjectionType: "ALL" } },
        ],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    await put(client, table, { pk: { S: "a" }, status: { S: "open" } });

    const outcome = await write(client, {
      TransactItems: [
        { Put: { TableName: table, Item: { pk: { S: "b" }, status: { S: "open" } } } },
        { Update: { TableName: table, Key: key("a"), UpdateExpression: "SET #s = :done", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":done": { S: "done" } } } },
      ],
    });
    expect(outcome).toEqual({ ok: true, result: {} });

    const byStatus = async (status: string) => {
      const { Items } = await client.send(
        new QueryCommand({ TableName: table, IndexName: "by-status", KeyConditionExpression: "#s = :s", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":s": { S: status } } }),
      );
      return (Items ?? []).map((item) => item["pk"]?.S).sort();
    };
    expect(await byStatus("open")).toEqual(["b"]);
    expect(await byStatus("done")).toEqual(["a"]);
  });

  it("more than 100 actions is a ValidationException; 100 are fine", async () => {
    const table = await createTable(client, "tx-limit");
    const puts = (count: number): TransactWriteItem[] =>
      Array.from({ length: count }, (_, index) => ({ Put: { TableName: table, Item: key(`k${index}`) } }));

    expect(await write(client, { TransactItems: puts(101) })).toEqual({
      ok: false,
      name: "ValidationException",
      message: "Member must have length less than or equal to 100",
    });
    expect(await write(client, { TransactItems: puts(100) })).toEqual({ ok: true, result: {} });
    expect(await scanSorted(client, table)).toHaveLength(100);
  });

  it("more than 4 MB is a ValidationException naming the payload size; exactly 4 MB is fine", async () => {
    const table = await createTable(client, "tx-payload");
    // Item size = attribute names + values: "pk" + "kNN" + "v" + value = 6 + value length.
    const puts = (total: number): TransactWriteItem[] => {
      const items: TransactWriteItem[] = [];
      for (let rest = total, index = 0; rest > 0; index += 1) {
        const size = Math.min(400_000, rest);
        items.push({ Put: { TableName: table, Item: { pk: { S: `k${String(index).padStart(2, "0")}` }, v: { S: "x".repeat(size - 6) } } } });
        rest -= size;
      }
      return items;
    };

    expect(await write(client, { TransactItems: puts(4 * 1024 * 1024 + 1) })).toEqual({
      ok: false,
      name: "ValidationException",
      message: "Transaction payload size cannot exceed 4MB. Payload Size: 4194305",
    });
    expect(await write(client, { TransactItems: puts(4 * 1024 * 1024) })).toEqual({ ok: true, result: {} });
  });

  it("two actions on one item are a ValidationException (a ConditionCheck counts; 1.0 and 1 are one key)", async () => {
    const table = await createTable(client, "tx-dup", "composite");
    const duplicate = "Transaction request cannot include multiple operations on one item";

    // DynamoDB Local normalises the numbers of a Put's item but compares other keys as written
    // (Put 1 + Delete 1.0 passes there); dynalite's keys are normalised everywhere.
    const sameNumber = await write(client, {
      TransactItems: [
        { Put: { TableName: table, Item: { pk: { S: "a" }, sk: { N: "1.0" } } } },
        { Delete: { TableName: table, Key: { pk: { S: "a" }, sk: { N: "1" } } } },
      ],
    });
    expect(sameNumber).toEqual({ ok: false, name: "ValidationException", message: duplicate });

    const withCheck = await write(client, {
      TransactItems: [
        { ConditionCheck: { TableName: table, Key: { pk: { S: "b" }, sk: { N: "2" } }, ConditionExpression: "attribute_not_exists(pk)" } },
        { Put: { TableName: table, Item: { pk: { S: "b" }, sk: { N: "2" } } } },
      ],
    });
    expect(withCheck).toEqual({ ok: false, name: "ValidationException", message: duplicate });
    expect(await scanSorted(client, table)).toEqual([]);
  });

  it("actions run in order and see the earlier ones' writes; a repeated item whose condition fails is a cancellation", async () => {
    // DynamoDB Local notices a second action on an item only when that action's condition holds,
    // and evaluates the condition against the item as the earlier actions left it.
    const table = await createTable(client, "tx-order");
    await put(client, table, { pk: { S: "a" }, n: { N: "1" } });

    const seesPut = await write(client, {
      TransactItems: [
        { Update: { TableName: table, Key: key("a"), UpdateExpression: "SET n = :five", ExpressionAttributeValues: { ":five": { N: "5" } } } },
        {
          ConditionCheck: {
            TableName: table,
            Key: key("a"),
            ConditionExpression: "n = :one",
            ExpressionAttributeValues: { ":one": { N: "1" } },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
        },
      ],
    });
    expect(seesPut).toMatchObject({
      ok: false,
      name: "TransactionCanceledException",
      reasons: [{ Code: "None" }, { Code: "ConditionalCheckFailed", Message: `${CONDITION_FAILED}.`, Item: { pk: { S: "a" }, n: { N: "5" } } }],
    });

    const failedFirst = await write(client, {
      TransactItems: [
        { Put: { TableName: table, Item: key("a"), ConditionExpression: "attribute_not_exists(pk)" } },
        { Delete: { TableName: table, Key: key("a") } },
      ],
    });
    expect(failedFirst).toMatchObject({
      ok: false,
      name: "TransactionCanceledException",
      reasons: [{ Code: "ConditionalCheckFailed", Message: CONDITION_FAILED }, { Code: "None" }],
    });
    expect(await scanSorted(client, table)).toEqual([{ pk: { S: "a" }, n: { N: "1" } }]);
  });

  it("a missing table is a ResourceNotFoundException, before any condition is looked at", async () => {
    const { outcome } = await behindFailingCheck("tx-missing", (table) => ({ Put: { TableName: `${table}-nope`, Item: key("a") } }));
    expect(outcome).toEqual({ ok: false, name: "ResourceNotFoundException", message: "Cannot do operations on a non-existent table" });
  });

  it("an empty list, an action with two operations and an action with none are ValidationExceptions", async () => {
    const table = await createTable(client, "tx-shape");

    const refused: Array<[TransactWriteItem[], string]> = [
      [[], "Value [] at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"],
      [[{ Put: { TableName: table, Item: key("a") }, Delete: { TableName: table, Key: key("b") } }], "TransactItems can only contain one of Check, Put, Update or Delete"],
      [[{ Put: { TableName: table, Item: key("a") } }, {}], "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request"],
      [
        [{ ConditionCheck: { TableName: table, Key: key("a") } as never }],
        "Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null",
      ],
    ];
    for (const [TransactItems, message] of refused) {
      expect(await write(client, { TransactItems })).toEqual({ ok: false, name: "ValidationException", message });
    }
    expect(await scanSorted(client, table)).toEqual([]);
  });

  it("keys that do not fit the schema: wrong type is a ValidationError reason, a missing key attribute a ValidationException", async () => {
    const { table, outcome: wrongType } = await behindFailingCheck("tx-keys", (keys) => ({ Delete: { TableName: keys, Key: { pk: { N: "1" } } } }));
    expect(wrongType).toMatchObject({
      ok: false,
      name: "TransactionCanceledException",
      reasons: [
        { Code: "ConditionalCheckFailed", Message: `${CONDITION_FAILED}.` },
        { Code: "ValidationError", Message: "One or more parameter values were invalid: Type mismatch for key" },
      ],
    });

    const refused: Array<[TransactWriteItem, string]> = [
      [{ Put: { TableName: table, Item: { other: { S: "x" } } } }, "One of the required keys was not given a value"],
      [{ Delete: { TableName: table, Key: { pk: { S: "a" }, sk: { N: "1" } } } }, "The number of conditions on the keys is invalid"],
    ];
    for (const [action, message] of refused) {
      expect(await write(client, { TransactItems: [action] })).toEqual({ ok: false, name: "ValidationException", message });
    }
  });

  it("an Update of a key attribute cancels the transaction with that one reason", async () => {
    const { outcome } = await behindFailingCheck("tx-key-update", (table) => ({
      Update: { TableName: table, Key: key("b"), UpdateExpression: "SET pk = :v", ExpressionAttributeValues: { ":v": { S: "c" } } },
    }));

    // Not one reason per action: DynamoDB Local rejects this before evaluating any condition.
    expect(outcome).toEqual({
      ok: false,
      name: "TransactionCanceledException",
      message: "Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError]",
      reasons: [{ Code: "ValidationError", Message: "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key" }],
    });
  });

  it("ClientRequestToken: the same request again succeeds without applying twice; another request is refused", async () => {
    const table = await createTable(client, "tx-token");
    const token = `token-${table.slice(-16)}`;
    const increment: TransactWriteItemsCommandInput = {
      ClientRequestToken: token,
      TransactItems: [{ Update: { TableName: table, Key: key("a"), UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": { N: "1" } } } }],
    };

    expect(await write(client, increment)).toEqual({ ok: true, result: {} });
    expect(await write(client, increment)).toEqual({ ok: true, result: {} });
    expect(await getItem(client, table, key("a"))).toEqual({ pk: { S: "a" }, n: { N: "1" } });

    const other = await write(client, { ClientRequestToken: token, TransactItems: [{ Put: { TableName: table, Item: key("b") } }] });
    expect(other).toMatchObject({ ok: false, name: "IdempotentParameterMismatchException" });
    expect(await getItem(client, table, key("b"))).toBeUndefined();
  });

  it("ClientRequestToken: a cancelled transaction leaves no token behind", async () => {
    const table = await createTable(client, "tx-token-cancel");
    await put(client, table, key("a"));
    const token = `cancel-${table.slice(-16)}`;

    const failing = await write(client, {
      ClientRequestToken: token,
      TransactItems: [{ Put: { TableName: table, Item: key("a"), ConditionExpression: "attribute_not_exists(pk)" } }],
    });
    expect(failing).toMatchObject({ ok: false, name: "TransactionCanceledException" });

    const next = await write(client, { ClientRequestToken: token, TransactItems: [{ Put: { TableName: table, Item: key("b") } }] });
    expect(next).toEqual({ ok: true, result: {} });
  });
});

describe("TransactWriteItems on dynalite only", () => {
  it("forgets a ClientRequestToken after the idempotency window (10 minutes by default)", async () => {
    await using ddb = await startDynalite({ idempotencyWindowMs: 100 });
    const table = await createTable(ddb.client, "tx-window");
    const increment: TransactWriteItemsCommandInput = {
      ClientRequestToken: "window",
      TransactItems: [{ Update: { TableName: table, Key: key("a"), UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": { N: "1" } } } }],
    };
    await ddb.client.send(new TransactWriteItemsCommand(increment));
    await ddb.client.send(new TransactWriteItemsCommand(increment));
    expect(await getItem(ddb.client, table, key("a"))).toEqual({ pk: { S: "a" }, n: { N: "1" } });

    await delay(150);
    await ddb.client.send(new TransactWriteItemsCommand(increment));
    expect(await getItem(ddb.client, table, key("a"))).toEqual({ pk: { S: "a" }, n: { N: "2" } });
  });

  it("answers ReturnConsumedCapacity: 2 write units per KB per item, per table (DynamoDB's rule)", async () => {
    await using ddb = await startDynalite();
    const a = await createTable(ddb.client, "tx-capacity-a");
    const b = await createTable(ddb.client, "tx-capacity-b");
    const { ConsumedCapacity } = await ddb.client.send(
      new TransactWriteItemsCommand({
        ReturnConsumedCapacity: "INDEXES",
        TransactItems: [
          { Put: { TableName: a, Item: key("small") } },
          { Put: { TableName: a, Item: { pk: { S: "big" }, v: { S: "x".repeat(1500) } } } },
          { Delete: { TableName: b, Key: key("absent") } },
        ],
      }),
    );
    expect(ConsumedCapacity).toEqual([
      { TableName: a, CapacityUnits: 6, WriteCapacityUnits: 6, Table: { CapacityUnits: 6, WriteCapacityUnits: 6 } },
      { TableName: b, CapacityUnits: 2, WriteCapacityUnits: 2, Table: { CapacityUnits: 2, WriteCapacityUnits: 2 } },
    ]);
  });
});
