import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { expect, it } from "vitest";
import { encodeOffset, isProjectionKitError } from "@projectionkit/core";
import { dynamoProjection, versionItemKey } from "@projectionkit/dynamodb";
import { describeOnEmulators } from "../support/clients.js";
import { expectRefused, freshEvent, HANDLER_KEY, itemsHandler, OTHER_HANDLER_KEY, projectionOf, repositoryOf, scope, withClient, worldTables } from "../support/world.js";

const utf8 = new TextEncoder();

/** The four kinds of action on a version item, as a projection could return them. */
function actionsOn(table: string, key: Uint8Array): Array<[string, TransactWriteItem]> {
  const Key = { HandlerAndResource: { B: key } };
  return [
    ["Put", { Put: { TableName: table, Item: { ...Key, Version: { B: new Uint8Array() } } } }],
    ["Update", { Update: { TableName: table, Key, UpdateExpression: "SET Version = :v", ExpressionAttributeValues: { ":v": { B: encodeOffset(0) } } } }],
    ["Delete", { Delete: { TableName: table, Key } }],
    ["ConditionCheck", { ConditionCheck: { TableName: table, Key, ConditionExpression: "attribute_exists(Version)" } }],
  ];
}

describeOnEmulators("D14: the version table belongs to the adapter: a projection item on it is refused before sending", (emulator) => {
  const tables = worldTables(emulator, "badvtable");

  it("D14: Put, Update, Delete and ConditionCheck on ANOTHER resource's version item of the same handler", async () => {
    const world = withClient(tables);
    const victim = utf8.encode(freshEvent().stream);
    await repositoryOf(world).storeResourceVersion(victim, encodeOffset(41));
    for (const [kind, action] of actionsOn(tables.versions, versionItemKey(HANDLER_KEY, victim))) {
      const projection = projectionOf(world, (event) => [{ Put: { TableName: tables.model, Item: { pk: { S: event.id } } } }, action]);
      const { resource, current, next } = freshEvent();
      const error = await expectRefused(world, "ERR_VERSION_ITEM_TOUCHED", () => projection.handleEvent(resource, current, next, scope, { type: "Items", id: kind }));
      expect(error.index).toBe(1);
      expect(error.table).toBe(tables.versions);
    }
    expect(await repositoryOf(world).resourceVersion(victim)).toEqual(encodeOffset(41));
  });

  it("D14: the same actions on ANOTHER handler's version item of the same resource", async () => {
    const world = withClient(tables);
    const { resource, current, next, stream } = freshEvent();
    await repositoryOf(world, undefined, OTHER_HANDLER_KEY).storeResourceVersion(resource, encodeOffset(7));
    for (const [kind, action] of actionsOn(tables.versions, versionItemKey(OTHER_HANDLER_KEY, resource))) {
      const projection = projectionOf(world, () => [action]);
      await expectRefused(world, "ERR_VERSION_ITEM_TOUCHED", () => projection.handleEvent(resource, current, next, scope, { type: "Items", id: `${stream}-${kind}` }));
    }
    expect(await repositoryOf(world, undefined, OTHER_HANDLER_KEY).resourceVersion(resource)).toEqual(encodeOffset(7));
  });

  it("D14: an item on the version table with another key attribute (a read model sharing its name) is refused, not sent", async () => {
    // One name is one table: a "read model" of the version table's name IS the version table. An
    // item keyed by another attribute would be rejected by DynamoDB; one keyed by the version key
    // attribute could overwrite any handler's version. Neither is sent.
    const world = withClient(tables);
    for (const action of [
      { Put: { TableName: tables.versions, Item: { pk: { S: "read-model-row" }, total: { N: "1" } } } },
      { Update: { TableName: tables.versions, Key: { pk: { S: "read-model-row" } }, UpdateExpression: "ADD total :one", ExpressionAttributeValues: { ":one": { N: "1" } } } },
      { Put: { TableName: tables.versions, Item: { HandlerAndResource: { B: utf8.encode("not-a-handler-key x") }, total: { N: "1" } } } },
    ] satisfies TransactWriteItem[]) {
      const projection = projectionOf(world, () => [action]);
      const { resource, current, next, stream } = freshEvent();
      await expectRefused(world, "ERR_VERSION_ITEM_TOUCHED", () => projection.handleEvent(resource, current, next, scope, { type: "Items", id: stream }));
    }
  });

  it("D14: the version table named by its ARN is the version table too", async () => {
    const world = withClient(tables);
    const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${tables.versions}`;
    const projection = projectionOf(world, (event) => [{ Delete: { TableName: arn, Key: { HandlerAndResource: { B: utf8.encode(`${OTHER_HANDLER_KEY} ${event.id}`) } } } }]);
    const { resource, current, next, stream } = freshEvent();
    await expectRefused(world, "ERR_VERSION_ITEM_TOUCHED", () => projection.handleEvent(resource, current, next, scope, { type: "Items", id: stream }));
  });

  it("D14: the repository's updateResourceVersionAndTransactionItems refuses them too, with no request", async () => {
    const world = withClient(tables);
    const { resource, current, next } = freshEvent();
    const [, del] = actionsOn(tables.versions, versionItemKey(OTHER_HANDLER_KEY, resource))[2] as [string, TransactWriteItem];
    await expectRefused(world, "ERR_VERSION_ITEM_TOUCHED", () => repositoryOf(world).updateResourceVersionAndTransactionItems(resource, current, next, [del]));
  });

  it("D14/B1: in a batch the event with such an item stops it there: the runs before it commit, it and the rest are not sent", async () => {
    const world = withClient(tables);
    const { resource } = freshEvent();
    await repositoryOf(world, undefined, OTHER_HANDLER_KEY).storeResourceVersion(resource, encodeOffset(7));
    const [, del] = actionsOn(tables.versions, versionItemKey(OTHER_HANDLER_KEY, resource))[2] as [string, TransactWriteItem];
    const good = (id: string): TransactWriteItem[] => [{ Put: { TableName: tables.model, Item: { pk: { S: `${id}-${resource.length}-${Math.random()}` } } } }];
    const projection = dynamoProjection(
      world.client,
      world.versions,
      itemsHandler((event) => (event.id === "bad" ? [del] : good(event.id))),
      { keySchemas: { [tables.model]: ["pk"] } },
    );
    const deliveries = ["good-1", "bad", "good-2"].map((id, index) => ({ current: index === 0 ? new Uint8Array() : encodeOffset(index - 1), next: encodeOffset(index), scope, event: { type: "Items" as const, id } }));
    world.log.reset();
    const result = await projection.handleEventBatch(resource, deliveries);
    expect(result).toMatchObject({ applied: 1, requests: 1, stopped: { index: 1, reason: "error" } });
    expect(isProjectionKitError((result.stopped as { error: unknown }).error, "ERR_VERSION_ITEM_TOUCHED")).toBe(true);
    expect(world.log.commands).toEqual(["TransactWriteItemsCommand"]);
    expect(await repositoryOf(world, undefined, OTHER_HANDLER_KEY).resourceVersion(resource)).toEqual(encodeOffset(7));
    expect(await repositoryOf(world).resourceVersion(resource)).toEqual(encodeOffset(0));
  });
});
