import type { TransactWriteItem, TransactWriteItemsCommandInput } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { createEventScope, decodeOffset, encodeOffset, isProjectionKitError, streamEventVersions } from "@projectionkit/core";
import { dynamoProjection, type DynamoProjectionHandler, type EventDelivery } from "@projectionkit/dynamodb";
import { describeOnEmulators } from "../support/clients.js";
import { afterRequest } from "../support/faults.js";
import { configureLedger, LEDGER_KEY, ledgerSuite, readModel, type LedgerEvent } from "../support/ledger.js";

describeOnEmulators("limits, batching and coalescing", (emulator) => {
  const { setup, versions, fresh } = ledgerSuite(emulator, "limits");
  const scope = createEventScope();

  /** A projection whose handler returns whatever `items(event)` says, on its own logged client. */
  async function projectionWith(items: (event: LedgerEvent, model: string) => TransactWriteItem[], options = {}) {
    const test = await fresh();
    const handler: DynamoProjectionHandler<LedgerEvent> = { configure: configureLedger, handleEvent: (_s, event) => items(event, test.model) };
    return { ...test, projection: dynamoProjection(test.client, versions, handler, options) };
  }

  /** The key of the version item of the ledger's resource for `stream`. */
  const versionItemKey = (stream: string) => ({ HandlerAndResource: { B: new TextEncoder().encode(`${LEDGER_KEY} ${stream}`) } });

  const put = (table: string, pk: string, extra: Record<string, { S: string }> = {}): TransactWriteItem => ({
    Put: { TableName: table, Item: { pk: { S: pk }, ...extra } },
  });

  describe("D9 limits are checked before sending", () => {
    it("D9: 99 items plus the version write fit; 100 items are a TooManyActionsError and nothing is sent", async () => {
      const { projection, log, stream, model } = await projectionWith((event, m) =>
        Array.from({ length: event.id === "fits" ? 99 : 100 }, (_, i) => put(m, `${event.id}-${i}`)),
      );
      const { resource, current, next } = streamEventVersions(stream, 0);
      await expect(projection.handleEvent(resource, current, next, scope, { type: "Noted", id: "over" })).rejects.toSatisfy((e: unknown) =>
        isProjectionKitError(e, "ERR_TOO_MANY_ACTIONS"),
      );
      expect(log.count()).toBe(0);
      expect(await projection.handleEvent(resource, current, next, scope, { type: "Noted", id: "fits" })).toBe(true);
      expect(log.count("TransactWriteItemsCommand")).toBe(1);
      expect((await readModel(setup, model)).events).toEqual([]);
    });

    it("D9: more than 4 MB is a TransactionTooLargeError and nothing is sent", async () => {
      const big = "x".repeat(380_000);
      const { projection, log, stream } = await projectionWith((_e, m) => Array.from({ length: 12 }, (_, i) => put(m, `big-${i}`, { blob: { S: big } })));
      const { resource, current, next } = streamEventVersions(stream, 0);
      await expect(projection.handleEvent(resource, current, next, scope, { type: "Noted", id: "big" })).rejects.toSatisfy((e: unknown) =>
        isProjectionKitError(e, "ERR_TRANSACTION_TOO_LARGE"),
      );
      expect(log.count()).toBe(0);
    });

    it("D9: two actions on one item are a DuplicateItemError and nothing is sent", async () => {
      const { projection, log, stream } = await projectionWith((_e, m) => [
        { Update: { TableName: m, Key: { pk: { S: "same" } }, UpdateExpression: "SET a = :a", ExpressionAttributeValues: { ":a": { S: "1" } } } },
        { Delete: { TableName: m, Key: { pk: { S: "same" } } } },
      ]);
      const { resource, current, next } = streamEventVersions(stream, 0);
      await expect(projection.handleEvent(resource, current, next, scope, { type: "Noted", id: "d" })).rejects.toSatisfy((e: unknown) =>
        isProjectionKitError(e, "ERR_DUPLICATE_ITEM"),
      );
      expect(log.count()).toBe(0);
    });

    it("D9: an item on the version item itself is a VersionItemTouchedError and nothing is sent", async () => {
      const { projection, log, stream } = await projectionWith(() => [{ Delete: { TableName: versions, Key: versionItemKey(stream) } }]);
      const { resource, current, next } = streamEventVersions(stream, 0);
      await expect(projection.handleEvent(resource, current, next, scope, { type: "Noted", id: "v" })).rejects.toSatisfy((e: unknown) =>
        isProjectionKitError(e, "ERR_VERSION_ITEM_TOUCHED"),
      );
      expect(log.count()).toBe(0);
    });
  });

  describe("D10 batching", () => {
    function deliveries(stream: string, count: number, from = 0) {
      return Array.from({ length: count }, (_, i) => ({
        ...streamEventVersions(stream, from + i),
        event: { type: "Deposited", id: `${stream}-${from + i}`, account: stream, amount: 1 } as LedgerEvent,
        scope,
      }));
    }

    const oneItemEach = (event: LedgerEvent, m: string) => (event.type === "Deposited" ? [put(m, `event#${event.id}`)] : []);

    it("D10: 250 consecutive events with one item each commit in 3 transactions", async () => {
      const { projection, log, stream, model } = await projectionWith(oneItemEach);
      const result = await projection.handleEventBatch(new TextEncoder().encode(stream), deliveries(stream, 250));
      expect(result).toEqual({ applied: 250, requests: 3, stopped: undefined });
      // Its Puts name no key schema: one DescribeTable learns the read model's key first (D15).
      expect(log.commands).toEqual(["DescribeTableCommand", "TransactWriteItemsCommand", "TransactWriteItemsCommand", "TransactWriteItemsCommand"]);
      const sizes = (log.inputs.slice(1) as TransactWriteItemsCommandInput[]).map((input) => input.TransactItems?.length);
      expect(sizes).toEqual([100, 100, 53]);
      expect((await readModel(setup, model)).events).toHaveLength(250);
      expect(decodeOffset(await projection.resourceVersion(new TextEncoder().encode(stream)))).toBe(249n);
    });

    it("D10: a batch that starts behind the store stops at once and reports the stored version", async () => {
      const { projection, stream, model } = await projectionWith(oneItemEach);
      const resource = new TextEncoder().encode(stream);
      expect((await projection.handleEventBatch(resource, deliveries(stream, 120))).applied).toBe(120);
      const stale = await projection.handleEventBatch(resource, deliveries(stream, 250));
      expect(stale).toMatchObject({ applied: 0, requests: 1, stopped: { index: 0, reason: "conflict" } });
      expect(decodeOffset((stale.stopped as { storedVersion: Uint8Array }).storedVersion)).toBe(119n);
      const resumed = await projection.handleEventBatch(resource, deliveries(stream, 130, 120));
      expect(resumed).toEqual({ applied: 130, requests: 2, stopped: undefined });
      expect((await readModel(setup, model)).events).toHaveLength(250);
    });

    it("D10: a conflict in the middle keeps the committed transactions and says where it stopped", async () => {
      const { projection, stream, model, client } = await projectionWith(oneItemEach);
      const resource = new TextEncoder().encode(stream);
      // Right after the first transaction commits, another writer moves the version on.
      afterRequest(client, "TransactWriteItemsCommand", () => projection.resourceRepository.storeResourceVersion(resource, encodeOffset(1000)));
      const result = await projection.handleEventBatch(resource, deliveries(stream, 250));
      expect(result).toMatchObject({ applied: 99, requests: 2, stopped: { index: 99, reason: "conflict" } });
      expect(decodeOffset((result.stopped as { storedVersion: Uint8Array }).storedVersion)).toBe(1000n);
      expect((await readModel(setup, model)).events).toHaveLength(99);
    });

    it("D10: events without items are committed as one single-item write for the whole run", async () => {
      const { projection, log, stream } = await projectionWith(() => []);
      const resource = new TextEncoder().encode(stream);
      const result = await projection.handleEventBatch(resource, deliveries(stream, 500));
      expect(result).toEqual({ applied: 500, requests: 1, stopped: undefined });
      expect(log.commands).toEqual(["PutItemCommand"]);
      expect(decodeOffset(await projection.resourceVersion(resource))).toBe(499n);
    });

    it("D10: events touching the same item are split so that no transaction has two actions on one item", async () => {
      const { projection, log, stream, model } = await projectionWith((event, m) =>
        event.type === "Deposited"
          ? [{ Update: { TableName: m, Key: { pk: { S: "balance#shared" } }, UpdateExpression: "ADD balance :a", ExpressionAttributeValues: { ":a": { N: "1" } } } }]
          : [],
      );
      const result = await projection.handleEventBatch(new TextEncoder().encode(stream), deliveries(stream, 3));
      expect(result).toEqual({ applied: 3, requests: 3, stopped: undefined });
      expect(log.count("TransactWriteItemsCommand")).toBe(3);
      expect((await readModel(setup, model)).balances).toEqual({ shared: 3 });
    });

    it("D10/E1: a batch that is not consecutive is rejected before anything is sent", async () => {
      const { projection, log, stream } = await projectionWith(oneItemEach);
      const list = deliveries(stream, 3);
      const gap = [list[0], list[2]] as typeof list;
      await expect(projection.handleEventBatch(new TextEncoder().encode(stream), gap)).rejects.toMatchObject({
        code: "ERR_INVALID_ARGUMENT",
        argument: "deliveries[1].current",
      });
      expect(log.count()).toBe(0);
    });

    it("B1: a handler that throws at one delivery: the runs before it commit, the batch stops there with the error", async () => {
      const { projection, stream, model } = await projectionWith((event, m) => {
        if (event.id.endsWith("-120")) throw new Error("cannot project 120");
        return oneItemEach(event, m);
      });
      const result = await projection.handleEventBatch(new TextEncoder().encode(stream), deliveries(stream, 250));
      expect(result).toMatchObject({ applied: 120, requests: 2, stopped: { index: 120, reason: "error" } });
      expect(result.stopped?.reason === "error" && (result.stopped.error as Error).message).toBe("cannot project 120");
      expect((await readModel(setup, model)).events).toHaveLength(120);
    });

    it("B1/D9: an event whose actions do not fit a transaction alone stops the batch there with the limit's error; the events before it commit", async () => {
      const { projection, stream, model, log } = await projectionWith((event, m) =>
        Array.from({ length: event.id.endsWith("-2") ? 100 : 1 }, (_, i) => put(m, `event#${event.id}-${i}`)),
      );
      const result = await projection.handleEventBatch(new TextEncoder().encode(stream), deliveries(stream, 5));
      expect(result).toMatchObject({ applied: 2, requests: 1, stopped: { index: 2, reason: "error" } });
      expect(result.stopped?.reason === "error" && isProjectionKitError(result.stopped.error, "ERR_TOO_MANY_ACTIONS")).toBe(true);
      // One DescribeTable learns the read model's key for its Puts (D15), then the one transaction.
      expect(log.commands).toEqual(["DescribeTableCommand", "TransactWriteItemsCommand"]);
      expect((await readModel(setup, model)).events).toHaveLength(2);
    });
  });

  describe("D16 coalescing: edges", () => {
    const deposit = (stream: string, offset: number) => ({
      ...streamEventVersions(stream, offset),
      event: { type: "Deposited", id: `${stream}-${offset}`, account: stream, amount: 1 } as LedgerEvent,
      scope,
    });
    const balanceUpdate = (m: string, amount: number): TransactWriteItem => ({
      Update: { TableName: m, Key: { pk: { S: "balance#hot" } }, UpdateExpression: "ADD balance :a", ExpressionAttributeValues: { ":a": { N: String(amount) } } },
    });

    /** A projection whose handleEvents is `coalesce`, on its own logged client. */
    async function coalescing(coalesce: (run: readonly EventDelivery<LedgerEvent>[], model: string) => TransactWriteItem[] | void) {
      const { model, client, log, stream, resource } = await fresh();
      const singles: string[] = [];
      const runs: number[] = [];
      const handler: DynamoProjectionHandler<LedgerEvent> = {
        configure: configureLedger,
        handleEvent: (_s, event) => {
          singles.push(event.id);
          return [balanceUpdate(model, 1)];
        },
        handleEvents: (run) => {
          runs.push(run.length);
          return coalesce(run, model);
        },
      };
      return { projection: dynamoProjection(client, versions, handler), log, model, singles, runs, stream, resource };
    }

    it("D16: handleEvent calls, and batches of one delivery, never use handleEvents", async () => {
      const { projection, singles, runs, stream, resource, model } = await coalescing((run, m) => [balanceUpdate(m, run.length)]);
      const first = deposit(stream, 0);
      expect(await projection.handleEvent(resource, first.current, first.next, scope, first.event)).toBe(true);
      expect(await projection.handleEventBatch(resource, [deposit(stream, 1)])).toEqual({ applied: 1, requests: 1, stopped: undefined });
      expect(await projection.handleEventBatch(resource, [deposit(stream, 2), deposit(stream, 3)])).toEqual({ applied: 2, requests: 1, stopped: undefined });
      expect(singles).toEqual([`${stream}-0`, `${stream}-1`]);
      expect(runs).toEqual([2]);
      expect((await readModel(setup, model)).balances).toEqual({ hot: 4 });
    });

    it("D16: a run whose coalesced actions are none commits with one single-item version write", async () => {
      const { projection, log, stream, resource } = await coalescing(() => []);
      const result = await projection.handleEventBatch(resource, Array.from({ length: 10 }, (_, i) => deposit(stream, i)));
      expect(result).toEqual({ applied: 10, requests: 1, stopped: undefined });
      expect(log.commands).toEqual(["PutItemCommand"]);
      expect(decodeOffset(await projection.resourceVersion(resource))).toBe(9n);
    });

    it("D16: handleEvents that throws stops the batch at the run's first delivery; nothing of the run is sent", async () => {
      const { projection, log, stream, resource } = await coalescing(() => {
        throw new Error("cannot coalesce");
      });
      const result = await projection.handleEventBatch(resource, Array.from({ length: 5 }, (_, i) => deposit(stream, i)));
      expect(result).toMatchObject({ applied: 0, requests: 0, stopped: { index: 0, reason: "error" } });
      expect(result.stopped?.reason === "error" && (result.stopped.error as Error).message).toBe("cannot coalesce");
      expect(log.count()).toBe(0);
    });

    it("D16/D9: handleEvents that touches the version item is a VersionItemTouchedError at the run's first delivery, nothing sent", async () => {
      const { projection, log, stream, resource } = await coalescing(() => [
        { Delete: { TableName: versions, Key: versionItemKey(stream) } },
      ]);
      const result = await projection.handleEventBatch(resource, Array.from({ length: 3 }, (_, i) => deposit(stream, i)));
      expect(result).toMatchObject({ applied: 0, requests: 0, stopped: { index: 0, reason: "error" } });
      expect(result.stopped?.reason === "error" && isProjectionKitError(result.stopped.error, "ERR_VERSION_ITEM_TOUCHED")).toBe(true);
      expect(log.count()).toBe(0);
    });

    it("D16: coalesced actions that touch one item twice are split until they fit; the result is the same", async () => {
      // A careless handleEvents: one update per event, all on the hot balance.
      const { projection, log, stream, resource, model, singles } = await coalescing((run, m) => run.map(() => balanceUpdate(m, 1)));
      const result = await projection.handleEventBatch(resource, Array.from({ length: 4 }, (_, i) => deposit(stream, i)));
      expect(result).toEqual({ applied: 4, requests: 4, stopped: undefined });
      expect(log.count("TransactWriteItemsCommand")).toBe(4);
      expect(singles).toHaveLength(4);
      expect((await readModel(setup, model)).balances).toEqual({ hot: 4 });
    });
  });
});
