import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { expect, it } from "vitest";
import { describeOnEmulators } from "../support/clients.js";
import { capture, createTable, getItem, key } from "./support.js";

// ReturnValuesOnConditionCheckFailure on single-item writes, which dynalite 4.0.0 ignores and
// startDynalite() adds. The expectations are DynamoDB Local 1.25.1's answers; both must give them.
async function seed(client: DynamoDBClient): Promise<string> {
  const table = await createTable(client, "rv-single");
  await client.send(new PutItemCommand({ TableName: table, Item: { ...key("a"), n: { N: "1" } } }));
  return table;
}

describeOnEmulators("ReturnValuesOnConditionCheckFailure on single-item writes", (emulator) => {
  const client = emulator.client();

  it("ALL_OLD returns the stored item with a failed PutItem, UpdateItem and DeleteItem condition, and writes nothing", async () => {
    const table = await seed(client);
    const condition = { ConditionExpression: "n = :two", ExpressionAttributeValues: { ":two": { N: "2" } }, ReturnValuesOnConditionCheckFailure: "ALL_OLD" } as const;
    const put = await capture(client.send(new PutItemCommand({ TableName: table, Item: { ...key("a"), n: { N: "9" } }, ...condition })));
    const update = await capture(
      client.send(new UpdateItemCommand({ TableName: table, Key: key("a"), UpdateExpression: "SET s = :s", ...condition, ExpressionAttributeValues: { ":two": { N: "2" }, ":s": { S: "x" } } })),
    );
    const remove = await capture(client.send(new DeleteItemCommand({ TableName: table, Key: key("a"), ...condition })));
    for (const outcome of [put, update, remove]) {
      expect(outcome).toMatchObject({ ok: false, name: "ConditionalCheckFailedException", item: { ...key("a"), n: { N: "1" } } });
    }
    expect(await getItem(client, table, key("a"))).toEqual({ ...key("a"), n: { N: "1" } });
  });

  it("no item with ALL_OLD when there is none, and none with NONE or without the field", async () => {
    const table = await seed(client);
    const missing = await capture(
      client.send(new DeleteItemCommand({ TableName: table, Key: key("b"), ConditionExpression: "attribute_exists(pk)", ReturnValuesOnConditionCheckFailure: "ALL_OLD" })),
    );
    const none = await capture(
      client.send(new DeleteItemCommand({ TableName: table, Key: key("a"), ConditionExpression: "attribute_not_exists(pk)", ReturnValuesOnConditionCheckFailure: "NONE" })),
    );
    const absent = await capture(client.send(new DeleteItemCommand({ TableName: table, Key: key("a"), ConditionExpression: "attribute_not_exists(pk)" })));
    for (const outcome of [missing, none, absent]) {
      expect(outcome.ok).toBe(false);
      expect(outcome).toMatchObject({ name: "ConditionalCheckFailedException" });
      expect(outcome).not.toHaveProperty("item");
    }
  });

  it("a value other than ALL_OLD or NONE is a ValidationException", async () => {
    const table = await seed(client);
    const outcome = await capture(
      client.send(new DeleteItemCommand({ TableName: table, Key: key("a"), ReturnValuesOnConditionCheckFailure: "ALL_NEW" as never })),
    );
    expect(outcome).toMatchObject({ ok: false, name: "ValidationException" });
    expect(await getItem(client, table, key("a"))).toEqual({ ...key("a"), n: { N: "1" } });
  });
});
