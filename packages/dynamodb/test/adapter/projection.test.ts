import { GetItemCommand, PutItemCommand, type TransactWriteItemsCommandInput } from "@aws-sdk/client-dynamodb";
import { expect, it } from "vitest";
import {
  createCompactScope,
  createEventScope,
  decodeOffset,
  encodeOffset,
  isProjectionKitError,
  readProjectionConfiguration,
  streamEventVersions,
  type VersionConflict,
} from "@projectionkit/core";
import { documentItem, dynamoProjection } from "@projectionkit/dynamodb";
import { describeOnEmulators, uniqueTableName } from "../support/clients.js";
import { cancelNextTransaction, injectFault, logRequests, serviceException } from "../support/faults.js";
import { LEDGER_KEY, ledgerHandler, ledgerSuite, readModel, type LedgerEvent } from "../support/ledger.js";

describeOnEmulators("dynamoProjection", (emulator) => {
  const { setup, versions, fresh } = ledgerSuite(emulator, "projection");
  const scope = createEventScope();

  /** A projection on its own client (requests logged) and read model, and a stream no other test uses. */
  async function fixture(overrides: Parameters<typeof ledgerHandler>[1] = {}) {
    const test = await fresh();
    return { ...test, projection: dynamoProjection(test.client, versions, ledgerHandler(test.model, overrides)) };
  }

  function deposit(id: string, account: string, amount: number): LedgerEvent {
    return { type: "Deposited", id, account, amount };
  }

  it("D1: the version item has the Go v0.7.1 layout: key = handler key + one space + resource, Version of type B", async () => {
    const { projection, stream } = await fixture();
    const { resource, current, next } = streamEventVersions(stream, 0);
    expect(await projection.handleEvent(resource, current, next, scope, deposit("e0", stream, 5))).toBe(true);
    const key = new Uint8Array([...new TextEncoder().encode(LEDGER_KEY), 0x20, ...new TextEncoder().encode(stream)]);
    const { Item } = await setup.send(new GetItemCommand({ TableName: versions, Key: { HandlerAndResource: { B: key } }, ConsistentRead: true }));
    expect(Item?.["HandlerAndResource"]?.B).toEqual(key);
    expect(Item?.["Version"]?.B).toEqual(encodeOffset(0));
    expect(Object.keys(Item ?? {}).sort()).toEqual(["CommitToken", "HandlerAndResource", "Version"]);
  });

  it("D1: a version item written by a Go service (no token) is read and advanced", async () => {
    const { projection, stream } = await fixture();
    const key = new Uint8Array([...new TextEncoder().encode(`${LEDGER_KEY} `), ...new TextEncoder().encode(stream)]);
    await setup.send(new PutItemCommand({ TableName: versions, Item: { HandlerAndResource: { B: key }, Version: { B: encodeOffset(4) } } }));
    const { resource, current, next } = streamEventVersions(stream, 5);
    expect(decodeOffset(await projection.resourceVersion(resource))).toBe(4n);
    expect(await projection.handleEvent(resource, current, next, scope, deposit("e5", stream, 1))).toBe(true);
    expect(decodeOffset(await projection.resourceVersion(resource))).toBe(5n);
  });

  it("H1/D4: configure forwards the user's declarations", async () => {
    const { projection } = await fixture();
    expect(readProjectionConfiguration(projection).identity).toEqual({ name: "ledger", key: LEDGER_KEY });
    expect(projection.identity.key).toBe(LEDGER_KEY);
  });

  it("D4/D5: an event's items and the version commit in exactly one TransactWriteItems, version write first", async () => {
    const { projection, log, model, stream } = await fixture();
    const { resource, current, next } = streamEventVersions(stream, 0);
    expect(await projection.handleEvent(resource, current, next, scope, deposit("e0", stream, 30))).toBe(true);
    expect(log.commands).toEqual(["TransactWriteItemsCommand"]);
    const input = log.inputs[0] as TransactWriteItemsCommandInput;
    expect(input.TransactItems).toHaveLength(3);
    expect(input.TransactItems?.[0]?.Put?.TableName).toBe(versions);
    expect(input.ClientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(await readModel(setup, model)).toEqual({ events: ["e0"], balances: { [stream]: 30 } });
  });

  it("D4: items may be written in attribute-value form as well as with plain values", async () => {
    const { client, model, stream } = await fixture();
    const projection = dynamoProjection(client, versions, {
      ...ledgerHandler(model),
      handleEvent: (_s, event) => [
        { Put: { TableName: model, Item: { pk: { S: `event#${(event as { id: string }).id}` } } } },
        documentItem({ Update: { TableName: model, Key: { pk: `balance#${stream}` }, UpdateExpression: "ADD balance :a", ExpressionAttributeValues: { ":a": 7 } } }),
      ],
    });
    const { resource, current, next } = streamEventVersions(stream, 0);
    expect(await projection.handleEvent(resource, current, next, scope, deposit("raw", stream, 7))).toBe(true);
    expect(await readModel(setup, model)).toEqual({ events: ["raw"], balances: { [stream]: 7 } });
  });

  it("D6: an event without items is one single-item conditional write, no transaction", async () => {
    const { projection, log, stream } = await fixture();
    for (const offset of [0, 1, 2]) {
      const { resource, current, next } = streamEventVersions(stream, offset);
      expect(await projection.handleEvent(resource, current, next, scope, { type: "Noted", id: `n${offset}` })).toBe(true);
    }
    const { resource, current } = streamEventVersions(stream, 3);
    expect(await projection.handleEvent(resource, current, undefined, scope, { type: "Noted", id: "last" })).toBe(true);
    expect(log.commands).toEqual(["PutItemCommand", "UpdateItemCommand", "UpdateItemCommand", "DeleteItemCommand"]);
    expect(await projection.resourceVersion(resource)).toEqual(new Uint8Array());
  });

  it("H2/D7: a redelivered event resolves false, writes nothing, and costs one request with no extra read", async () => {
    const { projection, log, model, stream } = await fixture();
    const { resource, current, next } = streamEventVersions(stream, 0);
    await projection.handleEvent(resource, current, next, scope, deposit("e0", stream, 10));
    log.reset();
    const conflicts: VersionConflict[] = [];
    expect(await projection.handleEvent(resource, current, next, scope, deposit("e0", stream, 10), { onConflict: (c) => conflicts.push(c) })).toBe(false);
    expect(log.commands).toEqual(["TransactWriteItemsCommand"]);
    expect(conflicts.map((c) => decodeOffset(c.storedVersion))).toEqual([0n]);
    expect(await readModel(setup, model)).toEqual({ events: ["e0"], balances: { [stream]: 10 } });
  });

  it("D5: c empty matches an item whose Version is empty (left by the Go library), so the resource is not poisoned", async (context) => {
    if (emulator.name === "dynalite") {
      // dynalite 4.0.0 evaluates size() of an empty binary to nothing (it tests the value's truthiness), so the version
      // write's "size(#v) = :zero" never matches there; DynamoDB and DynamoDB Local give 0.
      context.skip("dynalite: size() of an empty binary is not 0");
    }
    const { projection, stream, model } = await fixture();
    const key = new Uint8Array([...new TextEncoder().encode(`${LEDGER_KEY} `), ...new TextEncoder().encode(stream)]);
    await setup.send(new PutItemCommand({ TableName: versions, Item: { HandlerAndResource: { B: key }, Version: { B: new Uint8Array() } } }));
    const { resource, current, next } = streamEventVersions(stream, 0);
    expect(await projection.resourceVersion(resource)).toEqual(new Uint8Array());
    expect(await projection.handleEvent(resource, current, next, scope, deposit("e0", stream, 1))).toBe(true);
    const noted = streamEventVersions(`${stream}-noted`, 0);
    const notedKey = new Uint8Array([...new TextEncoder().encode(`${LEDGER_KEY} `), ...noted.resource]);
    await setup.send(new PutItemCommand({ TableName: versions, Item: { HandlerAndResource: { B: notedKey }, Version: { B: new Uint8Array() } } }));
    expect(await projection.handleEvent(noted.resource, noted.current, noted.next, scope, { type: "Noted", id: "n" })).toBe(true);
    expect((await readModel(setup, model)).events).toEqual(["e0"]);
  });

  it("D7: a failed condition on the projection's own item is an ItemConditionFailedError, not a conflict, and writes nothing", async () => {
    const { projection, stream, model } = await fixture();
    const first = streamEventVersions(stream, 0);
    await projection.handleEvent(first.resource, first.current, first.next, scope, deposit("dup", stream, 1));
    const second = streamEventVersions(stream, 1);
    const error = await projection.handleEvent(second.resource, second.current, second.next, scope, deposit("dup", stream, 1)).catch((e: unknown) => e);
    expect(isProjectionKitError(error, "ERR_ITEM_CONDITION_FAILED")).toBe(true);
    expect((error as { itemIndex: number }).itemIndex).toBe(0);
    expect(decodeOffset(await projection.resourceVersion(first.resource))).toBe(0n);
    expect(await readModel(setup, model)).toEqual({ events: ["dup"], balances: { [stream]: 1 } });
  });

  it("D7: TransactionConflict and throttling are typed retryable errors, distinct from a conflict (pitfall GP4)", async () => {
    const { client, projection, stream } = await fixture();
    const { resource, current, next } = streamEventVersions(stream, 0);
    const firstCancelled = (code: string) => [{ Code: code }, { Code: "None" }, { Code: "None" }];
    cancelNextTransaction(client, firstCancelled("TransactionConflict"));
    const conflict = await projection.handleEvent(resource, current, next, scope, deposit("e0", stream, 1)).catch((e: unknown) => e);
    expect(isProjectionKitError(conflict, "ERR_TRANSACTION_CONFLICT")).toBe(true);
    expect((conflict as { retryable: boolean }).retryable).toBe(true);

    cancelNextTransaction(client, firstCancelled("ThrottlingError"));
    const throttled = await projection.handleEvent(resource, current, next, scope, deposit("e0", stream, 1)).catch((e: unknown) => e);
    expect(isProjectionKitError(throttled, "ERR_THROTTLED")).toBe(true);

    injectFault(client, { command: "PutItemCommand", when: "before", error: serviceException("ProvisionedThroughputExceededException") });
    const throttledSingle = await projection.handleEvent(resource, current, next, scope, { type: "Noted", id: "n" }).catch((e: unknown) => e);
    expect(isProjectionKitError(throttledSingle, "ERR_THROTTLED")).toBe(true);

    injectFault(client, { command: "UpdateItemCommand", when: "before", error: serviceException("TransactionConflictException") });
    expect(await projection.handleEvent(resource, current, next, scope, { type: "Noted", id: "n" })).toBe(true);
    const after = streamEventVersions(stream, 1);
    const conflictSingle = await projection.handleEvent(resource, after.current, after.next, scope, { type: "Noted", id: "n" }).catch((e: unknown) => e);
    expect(isProjectionKitError(conflictSingle, "ERR_TRANSACTION_CONFLICT")).toBe(true);
  });

  it("D7: a malformed cancellation (no reasons, no code) is a typed error, never a crash (pitfall GP3)", async () => {
    const { client, projection, stream } = await fixture();
    const { resource, current, next } = streamEventVersions(stream, 0);
    for (const reasons of [undefined, [], [{}], [{ Message: "?" }, { Code: "None" }]]) {
      cancelNextTransaction(client, reasons);
      const error = await projection.handleEvent(resource, current, next, scope, deposit("e0", stream, 1)).catch((e: unknown) => e);
      expect(isProjectionKitError(error, "ERR_MALFORMED_CANCELLATION")).toBe(true);
    }
  });

  it("H3: an event of an undeclared type is an UnexpectedMessageError and sends nothing", async () => {
    const { projection, log, stream } = await fixture();
    const { resource, current, next } = streamEventVersions(stream, 0);
    await expect(projection.handleEvent(resource, current, next, scope, { type: "Audited", id: "a" })).rejects.toMatchObject({ code: "ERR_UNEXPECTED_MESSAGE" });
    expect(log.count()).toBe(0);
  });

  it("H4/H5: closeResource removes the version; timeoutHint and compact forward to the handler", async () => {
    let compacted: unknown;
    const { projection, stream, client } = await fixture({
      timeoutHint: () => 1500,
      compact: async (c) => {
        compacted = c;
      },
    });
    const { resource, current, next } = streamEventVersions(stream, 0);
    await projection.handleEvent(resource, current, next, scope, { type: "Noted", id: "n" });
    await projection.closeResource(resource);
    await projection.closeResource(resource);
    expect(await projection.resourceVersion(resource)).toEqual(new Uint8Array());
    expect(projection.timeoutHint({ type: "Noted", id: "n" })).toBe(1500);
    await projection.compact(createCompactScope());
    expect(compacted).toBe(client);
  });

  it("D12: binding does no I/O, and bad arguments are typed errors", async () => {
    const client = emulator.client();
    const log = logRequests(client);
    const model = uniqueTableName("unused");
    dynamoProjection(client, versions, ledgerHandler(model));
    expect(log.count()).toBe(0);
    expect(() => dynamoProjection({} as never, versions, ledgerHandler(model))).toThrow(expect.objectContaining({ argument: "client" }));
    expect(() => dynamoProjection(client, "x", ledgerHandler(model))).toThrow(expect.objectContaining({ argument: "table" }));
    expect(() => dynamoProjection(client, versions, ledgerHandler(model), { consistentReads: true } as never)).toThrow(
      expect.objectContaining({ argument: "options.consistentReads" }),
    );
    expect(() => dynamoProjection(client, versions, ledgerHandler(model), { decorators: { getItem: "x" } } as never)).toThrow(
      expect.objectContaining({ argument: "options.decorators.getItem" }),
    );
  });

  it("E1: a handler returning something other than actions is a typed error, and nothing is sent", async () => {
    const { client, stream, model } = await fixture();
    const log = logRequests(client);
    const projection = dynamoProjection(client, versions, { ...ledgerHandler(model), handleEvent: () => [{ Put: {}, Delete: {} }] as never });
    const { resource, current, next } = streamEventVersions(stream, 0);
    await expect(projection.handleEvent(resource, current, next, scope, deposit("e", stream, 1))).rejects.toMatchObject({ code: "ERR_INVALID_ARGUMENT" });
    expect(log.count()).toBe(0);
  });
});
