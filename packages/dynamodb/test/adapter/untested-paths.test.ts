import { PutItemCommand, type TransactWriteItemsCommandInput } from "@aws-sdk/client-dynamodb";
import { expect, it } from "vitest";
import { createCompactScope, encodeOffset, isProjectionKitError, isRetryableError, ProjectionKitError, type VersionConflict } from "@projectionkit/core";
import {
  DynamoRequestError,
  dynamoProjection,
  MalformedVersionItemError,
  TransactionCanceledError,
  type DynamoProjectionHandler,
} from "@projectionkit/dynamodb";
import { describeOnEmulators } from "../support/clients.js";
import { injectFault, serviceException } from "../support/faults.js";
import { freshEvent, HANDLER_KEY, itemsHandler, repositoryOf, scope, withClient, type ItemsEvent, worldTables } from "../support/world.js";

const utf8 = new TextEncoder();

describeOnEmulators("paths without a test before", (emulator) => {
  const tables = worldTables(emulator, "untested");

  it("D13: updateResourceVersionAndTransactionItems commits the items with the version in one TransactWriteItems", async () => {
    const world = withClient(tables);
    const repository = repositoryOf(world);
    const resource = utf8.encode(freshEvent().stream);
    const conflicts: VersionConflict[] = [];
    const items = [
      { Put: { TableName: tables.model, Item: { pk: { S: `${resource.length}-a` }, n: { N: "1" } } } },
      { Update: { TableName: tables.model, Key: { pk: { S: `${resource.length}-b` } }, UpdateExpression: "ADD n :two", ExpressionAttributeValues: { ":two": { N: "2" } } } },
    ];
    expect(await repository.updateResourceVersionAndTransactionItems(resource, undefined, encodeOffset(0), items, { onConflict: (c) => conflicts.push(c) })).toBe(true);
    expect(world.log.commands).toEqual(["TransactWriteItemsCommand"]);
    const sent = world.log.inputs[0] as TransactWriteItemsCommandInput;
    expect(sent.TransactItems?.slice(1)).toEqual(items);
    expect(await repository.resourceVersion(resource)).toEqual(encodeOffset(0));
    const model = (await tables.snapshot())[tables.model] ?? [];
    expect(model.filter((item) => item.includes(`"${resource.length}-a"`) || item.includes(`"${resource.length}-b"`))).toHaveLength(2);
    // A stale second call writes nothing and reports the stored version.
    expect(await repository.updateResourceVersionAndTransactionItems(resource, undefined, encodeOffset(0), items, { onConflict: (c) => conflicts.push(c) })).toBe(false);
    expect(conflicts.map((c) => c.storedVersion)).toEqual([encodeOffset(0)]);
  });

  it("H4: a handleEvent that throws: nothing is sent, and its own error propagates", async () => {
    const world = withClient(tables);
    const failure = new Error("handler bug");
    const projection = dynamoProjection(world.client, tables.versions, itemsHandler(() => {
      throw failure;
    }));
    const { resource, current, next, stream } = freshEvent();
    const before = await tables.snapshot();
    await expect(projection.handleEvent(resource, current, next, scope, { type: "Items", id: stream })).rejects.toBe(failure);
    const asyncFailure = dynamoProjection(world.client, tables.versions, itemsHandler(() => Promise.reject(failure)));
    await expect(asyncFailure.handleEvent(resource, current, next, scope, { type: "Items", id: stream })).rejects.toBe(failure);
    expect(world.log.count()).toBe(0);
    expect(await tables.snapshot()).toEqual(before);
  });

  it("H5: a compact that throws: its error propagates, with the client and the signal it was given", async () => {
    const world = withClient(tables);
    const failure = new Error("compaction bug");
    const seen: unknown[] = [];
    const handler: DynamoProjectionHandler<ItemsEvent> = {
      ...itemsHandler(() => []),
      compact: async (client, _scope, options) => {
        seen.push(client, options.signal);
        throw failure;
      },
    };
    const controller = new AbortController();
    const projection = dynamoProjection(world.client, tables.versions, handler);
    await expect(projection.compact(createCompactScope(), { signal: controller.signal })).rejects.toBe(failure);
    expect(seen).toEqual([world.client, controller.signal]);
    expect(world.log.count()).toBe(0);
  });

  it("errors: DynamoRequestError from a real validation failure: code, not retryable, cause, operation, guard", async () => {
    const world = withClient(tables);
    const resource = utf8.encode(freshEvent().stream);
    const error = await repositoryOf(world)
      .updateResourceVersionAndTransactionItems(resource, undefined, encodeOffset(0), [
        { Update: { TableName: tables.model, Key: { pk: { N: "1" } }, UpdateExpression: "SET x = :x", ExpressionAttributeValues: { ":x": { S: "1" } } } },
      ])
      .catch((e: unknown) => e);
    // A key of the wrong type: DynamoDB cancels the transaction with a ValidationError.
    expect(isProjectionKitError(error, "ERR_TRANSACTION_CANCELED"), String(error)).toBe(true);
    const canceled = error as TransactionCanceledError;
    expect(canceled).toBeInstanceOf(TransactionCanceledError);
    expect(canceled.retryable).toBe(false);
    expect(isRetryableError(canceled)).toBe(false);
    expect(canceled.reasons).toEqual([expect.objectContaining({ index: 1, code: "ValidationError" })]);
    expect((canceled.cause as { name?: string }).name).toBe("TransactionCanceledException");
    expect(canceled.message).toContain("action 1: ValidationError");

    const direct = new DynamoRequestError("GetItem", Object.assign(new Error("denied"), { name: "AccessDeniedException" }), false);
    expect(direct).toBeInstanceOf(ProjectionKitError);
    expect(isProjectionKitError(direct, "ERR_DYNAMODB_REQUEST_FAILED")).toBe(true);
    expect(direct).toMatchObject({ operation: "GetItem", serviceErrorName: "AccessDeniedException", retryable: false });
    expect(direct.message).toBe("DynamoDB GetItem failed: denied");

    const throttledByProxy = withClient(tables);
    injectFault(throttledByProxy.client, { command: "GetItemCommand", when: "before", error: serviceException("InternalServerError", {}, 500) });
    const server = await repositoryOf(throttledByProxy).resourceVersion(resource).catch((e: unknown) => e);
    expect(isProjectionKitError(server, "ERR_DYNAMODB_REQUEST_FAILED")).toBe(true);
    expect(server).toMatchObject({ operation: "GetItem", serviceErrorName: "InternalServerError", retryable: true });
  });

  it("errors: MalformedVersionItemError from a version item whose Version is not binary", async () => {
    const world = withClient(tables);
    const resource = utf8.encode(freshEvent().stream);
    const key = new Uint8Array([...utf8.encode(`${HANDLER_KEY} `), ...resource]);
    await world.client.send(new PutItemCommand({ TableName: tables.versions, Item: { HandlerAndResource: { B: key }, Version: { S: "not binary" } } }));
    const error = await repositoryOf(world).resourceVersion(resource).catch((e: unknown) => e);
    expect(isProjectionKitError(error, "ERR_MALFORMED_VERSION_ITEM"), String(error)).toBe(true);
    expect(error).toBeInstanceOf(MalformedVersionItemError);
    expect((error as MalformedVersionItemError).retryable).toBe(false);
    expect((error as Error).message).toContain(tables.versions);
    // The conflict path reads the stored item from the cancellation reason: malformed there too.
    const conflict = await repositoryOf(world)
      .updateResourceVersion(resource, encodeOffset(5), encodeOffset(6), { onConflict: () => {} })
      .catch((e: unknown) => e);
    expect(isProjectionKitError(conflict, "ERR_MALFORMED_VERSION_ITEM")).toBe(true);
  });
});
