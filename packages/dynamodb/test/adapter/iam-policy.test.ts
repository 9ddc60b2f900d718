import { readFileSync } from "node:fs";
import { DeleteTableCommand, type TransactWriteItem, type TransactWriteItemsCommandInput } from "@aws-sdk/client-dynamodb";
import { expect, it } from "vitest";
import { createEventScope, encodeOffset } from "@projectionkit/core";
import { createTable, deleteTable, dynamoProjection, DynamoResourceRepository } from "@projectionkit/dynamodb";
import { describeOnEmulators, uniqueTableName } from "../support/clients.js";
import { logRequests } from "../support/faults.js";
import { HANDLER_KEY, itemsHandler } from "../support/world.js";
import { createStringKeyTable } from "../../../../test/support/dynamodb-tables.js";

interface Statement {
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
}

/** The IAM policy of the package README (the JSON block of its "Permissions (IAM)" section). */
function readmePolicy(): readonly Statement[] {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Permissions (IAM)"));
  const json = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (json === undefined) throw new Error("the README has no JSON policy in its Permissions (IAM) section");
  return (JSON.parse(json) as { Statement: Statement[] }).Statement;
}

const list = (value: string | readonly string[]) => (typeof value === "string" ? [value] : value);

/** IAM action and table of each action DynamoDB authorises for a request as the client sent it. */
function authorisedActions(command: string, input: unknown): Array<readonly [string, string]> {
  const operation = command.replace(/Command$/, "");
  if (operation === "TransactWriteItems") {
    return ((input as TransactWriteItemsCommandInput).TransactItems ?? []).map((item: TransactWriteItem) => {
      if (item.Put) return [`dynamodb:PutItem`, item.Put.TableName as string] as const;
      if (item.Update) return [`dynamodb:UpdateItem`, item.Update.TableName as string] as const;
      if (item.Delete) return [`dynamodb:DeleteItem`, item.Delete.TableName as string] as const;
      return [`dynamodb:ConditionCheckItem`, item.ConditionCheck?.TableName as string] as const;
    });
  }
  return [[`dynamodb:${operation}`, (input as { TableName: string }).TableName]];
}

describeOnEmulators("least privilege: the adapter sends only what the README's IAM policy allows", (emulator) => {


  it("every call of the adapter, recorded on the wire, is allowed by the policy, and every action the policy lists is used", async () => {
    const client = emulator.client();
    const log = logRequests(client);
    const setup = emulator.client();
    const versions = uniqueTableName("iam-versions");
    const model = uniqueTableName("iam-balances");
    const scope = createEventScope();
    const utf8 = new TextEncoder();
    const itemsFor = (id: string): TransactWriteItem[] => {
      const Key = { pk: { S: id } };
      return [
        { Put: { TableName: model, Item: { pk: { S: `${id}-put` }, n: { N: "1" } } } },
        { Update: { TableName: model, Key, UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": { N: "1" } } } },
        { Delete: { TableName: model, Key: { pk: { S: `${id}-gone` } } } },
        { ConditionCheck: { TableName: model, Key: { pk: { S: `${id}-absent` } }, ConditionExpression: "attribute_not_exists(pk)" } },
      ];
    };

    await createTable(client, versions);
    await createStringKeyTable(setup, model);
    const withItems = dynamoProjection(client, versions, itemsHandler((event) => itemsFor(event.id)));
    const withoutItems = dynamoProjection(client, versions, itemsHandler(() => []));
    // No keySchemas, and no Key of the table in the transaction: the Put needs DescribeTable.
    const putOnly = dynamoProjection(client, versions, itemsHandler((e) => [{ Put: { TableName: model, Item: { pk: { S: e.id } } } }]));
    const repository = new DynamoResourceRepository(client, HANDLER_KEY, versions);
    const onRequest = () => {};
    const [a, b, c, d, e] = ["a", "b", "c", "d", "e"].map((name) => utf8.encode(name)) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const empty = new Uint8Array();
    const event = (id: string) => ({ type: "Items" as const, id });
    // With items: the version write as Put, Update, Delete and ConditionCheck in TransactWriteItems.
    expect(await withItems.handleEvent(a, empty, encodeOffset(0), scope, event("a0"), { onRequest })).toBe(true);
    expect(await withItems.handleEvent(a, encodeOffset(0), encodeOffset(1), scope, event("a1"))).toBe(true);
    expect(await withItems.handleEvent(a, encodeOffset(1), empty, scope, event("a2"))).toBe(true);
    expect(await withItems.handleEvent(b, empty, empty, scope, event("b0"))).toBe(true);
    expect(await putOnly.handleEvent(e, empty, encodeOffset(0), scope, event("e0"))).toBe(true);
    const batch = [0, 1, 2].map((i) => ({ current: i === 0 ? empty : encodeOffset(i - 1), next: encodeOffset(i), scope, event: event(`c${i}`) }));
    expect((await withItems.handleEventBatch(c, batch)).applied).toBe(3);
    // Without items: PutItem, UpdateItem, DeleteItem and GetItem on the version table.
    expect(await withoutItems.handleEvent(d, empty, encodeOffset(0), scope, event("d0"))).toBe(true);
    expect(await withoutItems.handleEvent(d, encodeOffset(0), encodeOffset(1), scope, event("d1"))).toBe(true);
    expect(await withoutItems.handleEvent(d, encodeOffset(1), empty, scope, event("d2"))).toBe(true);
    expect(await withoutItems.handleEvent(d, empty, empty, scope, event("d3"))).toBe(true);
    expect(await withoutItems.resourceVersion(c)).toEqual(encodeOffset(2));
    await withoutItems.closeResource(c);
    // The repository.
    await repository.storeResourceVersion(a, encodeOffset(5), { onRequest });
    expect(await repository.updateResourceVersion(a, encodeOffset(5), encodeOffset(6))).toBe(true);
    expect(await repository.updateResourceVersionAndTransactionItems(a, encodeOffset(6), encodeOffset(7), itemsFor("r"))).toBe(true);
    await repository.storeResourceVersion(a, empty);
    await repository.deleteResource(b);
    expect(await repository.resourceVersion(a)).toEqual(empty);
    await deleteTable(client, versions);
    await setup.send(new DeleteTableCommand({ TableName: model }));

    const roles = new Map([
      [versions, "table/ProjectionVersions"],
      [model, "table/Balances"],
    ]);
    const used = new Set(
      log.commands.flatMap((command, index) => authorisedActions(command, log.inputs[index]).map(([action, table]) => `${action} on ${roles.get(table) ?? table}`)),
    );
    const allowed = new Set(
      readmePolicy().flatMap((statement) =>
        list(statement.Resource).flatMap((resource) => list(statement.Action).map((action) => `${action} on ${resource.slice(resource.indexOf("table/"))}`)),
      ),
    );
    expect([...used].filter((action) => !allowed.has(action))).toEqual([]);
    expect([...allowed].filter((action) => !used.has(action))).toEqual([]);
    expect(used.size).toBe(13);
  });
});
