import { DescribeTableCommand, PutItemCommand, type TransactWriteItemsCommandInput } from "@aws-sdk/client-dynamodb";
import { expect, it } from "vitest";
import { createEventScope, decodeOffset, encodeOffset, isProjectionKitError, streamEventVersions } from "@projectionkit/core";
import { createTable, dynamoProjection, DynamoResourceRepository } from "@projectionkit/dynamodb";
import { describeOnEmulators, uniqueTableName } from "../support/clients.js";
import { cancelNextTransaction, injectFault, logRequests } from "../support/faults.js";
import { LEDGER_KEY, ledgerHandler, readModel, ledgerTables, type LedgerEvent } from "../support/ledger.js";

/** One regression test per pitfall of the Go anchor (GP1–GP9), so that none comes back. */
describeOnEmulators("GP1–GP9: the Go anchor's pitfalls stay fixed", (emulator) => {
  const { setup, versions, model } = ledgerTables(emulator, "pitfalls");
  const scope = createEventScope();
  let counter = 0;

  function fixture() {
    counter++;
    const client = emulator.client();
    const log = logRequests(client);
    return {
      client,
      log,
      stream: `pitfall-${counter}`,
      resource: new TextEncoder().encode(`pitfall-${counter}`),
      projection: dynamoProjection(client, versions, ledgerHandler(model)),
      repository: new DynamoResourceRepository(client, LEDGER_KEY, versions),
    };
  }

  const deposit = (id: string, account: string): LedgerEvent => ({ type: "Deposited", id, account, amount: 1 });

  it("GP1: storing or updating to the empty version deletes, so creating again works (no poisoned resource)", async () => {
    const { repository, projection, resource, stream } = fixture();
    await repository.storeResourceVersion(resource, encodeOffset(3));
    await repository.storeResourceVersion(resource, new Uint8Array());
    expect(await repository.updateResourceVersion(resource, undefined, encodeOffset(0))).toBe(true);
    expect(await repository.updateResourceVersion(resource, encodeOffset(0), new Uint8Array())).toBe(true);
    expect(await repository.updateResourceVersion(resource, undefined, encodeOffset(0))).toBe(true);
    const first = streamEventVersions(stream, 1);
    expect(await projection.handleEvent(resource, first.current, undefined, scope, deposit(`${stream}-1`, stream))).toBe(true);
    expect(await projection.handleEvent(resource, undefined, encodeOffset(0), scope, deposit(`${stream}-again`, stream))).toBe(true);
    expect(decodeOffset(await projection.resourceVersion(resource))).toBe(0n);
  });

  it("GP2: an absent n is never sent as B: null; it takes the delete path", async () => {
    const { projection, log, stream } = fixture();
    const { resource, current, next } = streamEventVersions(stream, 0);
    await projection.handleEvent(resource, current, next, scope, deposit(`${stream}-0`, stream));
    for (const absent of [undefined, null]) {
      const at = decodeOffset(await projection.resourceVersion(resource));
      const c = at === undefined ? undefined : encodeOffset(at);
      expect(await projection.handleEvent(resource, c, absent, scope, deposit(`${stream}-${String(absent)}`, stream))).toBe(true);
      await projection.handleEvent(resource, undefined, next, scope, { type: "Noted", id: "recreate" });
    }
    const sent = JSON.stringify(log.inputs, (_k, v: unknown) => (v instanceof Uint8Array ? [...v] : v === undefined ? "UNDEFINED" : v));
    expect(sent).not.toMatch(/"B":(null|"UNDEFINED")/);
    const deletes = (log.inputs as TransactWriteItemsCommandInput[]).filter((input) => input.TransactItems?.[0]?.Delete !== undefined);
    expect(deletes).toHaveLength(2);
  });

  it("GP3: conflicts are read from the version write's own reason, and odd reasons never crash", async () => {
    const { client, projection, stream } = fixture();
    const { resource, current, next } = streamEventVersions(stream, 0);
    cancelNextTransaction(client, [{ Code: "None" }, { Code: "ConditionalCheckFailed" }, { Code: "None" }]);
    expect(await projection.handleEvent(resource, current, next, scope, deposit(`${stream}-0`, stream)).catch((e: unknown) => e)).toSatisfy((e: unknown) =>
      isProjectionKitError(e, "ERR_ITEM_CONDITION_FAILED"),
    );
    cancelNextTransaction(client, []);
    expect(await projection.handleEvent(resource, current, next, scope, deposit(`${stream}-0`, stream)).catch((e: unknown) => e)).toSatisfy((e: unknown) =>
      isProjectionKitError(e, "ERR_MALFORMED_CANCELLATION"),
    );
  });

  it("GP4: TransactionConflict is a retryable error, never a version conflict, and vice versa", async () => {
    const { client, projection, stream } = fixture();
    const { resource, current, next } = streamEventVersions(stream, 0);
    cancelNextTransaction(client, [{ Code: "TransactionConflict" }, { Code: "None" }, { Code: "None" }]);
    const error = await projection.handleEvent(resource, current, next, scope, deposit(`${stream}-0`, stream)).catch((e: unknown) => e);
    expect(isProjectionKitError(error, "ERR_TRANSACTION_CONFLICT") && error.retryable).toBe(true);
    expect(await projection.handleEvent(resource, current, next, scope, deposit(`${stream}-0`, stream))).toBe(true);
    expect(await projection.handleEvent(resource, current, next, scope, deposit(`${stream}-0`, stream))).toBe(false);
  });

  it("GP5: a lost response is not turned into a spurious conflict", async () => {
    const { client, projection, stream } = fixture();
    const { resource, current, next } = streamEventVersions(stream, 0);
    injectFault(client, { command: "TransactWriteItemsCommand", when: "after" });
    expect(await projection.handleEvent(resource, current, next, scope, deposit(`${stream}-0`, stream))).toBe(true);
    expect((await readModel(setup, model)).events.filter((e) => e === `${stream}-0`)).toHaveLength(1);
  });

  it("GP6: versions are read strongly consistently, so a read right after a write sees it", async () => {
    const { projection, log, stream } = fixture();
    for (let offset = 0; offset < 5; offset++) {
      const { resource, current, next } = streamEventVersions(stream, offset);
      await projection.handleEvent(resource, current, next, scope, { type: "Noted", id: `n${offset}` });
      expect(decodeOffset(await projection.resourceVersion(resource))).toBe(BigInt(offset));
    }
    const reads = log.inputs.filter((_, i) => log.commands[i] === "GetItemCommand") as Array<{ ConsistentRead?: boolean }>;
    expect(reads.map((read) => read.ConsistentRead)).toEqual([true, true, true, true, true]);
  });

  it("GP7: createTable neither swallows a table with another key schema nor returns before ACTIVE", async () => {
    const name = uniqueTableName("pitfallschema");
    await setup.send(new PutItemCommand({ TableName: model, Item: { pk: { S: "marker" } } }));
    await expect(createTable(setup, model)).rejects.toSatisfy((e: unknown) => isProjectionKitError(e, "ERR_TABLE_SCHEMA_MISMATCH"));
    await createTable(setup, name);
    const { Table } = await setup.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.TableStatus).toBe("ACTIVE");
  });

  it("GP8: options of the wrong kind are errors, and decorators add up instead of replacing each other", async () => {
    const client = emulator.client();
    expect(() => dynamoProjection(client, versions, ledgerHandler(model), { consistentRead: "yes" } as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "options.consistentRead" }),
    );
    expect(() => new DynamoResourceRepository(client, LEDGER_KEY, versions, { decorators: { createTable: () => {} } } as never)).toThrow(
      expect.objectContaining({ argument: "options.decorators.createTable" }),
    );
    const calls: string[] = [];
    const repository = new DynamoResourceRepository(client, LEDGER_KEY, versions, {
      decorators: { getItem: [() => void calls.push("first"), () => void calls.push("second")] },
    });
    await repository.resourceVersion(new TextEncoder().encode("pitfall-8"));
    expect(calls).toEqual(["first", "second"]);
  });

  it("GP9: arguments in the wrong order fail loudly instead of passing by accident", () => {
    const client = emulator.client();
    expect(() => new DynamoResourceRepository(client, versions, LEDGER_KEY)).toThrow(expect.objectContaining({ argument: "handlerKey" }));
    expect(() => new DynamoResourceRepository(client, LEDGER_KEY, LEDGER_KEY.replaceAll("-", "+"))).toThrow(expect.objectContaining({ argument: "table" }));
  });
});
