import type { TransactWriteItem, TransactWriteItemsCommandInput } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { encodeOffset } from "@projectionkit/core";
import { versionItemKey, type RequestDecorators } from "@projectionkit/dynamodb";
import { describeOnEmulators } from "../support/clients.js";
import { expectRefused, freshEvent, OTHER_HANDLER_KEY, projectionOf, repositoryOf, scope, withClient, worldTables, type World } from "../support/world.js";

const put = (table: string, pk: string): TransactWriteItem => ({ Put: { TableName: table, Item: { pk: { S: pk }, n: { N: "1" } } } });
const update = (table: string, pk: string): TransactWriteItem => ({
  Update: {
    TableName: table,
    Key: { pk: { S: pk } },
    UpdateExpression: "ADD n :one",
    ConditionExpression: "attribute_not_exists(locked)",
    ExpressionAttributeValues: { ":one": { N: "1" } },
  },
});

describeOnEmulators("decorators of the adapter's requests", (emulator) => {
  const tables = worldTables(emulator, "baddecor");

  /** A projection whose events write two read-model items, decorated with `decorators`. */
  function decorated(decorators: RequestDecorators): { world: World; handle: () => Promise<boolean> } {
    const world = withClient(tables);
    const projection = projectionOf(world, (event) => [put(world.model, `${event.id}-a`), update(world.model, `${event.id}-b`)], { decorators });
    const { resource, current, next, stream } = freshEvent();
    return { world, handle: () => projection.handleEvent(resource, current, next, scope, { type: "Items", id: stream }) };
  }

  type Items = NonNullable<TransactWriteItemsCommandInput["TransactItems"]>;
  const items = (input: TransactWriteItemsCommandInput): Items => input.TransactItems as Items;

  describe("D14: a transactWriteItems decorator may only append items and set request-level fields", () => {
    const changesItems: Array<[string, RequestDecorators["transactWriteItems"]]> = [
      ["drops the projection's items", (input) => void items(input).splice(1)],
      ["drops one item", (input) => void items(input).splice(2, 1)],
      ["reorders the projection's items", (input) => void items(input).splice(1, 2, items(input)[2] as TransactWriteItem, items(input)[1] as TransactWriteItem)],
      ["replaces an item", (input) => void (items(input)[1] = put(tables.model, "replaced"))],
      ["retargets an item's TableName", (input) => void ((items(input)[1]?.Put as { TableName: string }).TableName = tables.composite)],
      ["retargets an item's Key", (input) => void ((items(input)[2]?.Update as { Key: unknown }).Key = { pk: { S: "elsewhere" } })],
      ["removes an item's condition", (input) => void delete items(input)[2]?.Update?.ConditionExpression],
      ["changes an item's values", (input) => void ((items(input)[2]?.Update as { ExpressionAttributeValues: unknown }).ExpressionAttributeValues = { ":one": { N: "100" } })],
      ["returns a new input without the items", (input) => ({ ...input, TransactItems: items(input).slice(0, 1) })],
    ];
    for (const [what, decorator] of changesItems) {
      it(`D14: a decorator that ${what} is refused with ERR_DECORATOR_CHANGED_ITEMS; no request, nothing written`, async () => {
        const { world, handle } = decorated({ transactWriteItems: decorator });
        const error = await expectRefused(world, "ERR_DECORATOR_CHANGED_ITEMS" as never, handle);
        expect((error as { operation?: string }).operation).toBe("transactWriteItems");
      });
    }

    it("D14: a decorator that moves or drops the version write is refused with ERR_DECORATOR_BROKE_VERSION_CHECK", async () => {
      for (const decorator of [
        (input: TransactWriteItemsCommandInput) => void items(input).reverse(),
        (input: TransactWriteItemsCommandInput) => void items(input).shift(),
        (input: TransactWriteItemsCommandInput) => void (input.ClientRequestToken = "00000000-0000-0000-0000-000000000000"),
      ]) {
        const { world, handle } = decorated({ transactWriteItems: decorator });
        await expectRefused(world, "ERR_DECORATOR_BROKE_VERSION_CHECK", handle);
      }
    });

    it("D14: an appended item on the version table (another handler's version) is refused; nothing written", async () => {
      const otherVersion = versionItemKey(OTHER_HANDLER_KEY, new TextEncoder().encode("victim"));
      const { world, handle } = decorated({
        transactWriteItems: (input) =>
          void items(input).push({ Delete: { TableName: tables.versions, Key: { HandlerAndResource: { B: otherVersion } } } }),
      });
      await expectRefused(world, "ERR_VERSION_ITEM_TOUCHED", handle);
    });

    it("D15: an appended item goes through the same limit checks (an item over 400 KB)", async () => {
      const { world, handle } = decorated({
        transactWriteItems: (input) => void items(input).push({ Put: { TableName: tables.model, Item: { pk: { S: "big" }, blob: { S: "x".repeat(409_600) } } } }),
      });
      await expectRefused(world, "ERR_ITEM_TOO_LARGE" as never, handle);
    });

    it("D11: request-level fields and appended items are allowed: the commit goes through with them", async () => {
      const { world, handle } = decorated({
        transactWriteItems: (input) => {
          input.ReturnConsumedCapacity = "INDEXES";
          input.ReturnItemCollectionMetrics = "SIZE";
          items(input).push({ ConditionCheck: { TableName: tables.composite, Key: { pk: { S: "x" }, sk: { S: "y" } }, ConditionExpression: "attribute_not_exists(pk)" } });
        },
      });
      expect(await handle()).toBe(true);
      const sent = world.log.inputs[world.log.commands.indexOf("TransactWriteItemsCommand")] as TransactWriteItemsCommandInput;
      expect(sent.ReturnConsumedCapacity).toBe("INDEXES");
      expect(sent.TransactItems).toHaveLength(4);
    });
  });

  describe("D11/D14: decorators of the single-item version writes cannot retarget them", () => {
    const retarget = (input: { TableName?: string | undefined }) => {
      input.TableName = tables.decoy;
    };

    it("D14: putItem, updateItem and deleteItem decorators that change TableName are refused; the decoy table stays empty", async () => {
      const world = withClient(tables);
      const plain = projectionOf(world, () => []);
      const { resource, current, next } = freshEvent();
      expect(await plain.handleEvent(resource, current, next, scope, { type: "Items", id: "created" })).toBe(true);
      const projectionWith = (decorators: RequestDecorators) => projectionOf(world, () => [], { decorators });
      const created = freshEvent();
      const empty = new Uint8Array();
      const calls: Array<() => Promise<unknown>> = [
        // PutItem: creating a version without items.
        () => projectionWith({ putItem: retarget }).handleEvent(created.resource, created.current, created.next, scope, { type: "Items", id: "p" }),
        // UpdateItem: advancing it.
        () => projectionWith({ updateItem: retarget }).handleEvent(resource, next, encodeOffset(1), scope, { type: "Items", id: "u" }),
        // DeleteItem: deleting it.
        () => projectionWith({ deleteItem: retarget }).handleEvent(resource, next, empty, scope, { type: "Items", id: "d" }),
        // GetItem: both versions empty, a check that the resource is absent.
        () => projectionWith({ getItem: retarget }).handleEvent(created.resource, empty, empty, scope, { type: "Items", id: "g" }),
      ];
      for (const call of calls) {
        await expectRefused(world, "ERR_DECORATOR_BROKE_VERSION_CHECK", call);
      }
    });

    it("D14: the repository's getItem, putItem and deleteItem decorators cannot retarget its requests either", async () => {
      const world = withClient(tables);
      const resource = new TextEncoder().encode(freshEvent().stream);
      await repositoryOf(world).storeResourceVersion(resource, encodeOffset(3));
      await expectRefused(world, "ERR_DECORATOR_BROKE_VERSION_CHECK", () => repositoryOf(world, { decorators: { getItem: retarget } }).resourceVersion(resource));
      await expectRefused(world, "ERR_DECORATOR_BROKE_VERSION_CHECK", () => repositoryOf(world, { decorators: { putItem: retarget } }).storeResourceVersion(resource, encodeOffset(4)));
      await expectRefused(world, "ERR_DECORATOR_BROKE_VERSION_CHECK", () => repositoryOf(world, { decorators: { deleteItem: retarget } }).deleteResource(resource));
      await expectRefused(world, "ERR_DECORATOR_BROKE_VERSION_CHECK", () =>
        repositoryOf(world, { decorators: { getItem: (input) => void (input.ProjectionExpression = "CommitToken") } }).resourceVersion(resource),
      );
    });

    it("D11: a single-write decorator may set ReturnConsumedCapacity", async () => {
      const world = withClient(tables);
      const { resource, current, next } = freshEvent();
      const projection = projectionOf(world, () => [], { decorators: { putItem: (input) => void (input.ReturnConsumedCapacity = "TOTAL") } });
      expect(await projection.handleEvent(resource, current, next, scope, { type: "Items", id: "rcc" })).toBe(true);
      expect(world.log.commands).toEqual(["PutItemCommand"]);
    });
  });

  describe("E2: a decorator that returns something other than nothing or an input object", () => {
    it("E2: a decorator returning a Promise is told so (it runs synchronously), not that it broke the version check", async () => {
      const { world, handle } = decorated({ transactWriteItems: (async (input: TransactWriteItemsCommandInput) => input) as never });
      const error = await expectRefused(world, "ERR_INVALID_ARGUMENT", handle);
      expect(error.message).toMatch(/options\.decorators\.transactWriteItems/);
      expect(error.message).toMatch(/Promise/);
      expect(error.message).toMatch(/synchronous/);
    });

    it("E2: a decorator returning a number or an array names the type it returned", async () => {
      const world = withClient(tables);
      const resource = new TextEncoder().encode(freshEvent().stream);
      const number = await expectRefused(world, "ERR_INVALID_ARGUMENT", () =>
        repositoryOf(world, { decorators: { getItem: [() => undefined, (() => 42) as never] } }).resourceVersion(resource),
      );
      expect(number.message).toMatch(/options\.decorators\.getItem\[1\]/);
      expect(number.message).toMatch(/got number/);
      const { world: other, handle } = decorated({ transactWriteItems: (() => []) as never });
      const array = await expectRefused(other, "ERR_INVALID_ARGUMENT", handle);
      expect(array.message).toMatch(/got Array/);
    });
  });
});
