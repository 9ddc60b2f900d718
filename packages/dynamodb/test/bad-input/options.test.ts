import { describe, it } from "vitest";
import { createCompactScope, encodeOffset, type ProjectionKitErrorCode } from "@projectionkit/core";
import { createTable, deleteTable, dynamoProjection, DynamoResourceRepository, type DynamoAdapterOptions } from "@projectionkit/dynamodb";
import { describeOnEmulators } from "../support/clients.js";
import { expectRefused, freshEvent, HANDLER_KEY, itemsHandler, projectionOf, repositoryOf, scope, withClient, worldTables, type World } from "../support/world.js";

// Misspelt and malformed options and arguments of the adapter's calls (E1, E2): each refused with
// its code before any request, and no table of the world changed.

const signal = new AbortController().signal;

describeOnEmulators("bad options and arguments", (emulator) => {
  const tables = worldTables(emulator, "badopts");

  describe("E2: options of the adapter, the repository and the table helpers", () => {
    const cases: Array<[string, ProjectionKitErrorCode, (world: World) => unknown]> = [
      ["dynamoProjection with a misspelt keySchemas", "ERR_INVALID_ARGUMENT", (w) => projectionOf(w, () => [], { keySchema: {} } as never)],
      ["dynamoProjection with a misspelt decorator", "ERR_INVALID_ARGUMENT", (w) => projectionOf(w, () => [], { decorators: { transactWriteItem: () => {} } } as never)],
      ["dynamoProjection with maxCommitAttempts 0", "ERR_INVALID_ARGUMENT", (w) => projectionOf(w, () => [], { maxCommitAttempts: 0 })],
      ['dynamoProjection with consistentRead "yes"', "ERR_INVALID_ARGUMENT", (w) => projectionOf(w, () => [], { consistentRead: "yes" } as never)],
      ["dynamoProjection with an empty version table name", "ERR_INVALID_ARGUMENT", (w) => dynamoProjection(w.client, "", itemsHandler(() => []))],
      ["DynamoResourceRepository with a misspelt attributeNames", "ERR_INVALID_ARGUMENT", (w) => repositoryOf(w, { attributeName: {} } as never)],
      ["DynamoResourceRepository with a handler key that is not a UUID", "ERR_INVALID_ARGUMENT", (w) => new DynamoResourceRepository(w.client, "not-a-uuid", w.versions)],
      ["createTable with a misspelt wait", "ERR_INVALID_ARGUMENT", (w) => createTable(w.client, `${w.versions}-new`, { wiat: true } as never)],
      ["deleteTable with a misspelt waitTimeoutMs", "ERR_INVALID_ARGUMENT", (w) => deleteTable(w.client, w.decoy, { waitTimeout: 5 } as never)],
    ];
    it.each(cases)("%s: %s; no request, nothing written", async (_label, code, call) => {
      const world = withClient(tables);
      await expectRefused(world, code, async () => call(world));
    });
  });

  describe("E1/E2: arguments and per-call options of the projection's and the repository's calls", () => {
    const options: DynamoAdapterOptions = { keySchemas: {} };
    const cases: Array<[string, ProjectionKitErrorCode, (world: World) => Promise<unknown>]> = [
      ["handleEvent with { sigal }", "ERR_INVALID_ARGUMENT", (w) => { const e = freshEvent(); return projectionOf(w, () => [], options).handleEvent(e.resource, e.current, e.next, scope, { type: "Items", id: e.stream }, { sigal: signal } as never); }],
      ["handleEvent with an empty resource", "ERR_INVALID_RESOURCE", (w) => { const e = freshEvent(); return projectionOf(w, () => [], options).handleEvent(new Uint8Array(), e.current, e.next, scope, { type: "Items", id: e.stream }); }],
      ["handleEvent of an undeclared type", "ERR_UNEXPECTED_MESSAGE", (w) => { const e = freshEvent(); return projectionOf(w, () => [], options).handleEvent(e.resource, e.current, e.next, scope, { type: "Other" } as never); }],
      ["handleEventBatch with { sigal }", "ERR_INVALID_ARGUMENT", (w) => { const e = freshEvent(); return projectionOf(w, () => [], options).handleEventBatch(e.resource, [{ current: e.current, next: e.next, scope, event: { type: "Items", id: e.stream } }], { sigal: signal } as never); }],
      ["handleEventBatch of versions that do not follow", "ERR_INVALID_ARGUMENT", (w) => { const e = freshEvent(); return projectionOf(w, () => [], options).handleEventBatch(e.resource, [{ current: e.current, next: e.next, scope, event: { type: "Items", id: "a" } }, { current: encodeOffset(5), next: encodeOffset(6), scope, event: { type: "Items", id: "b" } }]); }],
      ["resourceVersion with { sigal }", "ERR_INVALID_ARGUMENT", (w) => projectionOf(w, () => [], options).resourceVersion(freshEvent().resource, { sigal: signal } as never)],
      ["closeResource with { sigal }", "ERR_INVALID_ARGUMENT", (w) => projectionOf(w, () => [], options).closeResource(freshEvent().resource, { sigal: signal } as never)],
      ["compact with { sigal }", "ERR_INVALID_ARGUMENT", (w) => projectionOf(w, () => [], options).compact(createCompactScope(), { sigal: signal } as never)],
      ["the repository's updateResourceVersion with { onConflic }", "ERR_INVALID_ARGUMENT", (w) => repositoryOf(w).updateResourceVersion(freshEvent().resource, undefined, encodeOffset(0), { onConflic: () => {} } as never)],
      ['the repository\'s storeResourceVersion of "1"', "ERR_INVALID_VERSION", (w) => repositoryOf(w).storeResourceVersion(freshEvent().resource, "1" as never)],
      ["the repository's deleteResource with { sigal }", "ERR_INVALID_ARGUMENT", (w) => new DynamoResourceRepository(w.client, HANDLER_KEY, w.versions).deleteResource(freshEvent().resource, { sigal: signal } as never)],
      ["handleEvent with a string for its scope", "ERR_INVALID_ARGUMENT", (w) => { const e = freshEvent(); return projectionOf(w, () => [], options).handleEvent(e.resource, e.current, e.next, "scope" as never, { type: "Items", id: e.stream }, { signal: AbortSignal.abort() }); }],
    ];
    it.each(cases)("%s: %s; no request, nothing written", async (_label, code, call) => {
      const world = withClient(tables);
      await expectRefused(world, code, () => call(world));
    });
  });
});
