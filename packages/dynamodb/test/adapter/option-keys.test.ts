import { createCompactScope, createEventScope, isProjectionKitError, streamEventVersions } from "@projectionkit/core";
import { createTable, dynamoProjection, DynamoResourceRepository } from "@projectionkit/dynamodb";
import { beforeAll, expect, it } from "vitest";
import { describeOnEmulators, uniqueTableName } from "../support/clients.js";
import { logRequests } from "../support/faults.js";
import { configureLedger, LEDGER_KEY, type LedgerEvent } from "../support/ledger.js";

// E2 on the DynamoDB adapter: every per-call options object refuses a key it does not know, with
// ERR_INVALID_ARGUMENT naming it and the key it probably meant, before any request and before the
// projection's own code runs. A misspelt `signal` must never become a call that cannot be cancelled.

describeOnEmulators("E2: unknown per-call option keys on the DynamoDB adapter", (emulator) => {
  const setup = emulator.client();
  const versions = uniqueTableName("optionkeys");
  const scope = createEventScope();

  beforeAll(async () => {
    await createTable(setup, versions);
  });

  function fixture() {
    const client = emulator.client();
    const log = logRequests(client);
    const calls: string[] = [];
    const projection = dynamoProjection<LedgerEvent>(client, versions, {
      configure: configureLedger,
      handleEvent: (_scope, event) => {
        calls.push(`handleEvent ${event.id}`);
        return [];
      },
      handleEvents: (run) => {
        calls.push(`handleEvents ${run.length}`);
        return [];
      },
      compact: async () => {
        calls.push("compact");
      },
    });
    const repository = new DynamoResourceRepository(client, LEDGER_KEY, versions);
    return { log, calls, projection, repository };
  }

  const { resource, current, next } = streamEventVersions("options-1", 0);
  const event: LedgerEvent = { type: "Noted", id: "n0" };
  const delivery = { current, next, event, scope };
  const misspelt = { sigal: new AbortController().signal } as never;

  const calls = [
    ["projection.handleEvent", ({ projection }: ReturnType<typeof fixture>) => projection.handleEvent(resource, current, next, scope, event, misspelt)],
    ["projection.handleEventBatch", ({ projection }: ReturnType<typeof fixture>) => projection.handleEventBatch(resource, [delivery, { ...streamEventVersions("options-1", 1), event, scope }], misspelt)],
    ["projection.resourceVersion", ({ projection }: ReturnType<typeof fixture>) => projection.resourceVersion(resource, misspelt)],
    ["projection.closeResource", ({ projection }: ReturnType<typeof fixture>) => projection.closeResource(resource, misspelt)],
    ["projection.compact", ({ projection }: ReturnType<typeof fixture>) => projection.compact(createCompactScope(), misspelt)],
    ["repository.resourceVersion", ({ repository }: ReturnType<typeof fixture>) => repository.resourceVersion(resource, misspelt)],
    ["repository.storeResourceVersion", ({ repository }: ReturnType<typeof fixture>) => repository.storeResourceVersion(resource, next, misspelt)],
    ["repository.updateResourceVersion", ({ repository }: ReturnType<typeof fixture>) => repository.updateResourceVersion(resource, current, next, misspelt)],
    [
      "repository.updateResourceVersionAndTransactionItems",
      ({ repository }: ReturnType<typeof fixture>) =>
        repository.updateResourceVersionAndTransactionItems(resource, current, next, [{ Put: { TableName: "Model", Item: { pk: { S: "a" } } } }], misspelt),
    ],
    ["repository.deleteResource", ({ repository }: ReturnType<typeof fixture>) => repository.deleteResource(resource, misspelt)],
  ] as const;

  it.each(calls)("E2: %s refuses { sigal } naming it and suggesting signal, before any request", async (_name, call) => {
    const context = fixture();
    const error = await call(context).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isProjectionKitError(error, "ERR_INVALID_ARGUMENT"), String(error)).toBe(true);
    expect((error as { argument?: string }).argument).toBe("options.sigal");
    expect((error as Error).message).toContain('did you mean "signal"');
    expect(context.log.count()).toBe(0);
    expect(context.calls).toEqual([]);
  });

  it("E2: the same calls with the key spelt right are sent (the count above is not zero for want of trying)", async () => {
    const context = fixture();
    const signal = new AbortController().signal;
    const batch = await context.projection.handleEventBatch(resource, [delivery, { ...streamEventVersions("options-1", 1), event, scope }], { signal });
    expect(batch).toEqual({ applied: 2, requests: 1, stopped: undefined });
    await context.repository.deleteResource(resource, { signal });
    expect(context.log.commands).toEqual(["PutItemCommand", "DeleteItemCommand"]);
    expect(context.calls).toEqual(["handleEvents 2"]);
  });

  it("E2/G3: an already aborted signal rejects a batch with its reason before the handler runs or anything is sent", async () => {
    const context = fixture();
    const reason = new Error("stop");
    await expect(context.projection.handleEventBatch(resource, [delivery], { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(context.log.count()).toBe(0);
    expect(context.calls).toEqual([]);
  });
});
