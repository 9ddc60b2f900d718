import { expect, it } from "vitest";
import { encodeOffset, isProjectionKitError } from "@projectionkit/core";
import { dynamoProjection, DynamoResourceRepository } from "@projectionkit/dynamodb";
import { describeOnEmulators } from "../support/clients.js";
import { freshEvent, HANDLER_KEY, itemsHandler, scope, withClient, worldTables } from "../support/world.js";

describeOnEmulators("E2 messages", (emulator) => {
  const tables = worldTables(emulator, "badmsg");

  it("a version table that does not exist is named, on the single-write, transaction and repository paths; nothing is written", async () => {
    const world = withClient(tables);
    const missing = `${tables.versions}-missing`;
    const before = await tables.snapshot();
    const calls = [
      () => {
        const { resource, current, next, stream } = freshEvent();
        return dynamoProjection(world.client, missing, itemsHandler(() => [])).handleEvent(resource, current, next, scope, { type: "Items", id: stream });
      },
      () => {
        const { resource, current, next, stream } = freshEvent();
        const items = itemsHandler((event) => [{ Update: { TableName: tables.model, Key: { pk: { S: event.id } }, UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": { N: "1" } } } }]);
        return dynamoProjection(world.client, missing, items).handleEvent(resource, current, next, scope, { type: "Items", id: stream });
      },
      () => new DynamoResourceRepository(world.client, HANDLER_KEY, missing).resourceVersion(new TextEncoder().encode("r")),
      () => new DynamoResourceRepository(world.client, HANDLER_KEY, missing).storeResourceVersion(new TextEncoder().encode("r"), encodeOffset(1)),
    ];
    for (const call of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(isProjectionKitError(error, "ERR_DYNAMODB_REQUEST_FAILED"), String(error)).toBe(true);
      expect((error as Error).message).toContain(missing);
      expect((error as Error).message).toMatch(/does not exist/);
      expect((error as { tables?: readonly string[] }).tables).toContain(missing);
    }
    expect(await tables.snapshot()).toEqual(before);
  });

  it("a 300-character identity name is not echoed whole: a short prefix and its length", () => {
    const name = `n${"x".repeat(299)}`;
    const handler = {
      configure(c: Parameters<ReturnType<typeof itemsHandler>["configure"]>[0]) {
        c.identity(name, HANDLER_KEY);
        c.handlesEvents("Items");
      },
      handleEvent: () => [],
    };
    const error = (() => {
      try {
        dynamoProjection(withClient(tables).client, tables.versions, handler);
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(isProjectionKitError(error), String(error)).toBe(true);
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
    for (const message of messages) {
      expect(message).not.toContain(name);
      expect(message.length).toBeLessThan(200);
    }
    expect(messages.join(" ")).toMatch(/300 characters/);
  });
});
