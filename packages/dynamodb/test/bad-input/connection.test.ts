import { afterAll, expect, it } from "vitest";
import { encodeOffset, isProjectionKitError, isRetryableError } from "@projectionkit/core";
import { DynamoResourceRepository } from "@projectionkit/dynamodb";
import { createDynamoDBLocalClient } from "@projectionkit/dynamodb-testing";
import { describeOnEmulators } from "../support/clients.js";
import { logRequests } from "../support/faults.js";
import { closedPort, startLosingProxy, unresolvableAgent, type LosingProxy } from "../support/network.js";
import { freshEvent, HANDLER_KEY, itemsHandler, scope, withClient, worldTables } from "../support/world.js";
import { dynamoProjection } from "@projectionkit/dynamodb";

const putItem = (table: string) => (event: { id: string }) => [{ Put: { TableName: table, Item: { pk: { S: event.id } } } }];

/** Clients whose requests never reach DynamoDB: a refused connection and a name that does not resolve. */
async function unreachableClients(maxAttempts: number) {
  return [
    { why: "connection refused", client: createDynamoDBLocalClient(`http://127.0.0.1:${await closedPort()}`, { maxAttempts }) },
    { why: "name not resolved", client: createDynamoDBLocalClient("http://dynamodb.projectionkit.invalid:8000", { maxAttempts, requestHandler: { httpAgent: unresolvableAgent() } }) },
  ];
}

describeOnEmulators("E3: a request that provably never reached DynamoDB is retryable and never ambiguous", (emulator) => {
  const tables = worldTables(emulator, "badconn");
  let proxy: LosingProxy | undefined;

  afterAll(async () => {
    await proxy?.close();
  });

  for (const maxAttempts of [1, 3]) {
    it(`E3: transaction and single-write paths, SDK maxAttempts ${maxAttempts}: ERR_DYNAMODB_REQUEST_FAILED, retryable, one adapter attempt`, async () => {
      for (const { why, client } of await unreachableClients(maxAttempts)) {
        const log = logRequests(client);
        const before = await tables.snapshot();
        const projection = dynamoProjection(client, tables.versions, itemsHandler(putItem(tables.model)), { maxCommitAttempts: 3, keySchemas: { [tables.model]: ["pk"] } });
        const noItems = dynamoProjection(client, tables.versions, itemsHandler(() => []), { maxCommitAttempts: 3 });
        for (const target of [projection, noItems]) {
          const { resource, current, next, stream } = freshEvent();
          const error = await target.handleEvent(resource, current, next, scope, { type: "Items", id: stream }).catch((e: unknown) => e);
          expect(isProjectionKitError(error, "ERR_DYNAMODB_REQUEST_FAILED"), `${why}: ${String(error)}`).toBe(true);
          expect(isProjectionKitError(error, "ERR_AMBIGUOUS_COMMIT")).toBe(false);
          expect(isRetryableError(error)).toBe(true);
          expect((error as { cause?: { code?: string } }).cause?.code).toBe(why === "connection refused" ? "ECONNREFUSED" : "ENOTFOUND");
        }
        // The adapter did not retry what could not have committed: one send per call.
        expect(log.count(), why).toBe(2);
        expect(await tables.snapshot()).toEqual(before);
      }
    });
  }

  it("E3: the repository's reads and writes report a refused connection as retryable", async () => {
    for (const { client } of await unreachableClients(1)) {
      const repository = new DynamoResourceRepository(client, HANDLER_KEY, tables.versions);
      const resource = new TextEncoder().encode("r");
      for (const call of [() => repository.resourceVersion(resource), () => repository.updateResourceVersion(resource, undefined, encodeOffset(0)), () => repository.deleteResource(resource)]) {
        const error = await call().catch((e: unknown) => e);
        expect(isProjectionKitError(error, "ERR_DYNAMODB_REQUEST_FAILED"), String(error)).toBe(true);
        expect(isRetryableError(error)).toBe(true);
      }
    }
  });

  it("E3/D8: an attempt whose answer was lost, then a refused connection: still ambiguous, and the retry of the event is answered false", async () => {
    proxy = await startLosingProxy(await emulator.endpoint());
    const client = createDynamoDBLocalClient(proxy.endpoint, { maxAttempts: 1 });
    const world = withClient(tables);
    const projection = dynamoProjection(client, tables.versions, itemsHandler(putItem(tables.model)), { keySchemas: { [tables.model]: ["pk"] } });
    const { resource, current, next, stream } = freshEvent();
    proxy.loseNextAnswer();
    const error = await projection.handleEvent(resource, current, next, scope, { type: "Items", id: stream }).catch((e: unknown) => e);
    expect(isProjectionKitError(error, "ERR_AMBIGUOUS_COMMIT"), String(error)).toBe(true);
    expect(((error as Error).cause as { code?: string } | undefined)?.code).toBe("ECONNREFUSED");
    // It had committed: the engine's retry, through a working client, is answered false.
    const retry = dynamoProjection(world.client, tables.versions, itemsHandler(putItem(tables.model)), { keySchemas: { [tables.model]: ["pk"] } });
    expect(await retry.handleEvent(resource, current, next, scope, { type: "Items", id: stream })).toBe(false);
    expect((await tables.snapshot())[tables.model]).toContainEqual(expect.stringContaining(stream));
  });

  it("E3: an abort before anything is sent rejects with the signal's reason and sends nothing", async () => {
    const world = withClient(tables);
    const controller = new AbortController();
    const reason = new Error("stop");
    const projection = dynamoProjection(world.client, tables.versions, itemsHandler((event) => {
      controller.abort(reason);
      return putItem(tables.model)(event);
    }));
    const { resource, current, next, stream } = freshEvent();
    const before = await tables.snapshot();
    await expect(projection.handleEvent(resource, current, next, scope, { type: "Items", id: stream }, { signal: controller.signal })).rejects.toBe(reason);
    expect(world.log.count()).toBe(0);
    expect(await tables.snapshot()).toEqual(before);
  });
});
