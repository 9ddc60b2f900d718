import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { expect, it } from "vitest";
import { encodeOffset, isProjectionKitError } from "@projectionkit/core";
import { describeOnEmulators } from "../support/clients.js";
import { injectFault, serviceException } from "../support/faults.js";
import { expectRefused, freshEvent, projectionOf, scope, withClient, worldTables, type World } from "../support/world.js";

const put = (table: string, item: Record<string, { S: string }>): TransactWriteItem => ({ Put: { TableName: table, Item: item } });

/** Handles one fresh event whose items are `items`, on `world`'s client. */
async function handle(world: World, items: TransactWriteItem[], options?: Parameters<typeof projectionOf>[2]): Promise<unknown> {
  const { resource, current, next, stream } = freshEvent();
  return projectionOf(world, () => items, options).handleEvent(resource, current, next, scope, { type: "Items", id: stream });
}

/** Like {@link expectRefused}, but the only requests allowed are the DescribeTable calls listed. */
async function expectRefusedAfterDescribe(world: World, code: string, describes: number, call: () => Promise<unknown>): Promise<unknown> {
  const before = await world.snapshot();
  world.log.reset();
  const error = await call().catch((e: unknown) => e);
  expect(isProjectionKitError(error, code as never), String(error)).toBe(true);
  expect(world.log.commands).toEqual(Array.from({ length: describes }, () => "DescribeTableCommand"));
  expect(await world.snapshot()).toEqual(before);
  return error;
}

describeOnEmulators("D15: item limits are checked before sending, with or without keySchemas", (emulator) => {
  const tables = worldTables(emulator, "badlimits");

  it("D15: two identical Puts without keySchemas: ERR_DUPLICATE_ITEM, no request at all", async () => {
    const world = withClient(tables);
    await expectRefused(world, "ERR_DUPLICATE_ITEM", () => handle(world, [put(tables.model, { pk: { S: "same" } }), put(tables.model, { pk: { S: "same" } })]));
  });

  it("D15: two Puts of one key with other attributes, no keySchemas: ONE DescribeTable learns the key, then ERR_DUPLICATE_ITEM; the schema is cached", async () => {
    const world = withClient(tables);
    const twoPuts = [put(tables.composite, { pk: { S: "a" }, sk: { S: "b" }, x: { S: "1" } }), put(tables.composite, { pk: { S: "a" }, sk: { S: "b" }, x: { S: "2" } })];
    await expectRefusedAfterDescribe(world, "ERR_DUPLICATE_ITEM", 1, () => handle(world, twoPuts));
    // Cached for the client: the same mistake again costs no request, and a good event only its write.
    await expectRefused(world, "ERR_DUPLICATE_ITEM", () => handle(world, twoPuts));
    world.log.reset();
    expect(await handle(world, [put(tables.composite, { pk: { S: "a" }, sk: { S: "c" } })])).toBe(true);
    expect(world.log.commands).toEqual(["TransactWriteItemsCommand"]);
  });

  it("D15: keySchemas naming the table: no DescribeTable", async () => {
    const world = withClient(tables);
    const twoPuts = [put(tables.composite, { pk: { S: "a" }, sk: { S: "b" }, x: { S: "1" } }), put(tables.composite, { pk: { S: "a" }, sk: { S: "b" } })];
    await expectRefused(world, "ERR_DUPLICATE_ITEM", () => handle(world, twoPuts, { keySchemas: { [tables.composite]: ["pk", "sk"] } }));
  });

  it("D15: a failed DescribeTable does not poison the cache: the next call asks again and succeeds", async () => {
    const world = withClient(tables);
    const fault = injectFault(world.client, { command: "DescribeTableCommand", when: "before", error: serviceException("AccessDeniedException") });
    const error = await handle(world, [put(tables.model, { pk: { S: "p1" } })]).catch((e: unknown) => e);
    expect(fault.injected).toBe(1);
    expect(isProjectionKitError(error, "ERR_DYNAMODB_REQUEST_FAILED"), String(error)).toBe(true);
    expect(String((error as Error).message)).toContain(tables.model);
    expect(String((error as Error).message)).toContain("DescribeTable");
    world.log.reset();
    expect(await handle(world, [put(tables.model, { pk: { S: "p2" } })])).toBe(true);
    expect(world.log.commands).toEqual(["DescribeTableCommand", "TransactWriteItemsCommand"]);
  });

  it("D15: concurrent first calls share ONE DescribeTable per table and client", async () => {
    const world = withClient(tables);
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => handle(world, [put(tables.model, { pk: { S: `c-${i}` } })])));
    expect(results).toEqual([true, true, true, true, true]);
    expect(world.log.count("DescribeTableCommand")).toBe(1);
  });

  it("D15: an item over 400 KB is ERR_ITEM_TOO_LARGE; exactly 400 KB (409,600 bytes) is accepted", async () => {
    const world = withClient(tables);
    // pk (2) + "a" (1) + blob (4) + the blob's bytes
    const error = await expectRefused(world, "ERR_ITEM_TOO_LARGE" as never, () => handle(world, [put(tables.model, { pk: { S: "a" }, blob: { S: "x".repeat(409_600 - 7 + 1) } })]));
    expect(error).toMatchObject({ index: 0, table: tables.model, bytes: 409_601, limit: 409_600 });
    expect(await handle(world, [put(tables.model, { pk: { S: "b" }, blob: { S: "x".repeat(409_600 - 7) } })], { keySchemas: { [tables.model]: ["pk"] } })).toBe(true);
  });

  it("D15: a partition key over 2048 bytes is ERR_KEY_TOO_LARGE (Put, Update, Delete, ConditionCheck)", async () => {
    const world = withClient(tables);
    const key = { pk: { S: "p".repeat(2049) } };
    for (const action of [
      put(tables.model, key),
      { Update: { TableName: tables.model, Key: key, UpdateExpression: "SET x = :x", ExpressionAttributeValues: { ":x": { S: "1" } } } },
      { Delete: { TableName: tables.model, Key: key } },
      { ConditionCheck: { TableName: tables.model, Key: key, ConditionExpression: "attribute_not_exists(pk)" } },
    ] satisfies TransactWriteItem[]) {
      const error = await expectRefused(world, "ERR_KEY_TOO_LARGE" as never, () => handle(world, [action], { keySchemas: { [tables.model]: ["pk"] } }));
      expect(error).toMatchObject({ attribute: "pk", bytes: 2049, limit: 2048 });
    }
  });

  it("D15: a sort key over 1024 bytes is ERR_KEY_TOO_LARGE; the key order comes from keySchemas or one DescribeTable", async () => {
    const world = withClient(tables);
    const key = { pk: { S: "p".repeat(1500) }, sk: { S: "s".repeat(1025) } };
    const update: TransactWriteItem = { Update: { TableName: tables.composite, Key: key, UpdateExpression: "SET x = :x", ExpressionAttributeValues: { ":x": { S: "1" } } } };
    const error = await expectRefusedAfterDescribe(world, "ERR_KEY_TOO_LARGE", 1, () => handle(world, [update]));
    expect(error).toMatchObject({ attribute: "sk", bytes: 1025, limit: 1024 });
    await expectRefused(world, "ERR_KEY_TOO_LARGE" as never, () => handle(world, [put(tables.composite, key)]));
    // A 1500-byte partition key with a short sort key is fine.
    expect(await handle(world, [put(tables.composite, { pk: { S: "p".repeat(1500) }, sk: { S: "s" } })])).toBe(true);
  });

  it("D10/D15: a batch plans with the learnt key schema: two events that Put one item go in two transactions", async () => {
    const world = withClient(tables);
    const { resource, stream } = freshEvent();
    const projection = projectionOf(world, (event) => [put(tables.composite, { pk: { S: stream }, sk: { S: "same" }, by: { S: event.id } })]);
    const deliveries = ["e0", "e1"].map((id, index) => ({ current: index === 0 ? new Uint8Array() : encodeOffset(index - 1), next: encodeOffset(index), scope, event: { type: "Items" as const, id } }));
    const result = await projection.handleEventBatch(resource, deliveries);
    expect(result).toEqual({ applied: 2, requests: 2, stopped: undefined });
    expect(world.log.commands).toEqual(["DescribeTableCommand", "TransactWriteItemsCommand", "TransactWriteItemsCommand"]);
  });

  it("messages: a read-model table that does not exist is named in the error, and nothing is written", async () => {
    const world = withClient(tables);
    const missing = `${tables.model}-missing`;
    const error = await expectRefusedAfterDescribe(world, "ERR_DYNAMODB_REQUEST_FAILED", 1, () => handle(world, [put(missing, { pk: { S: "a" } })]));
    expect((error as Error).message).toContain(missing);
    expect((error as { retryable: boolean }).retryable).toBe(false);
  });
});
